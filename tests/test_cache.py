"""The load cache gives the engine Engine.load would, and never one of packs that have changed."""
from __future__ import annotations

import pytest

from samantha_bot import ContentError, Engine, cache

PACK = """\
cards:
  - id: hello.card
    theme: greeting
    examples: ["hello there", "hi how are you"]
    lines: ["{line}"]
  - id: fallback.card
    theme: fallback
    lines: ["Tell me more?"]
"""


def reply(engine: Engine, text: str) -> tuple[str, str, float]:
    answer = engine.new_session(seed=0).reply(text)
    return answer.text, answer.card, answer.score


def test_a_cached_engine_answers_as_a_freshly_loaded_one(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(line="Hello!"))
    first = cache.load([pack], tmp_path / "cache")
    second = cache.load([pack], tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    assert reply(second, "helo there") == reply(Engine.load([pack]), "helo there") == reply(first, "helo there")


def test_a_changed_pack_is_never_served_from_the_cache(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(line="Hello!"))
    cache.load([pack], tmp_path / "cache")
    pack.write_text(PACK.format(line="Hi again!"))
    assert reply(cache.load([pack], tmp_path / "cache"), "hello there")[0] == "Hi again!"


def test_a_file_added_to_a_pack_folder_changes_the_key(tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "a.yaml").write_text(PACK.format(line="Hello!"))
    before = cache.key([tmp_path / "pack"])
    (tmp_path / "pack" / "b.yaml").write_text("cards: []\n")
    assert cache.key([tmp_path / "pack"]) != before


def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(line="Hello!"))
    entry = tmp_path / "cache" / f"{cache.key([pack])}.pickle"
    entry.parent.mkdir()
    entry.write_bytes(b"not a cache entry")
    assert reply(cache.load([pack], tmp_path / "cache"), "hello there")[0] == "Hello!"
    assert entry.read_bytes().startswith(cache.FORMAT)


def test_a_broken_pack_raises_and_caches_nothing(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("cards: [")
    with pytest.raises(ContentError):
        cache.load([pack], tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.pickle"))
