"""The state file: atomic saves, a lock, and bad files kept aside, never overwritten."""
from __future__ import annotations

import json

import pytest

from samantha_bot.chat import Chat
from samantha_bot.engine import bundled_dialogues
from samantha_bot.storage import FORMAT, BadState, StateFile, StateLocked, state_dir

PACKS = [str(bundled_dialogues())]


def open_chat(path, notices=None):
    return Chat.open(PACKS, 0, StateFile(path), notice=(notices if notices is not None else []).append)


def test_state_lives_in_the_xdg_state_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state_dir() == tmp_path / "samantha_bot"


def test_every_turn_is_saved_and_resumed(tmp_path):
    path = tmp_path / "s.json"
    chat, away = open_chat(path)
    assert away is None
    for text in ["hi", "Theodore", "social", "female", "she's kind"]:
        chat.reply(text)
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["version"] == 1
    again, away = open_chat(path)
    assert away is not None and away < 60
    assert again.session.to_dict() == chat.session.to_dict()
    assert "Theodore" in again.reply("what's my name?").text


@pytest.mark.parametrize("content, reason", [
    ("{not json", "is not valid JSON"),
    ('{"format": "something else"}', "is not a samantha_bot state file"),
    ('{"format": "samantha_bot state", "version": 99, "session": {}}', "newer samantha_bot"),
    ('{"format": "samantha_bot state", "version": 1, "session": {"version": 1, "phase": "x"}}',
     "does not fit"),
    ("", "is not valid JSON"),
])
def test_a_bad_state_file_is_kept_aside_and_reported(tmp_path, content, reason):
    path = tmp_path / "s.json"
    path.write_text(content)
    notices: list[str] = []
    chat, away = open_chat(path, notices)
    assert away is None and chat.session.phase == "setup"
    assert len(notices) == 1 and reason in notices[0]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("s.json.bad-")]
    assert len(kept) == 1 and kept[0].read_text() == content


def test_bad_files_kept_aside_never_overwrite_each_other(tmp_path):
    path = tmp_path / "s.json"
    for content in ["{one", "{two"]:
        path.write_text(content)
        StateFile(path).move_aside()
    assert sorted(p.read_text() for p in tmp_path.iterdir()) == ["{one", "{two"]


def test_a_save_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "s.json"
    StateFile(path).save({"version": 1}, [])
    StateFile(path).save({"version": 1, "again": True}, [])
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_a_second_user_of_the_same_file_is_refused(tmp_path):
    first, second = StateFile(tmp_path / "s.json"), StateFile(tmp_path / "s.json")
    first.lock()
    with pytest.raises(StateLocked, match="another samantha"):
        second.lock()
    first.unlock()
    second.lock()
    second.unlock()


def test_load_raises_bad_state_for_a_list(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("[1, 2]")
    with pytest.raises(BadState):
        StateFile(path).load()


def test_welcome_back_fits_the_time_away(tmp_path):
    chat, _ = open_chat(tmp_path / "s.json")
    chat.session = chat.engine.new_session(seed=0, phase="growth")
    assert chat.welcome_back(None) is None and chat.welcome_back(30) is None
    assert chat.welcome_back(3600).card == "returning.hours"
    assert chat.welcome_back(5 * 86400).card == "returning.days"


def test_undo_goes_back_a_bounded_number_of_turns(tmp_path):
    from samantha_bot.chat import UNDO_DEPTH
    chat, _ = Chat.open([str(bundled_dialogues())], 0, None, notice=print)
    for _ in range(UNDO_DEPTH + 5):
        chat.reply("ok")
    assert len(chat.snapshots) == UNDO_DEPTH
    assert sum(chat.undo() for _ in range(UNDO_DEPTH + 5)) == UNDO_DEPTH
