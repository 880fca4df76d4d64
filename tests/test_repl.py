"""The REPL driven in-process: prompt_toolkit pipe input, a captured VT100 output, no terminal."""
from __future__ import annotations

import io
import re

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from samantha_bot.chat import Chat
from samantha_bot.engine import bundled_dialogues
from samantha_bot.repl import Repl
from samantha_bot.storage import StateFile

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[=>]|\r")
CTRL_C, CTRL_D = "\x03", "\x04"
SETUP = "hi\rTheodore\rsocial\rfemale\rshe's kind\r"


def drive(keys: str, tmp_path, chat: Chat | None = None) -> tuple[str, Chat, int]:
    """Type `keys` into a REPL (\\r is Enter) and return what the screen showed, the chat, the exit."""
    if chat is None:
        chat, _ = Chat.open([str(bundled_dialogues())], 0, StateFile(tmp_path / "s.json"), notice=print)
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=200))
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text(keys)
        code = Repl(chat, tmp_path / "history", input=pipe, output=output).run()
    return ANSI.sub("", screen.getvalue()), chat, code


def test_a_conversation_through_the_repl(tmp_path):
    shown, chat, code = drive(SETUP + "what's my name?\r" + CTRL_D, tmp_path)
    assert code == 0
    assert "Samantha: " in shown and "Theodore" in shown.split("what's my name?")[-1]
    assert chat.session.phase == "growth"


def test_history_is_written_to_disk(tmp_path):
    drive("hello there\r" + CTRL_D, tmp_path)
    assert "hello there" in (tmp_path / "history").read_text()


def test_ctrl_c_clears_the_line_and_ctrl_d_says_goodbye(tmp_path):
    shown, chat, _ = drive("half a thought" + CTRL_C + CTRL_D, tmp_path)
    assert chat.turns == []  # the cleared line was never said
    assert shown.rstrip().splitlines()[-1].startswith("Samantha: ")


def test_quit_leaves_with_a_goodbye(tmp_path):
    shown, _, code = drive("/quit\r", tmp_path)
    assert code == 0 and "Samantha: " in shown


@pytest.mark.parametrize("command, expected", [
    ("/help", "/whynot CARD"),
    ("/state", "phase: setup"),
    ("/why", "Nothing to explain yet"),
    ("/wyh", "did you mean '/why'?"),
    ("/undo", "There is no turn to take back"),
    ("/whynot", "usage: /whynot CARD"),
])
def test_slash_commands(tmp_path, command, expected):
    shown, _, _ = drive(command + "\r" + CTRL_D, tmp_path)
    assert expected in shown


def test_why_and_whynot_explain_the_last_reply(tmp_path):
    shown, _, _ = drive(SETUP + "do you love me\r/why\r/whynot many_loves.anyone_else\r" + CTRL_D, tmp_path)
    assert "card love.do_you_love_me (theme love)" in shown
    assert "many_loves.anyone_else: it scored" in shown


def test_undo_takes_back_a_turn_with_its_state(tmp_path):
    _, chat, _ = drive(SETUP + "/undo\r" + CTRL_D, tmp_path)
    assert chat.session.phase == "setup" and "mother" not in chat.session.facts


def test_reset_asks_first(tmp_path):
    _, chat, _ = drive(SETUP + "/reset\rno\r" + CTRL_D, tmp_path)
    assert chat.session.phase == "growth"
    _, chat, _ = drive("/reset\ryes\r" + CTRL_D, tmp_path, chat)
    assert chat.session.phase == "setup" and chat.session.facts == {}


def test_reload_keeps_the_old_dialogues_on_an_error(tmp_path):
    pack = tmp_path / "extra.yaml"
    pack.write_text("cards:\n  - {id: x, theme: x, patterns: [pineapple], lines: [Pineapple!]}\n")
    chat, _ = Chat.open([str(bundled_dialogues()), str(pack)], 0, None, notice=print)
    pack.write_text("cards:\n  - {id: x, theme: x, patterns: [pineapple], lines: [Pineapple!], oops: 1}\n")
    shown, chat, _ = drive("/reload\r" + CTRL_D, tmp_path, chat)
    assert f"{pack}:2:" in shown and "unknown key 'oops'" in shown and "kept the dialogues" in shown
    pack.write_text("cards:\n  - {id: x, theme: x, patterns: [pineapple], lines: [Pineapple, again!]}\n")
    shown, chat, _ = drive("/reload\r" + CTRL_D, tmp_path, chat)
    assert "reloaded" in shown


def test_record_writes_a_script(tmp_path):
    target = tmp_path / "talk.yaml"
    shown, _, _ = drive(SETUP + f"/record {target}\r" + CTRL_D, tmp_path)
    assert f"recorded 5 turns to {target}" in shown
    assert "Theodore" in target.read_text()


def test_a_very_long_line_is_fine(tmp_path):
    shown, chat, _ = drive("x" * 20000 + "\r" + CTRL_D, tmp_path)
    assert len(chat.turns) == 1 and chat.turns[0][1].text
