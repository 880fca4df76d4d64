"""The load cache gives the engine Engine.load would, and never one of packs that have changed."""
from __future__ import annotations

import io

import pytest

from samantha_bot import ContentError, Engine, cache
from samantha_bot.files import APP
from samantha_bot.cli import main


def run(args: list[str], text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()

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


def test_the_chat_loads_through_the_cache_and_reloads_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    pack = tmp_path / "pack.yaml"
    pack.write_text("cards:\n  - {id: x.fig, theme: x, patterns: ['fig'], lines: ['Fig!']}\n")
    conversation = "hi\nTed\nsocial\nfemale\nwe are close\nfig\n"
    first = run(["--dialogues", str(pack)], conversation)
    assert len(list((tmp_path / "xdg" / APP).glob("*.pickle"))) == 1
    assert run(["--dialogues", str(pack)], conversation) == first
    assert first[1].splitlines()[-1] == "Fig!"
    pack.write_text("cards:\n  - {id: x.fig, theme: x, patterns: ['fig'], lines: ['Figs, again!']}\n")
    assert run(["--dialogues", str(pack)], conversation)[1].splitlines()[-1] == "Figs, again!"


@pytest.mark.parametrize("flag", ["--no-state", "--no-cache"])
def test_no_state_and_no_cache_write_no_cache(tmp_path, monkeypatch, flag):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    code, out, _ = run([flag], "hello\n")
    assert code == 0 and out
    assert not (tmp_path / "xdg").exists()


def test_packs_that_cannot_be_hashed_are_loaded_without_the_cache(tmp_path, monkeypatch):
    def unreadable(paths):
        raise PermissionError("no")

    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(line="Hello!"))
    monkeypatch.setattr(cache, "key", unreadable)
    assert reply(cache.load([pack], tmp_path / "cache"), "hello there")[0] == "Hello!"
    assert not (tmp_path / "cache").exists()


def test_a_cache_folder_others_can_write_to_is_not_used(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(line="Hello!"))
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    planted = folder / f"{cache.key([pack])}.pickle"
    planted.write_bytes(cache.FORMAT + b"anything at all")
    assert reply(cache.load([pack], folder), "hello there")[0] == "Hello!"
    assert planted.read_bytes() == cache.FORMAT + b"anything at all"  # neither read nor rewritten
