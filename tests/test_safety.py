"""Reliability and safety: hostile packs, killed writers, private files, and a terminal no text can take over."""
from __future__ import annotations

import io
import json
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from samantha_bot import ContentError, Engine
from samantha_bot.cli import main
from samantha_bot.schema import CARD, SETUP_STEP, STAGE, TOP_LEVEL
from samantha_bot.storage import StateFile

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\u202e"


def test_pack_lines_cannot_reach_the_terminal_raw():
    engine = Engine.from_text(textwrap.dedent(f"""\
        cards:
          - id: x
            theme: x
            examples: [hello]
            lines: [{json.dumps("hi" + ESCAPES + " there")}]
        """))
    text = engine.new_session(seed=0).reply("hello").text
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert text.startswith("hi") and text.endswith("there")


def test_a_name_repeated_back_is_stripped_of_escapes(engine):
    session = engine.new_session(seed=0, phase="growth")
    reply = session.reply(f"my name is Ted{ESCAPES}")
    assert "\x1b" not in reply.text and "\u202e" not in reply.text


@given(text=st.text(max_size=200))  # surrogates included
@settings(max_examples=100, deadline=None)
def test_any_unicode_including_surrogates(engine, text):
    for phase in ("setup", "growth"):
        reply = engine.new_session(seed=0, phase=phase).reply(text)
        assert reply.text.strip() and reply.theme


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(sorted(set(CARD) | set(SETUP_STEP) | set(STAGE)) + ["x"]), inner, max_size=5)),
    max_leaves=20)
DOCUMENTS = st.dictionaries(st.sampled_from(sorted(TOP_LEVEL) + ["junk"]), VALUES, max_size=4)


@given(document=DOCUMENTS)
@settings(max_examples=200, deadline=None)
def test_any_pack_loads_or_gives_a_located_content_error(document):
    try:
        engine = Engine.from_text(yaml.safe_dump(document), "fuzz.yaml")
    except ContentError as error:
        assert error.problems and all(p.location.file == "fuzz.yaml" for p in error.problems)
    else:
        assert engine.new_session(seed=0, phase="growth").reply("hello").text


@given(text=st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_as_a_pack(text):
    """Any text either loads into an engine that answers, or is refused with a ContentError."""
    try:
        engine = Engine.from_text(text, "fuzz.yaml")
    except ContentError as error:
        assert error.render()
    else:
        assert engine.new_session(seed=0).reply("hello").text


def test_an_alias_bomb_is_bounded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    started = time.perf_counter()
    with pytest.raises(ContentError):
        Engine.from_text(bomb + "cards: *i\n")
    assert time.perf_counter() - started < 10


def test_state_and_history_are_private(tmp_path):
    from samantha_bot.storage import private_file
    state = StateFile(tmp_path / "samantha_bot" / "session.json")
    state.lock()
    state.save({"version": 1}, [])
    private_file(tmp_path / "samantha_bot" / "history")
    state.unlock()
    for path in (tmp_path / "samantha_bot").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "samantha_bot").stat().st_mode) == 0o700


def test_no_state_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    out = io.StringIO()
    assert main(["--no-state"], stdin=io.StringIO("hi\nTed\n"), stdout=out, stderr=io.StringIO()) == 0
    assert list(tmp_path.iterdir()) == []


WRITER = """
import sys
from samantha_bot.storage import StateFile
state = StateFile(sys.argv[1])
n = 0
print("ready", flush=True)
while True:
    n += 1
    state.save({"version": 1, "n": n, "padding": "x" * 20000}, [])
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_at_any_moment_leaves_the_old_or_the_new_state(tmp_path):
    path = tmp_path / "session.json"
    rng = random.Random(8316)
    last_seen = 0
    for _ in range(100):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE)
        writer.stdout.readline()
        time.sleep(rng.uniform(0, 0.02))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        saved = StateFile(path).load()  # raises BadState if torn
        if saved is None:  # killed before its first save ever finished
            assert last_seen == 0
            continue
        assert saved.session["n"] >= 1 and saved.session["padding"] == "x" * 20000
        last_seen = saved.session["n"]
    assert last_seen >= 1
    state = StateFile(path)
    state.lock()  # the one writer now: temporaries left by killed writers are cleared
    state.unlock()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.json", "session.json.lock"]
