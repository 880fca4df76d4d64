"""`samantha bench` runs, prints its table or one JSON object per configuration, and exits 0.

Figures are machine-dependent, so nothing here asserts a time: README.md keeps this machine's.
"""
from __future__ import annotations

import hashlib
import io
import json
from collections import Counter

import pytest

from samantha_bot import Engine
from samantha_bot.spelling import english_words
from samantha_bot.workload import (ENGLISH_VOCABULARY, ENGLISH_WORDS, FUNCTION_WORDS, MIX, SHAPES, english_pack,
                                   english_phrasings, probes, synthetic_pack, synthetic_phrasings)
from samantha_bot.bench import cold_load_ms
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


def test_a_cold_load_is_timed_in_a_process_of_its_own(tmp_path):
    pack = tmp_path / "tiny.yaml"
    pack.write_text(synthetic_pack(30), encoding="utf-8")
    assert cold_load_ms([pack]) > 0
    assert cold_load_ms([tmp_path / "missing.yaml"]) is None  # the load fails there: no figure, no traceback


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


def test_the_synthetic_workload_is_unchanged_so_its_figures_stay_comparable():
    # README's synthetic rows were measured on exactly this pack; a change here needs them rerun.
    digest = hashlib.sha1(synthetic_pack(1000).encode()).hexdigest()
    assert digest == "84c7f180b9ce47428d94280a638a2a4169e600cc"


# --- English-like packs

@pytest.mark.parametrize("shape", list(SHAPES))
def test_english_packs_are_deterministic_from_their_seed(shape):
    assert english_phrasings(300, shape) == english_phrasings(300, shape)
    assert english_phrasings(300, shape, seed=7) == english_phrasings(300, shape, seed=7)
    assert english_phrasings(300, shape, seed=7) != english_phrasings(300, shape)
    assert english_pack(300, shape) == english_pack(300, shape)


@pytest.mark.parametrize("shape, cards_to_a_theme, fewest, most",
                         [("one", 1, 4, 16), ("ten", 10, 4, 16), ("rule", 1, 1, 1), ("rule-ten", 10, 1, 1)])
def test_english_packs_have_their_shape(shape, cards_to_a_theme, fewest, most):
    phrasings = english_phrasings(1000, shape)
    cards_by_theme: dict[str, set[str]] = {}
    for card, theme, _ in phrasings:
        cards_by_theme.setdefault(theme, set()).add(card)
    sizes = [len(cards) for cards in cards_by_theme.values()]
    assert set(sizes[:-1]) == {cards_to_a_theme} and 1 <= sizes[-1] <= cards_to_a_theme
    per_card = Counter(card for card, _, _ in phrasings)
    assert all(fewest <= count <= most for count in list(per_card.values())[:-1])  # the last card takes what is left


def test_english_phrasings_are_three_to_eight_words_of_a_fixed_common_vocabulary():
    texts = [text for _, _, text in english_phrasings(2000, "ten")]
    assert len(set(texts)) == 2000
    assert all(3 <= len(text.split()) <= 8 for text in texts)
    assert all(set(text.split()) <= ENGLISH_VOCABULARY for text in texts)
    assert all(set(text.split()) & set(FUNCTION_WORDS) for text in texts)
    used = Counter(word for text in texts for word in text.split())
    assert {"the", "my", "of", "you", "her", "is", "what", "do"} <= used.keys()
    assert used.most_common(1)[0][0] in FUNCTION_WORDS  # function words are the commonest, as in speech
    questions = sum(text.split()[0] in {"what", "how", "why", "where", "who", "when", "do", "can", "is",
                                        "are", "would", "could", "should", "did"} for text in texts)
    assert 0.3 < questions / len(texts) < 0.7


def test_the_english_vocabulary_is_a_thousand_common_words():
    assert 950 <= len(ENGLISH_VOCABULARY) <= 1050 and len(FUNCTION_WORDS) >= 60
    content = {word for words in ENGLISH_WORDS.values() for word in words}
    assert content <= english_words()  # each is among the 30,000 commonest English words


def test_an_english_pack_loads_standing_alone():
    engine = Engine.from_text(english_pack(300, "one"), "english.yaml")
    assert len(engine.index.example_text) == 300
    assert len(engine.index.themes) == len({card for card, _, _ in english_phrasings(300, "one")})


def test_bench_measures_english_packs_in_each_shape_beside_the_others():
    code, out, err = bench("--english", "300", "--shape", "one,ten", "--synthetic", "30", "--inputs", "40", "--json")
    assert code == 0, err
    rows = {row["name"]: row for row in map(json.loads, out.splitlines())}
    assert list(rows) == ["bundled", "synthetic-30", "english-one-300", "english-ten-300"]
    for name in ("english-one-300", "english-ten-300"):
        row = rows[name]
        assert REQUIRED <= row.keys() and row["phrasings"] == 300
        assert row["bruteforce_p50_ms"] is not None and row["p50_ms"] <= row["p99_ms"]
        assert 0 <= row["typo_accuracy"] <= 1 and 0 <= row["bruteforce_typo_accuracy"] <= 1


def test_bench_table_has_a_row_per_english_pack():
    code, out, err = bench("--english", "120,120", "--synthetic", "20", "--inputs", "20")
    assert code == 0, err
    assert "| english-one-120 | 120 |" in out and "| english-ten-120 | 120 |" in out
    assert out.count("english-one-120") == 2  # a row in each table, once: repeated sizes are measured once


@pytest.mark.parametrize("args, message", [
    (["--english", "0"], "1 or more"),
    (["--english", "100", "--shape", "three"], "unknown shape three"),
    (["--english", "ten"], "invalid sizes value"),
    (["--shape", "one"], "give their sizes with --english"),
], ids=["zero", "unknown-shape", "not-a-number", "shape-alone"])
def test_bench_refuses_bad_english_options(args, message):
    code, _, err = bench(*args)
    assert code == 2 and message in err
