"""`samantha bench` runs, prints its table or one JSON object per configuration, and exits 0.

Figures are machine-dependent, so nothing here asserts a time: README.md keeps this machine's.
"""
from __future__ import annotations

import io
import json

import pytest

from samantha_bot import Engine
from samantha_bot.workload import MIX, probes, synthetic_pack, synthetic_phrasings
from samantha_bot.cli import main

REQUIRED = {"name", "phrasings", "load_ms", "p50_ms", "p99_ms", "bruteforce_p99_ms", "typo_accuracy", "rss_mb"}


def bench(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["bench", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_bench_prints_a_table_of_the_bundled_and_a_synthetic_pack():
    code, out, err = bench("--synthetic", "60", "--inputs", "30")
    assert code == 0, err
    assert out.startswith("| pack | phrasings |")
    assert "| bundled |" in out and "| synthetic-60 | 60 |" in out


def test_bench_json_has_one_object_per_configuration_with_the_required_keys():
    code, out, err = bench("--synthetic", "40", "--inputs", "20", "--json", "--sessions", "12", "--turns", "3")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["name"] for row in rows] == ["bundled", "synthetic-40", "sessions-12"]
    for row in rows:
        assert REQUIRED <= row.keys()
    assert rows[1]["phrasings"] == 40 and 0 <= rows[1]["typo_accuracy"] <= 1
    assert rows[1]["p50_ms"] <= rows[1]["p99_ms"]
    assert rows[2]["p99_ms"] is None and rows[2]["replies_per_s"] > 0


def test_bench_refuses_a_size_of_zero():
    code, _, err = bench("--synthetic", "0")
    assert code == 2 and "1 or more" in err


def test_synthetic_packs_are_deterministic_and_load_standing_alone():
    assert synthetic_phrasings(50) == synthetic_phrasings(50)
    texts = [text for _, _, text in synthetic_phrasings(50)]
    assert len(set(texts)) == 50
    engine = Engine.from_text(synthetic_pack(50), "synthetic.yaml")
    assert len(engine.index.example_text) == 50
    assert engine.new_session().phase == "growth"


@pytest.mark.parametrize("kind", [kind for kind, _ in MIX])
def test_the_input_mix_is_seeded_and_holds_every_kind(kind):
    phrasings = [("card.a", "do you like music"), ("card.b", "tell me about your day")]
    assert probes(phrasings, 40) == probes(phrasings, 40)
    assert any(probe.kind == kind for probe in probes(phrasings, 40))
