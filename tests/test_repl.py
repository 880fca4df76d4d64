"""The REPL driven in-process: prompt_toolkit pipe input, a captured VT100 output, no terminal."""
from __future__ import annotations

import io
import re
import threading
import time
from typing import Callable, Sequence

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.data_structures import Size
from prompt_toolkit.document import Document
from prompt_toolkit.input import DummyInput, PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from samantha_bot.chat import Chat
from samantha_bot.engine import bundled_dialogues
from samantha_bot.repl import Repl, SlashCompleter
from samantha_bot.storage import StateFile

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[=>]|\r")
CTRL_C, CTRL_D, TAB = "\x03", "\x04", "\t"
SETUP = "Theodore\rsocial\rfemale\rshe's kind\r"  # she asks first: the answers, as a person gives them
Step = str | Callable[[], None]  # keys to type, or something to do to the terminal between them


class Terminal(Vt100_Output):
    """A VT100 screen of a given size that knows the rows below its cursor, as a real terminal
    tells prompt_toolkit by answering its cursor position request (so the toolbar is drawn)."""

    def get_rows_below_cursor_position(self) -> int:
        return self.get_size().rows


def settle(screen: io.StringIO, since: int, quiet: float = 0.1, limit: float = 5.0) -> None:
    """Wait until the screen has changed since it was `since` characters long, then stopped
    changing: the keys typed then are handled, and Tab's completion drawn."""
    seen, end = since, time.monotonic() + limit
    while time.monotonic() < end:
        time.sleep(quiet)
        now = len(screen.getvalue())
        if now == seen > since:
            return
        seen = now


def typist(pipe: PipeInput, steps: Sequence[Step], screen: io.StringIO) -> None:
    """Type each step once the screen has settled after the last, as a person waits to see Tab's
    completion before pressing Enter."""
    typed: int | None = None
    # Tab is pressed on its own, after the text before it is drawn: then its completion is the
    # change the next step waits for, however slowly a busy machine draws.
    split = [part for step in steps for part in (
        [step[:-len(TAB)], TAB] if isinstance(step, str) and step.endswith(TAB) and step != TAB else [step])]
    for step in split:
        if typed is not None:
            settle(screen, typed)
        if callable(step):
            step()
        else:
            typed = len(screen.getvalue())
            pipe.send_text(step)


def drive(keys: str | Sequence[Step], tmp_path, chat: Chat | None = None, columns: int | Callable[[], int] = 200,
          welcome: str | None = None, raw: bool = False) -> tuple[str, Chat, int]:
    """Type `keys` into a REPL (\\r is Enter) and return what the screen showed, the chat, the exit.

    `keys` as one string is typed at once; as a list, step by step (Tab's completion needs that).
    The screen's text comes without escape sequences, unless `raw`.
    """
    if chat is None:
        chat, _ = Chat.open([str(bundled_dialogues())], 0, StateFile(tmp_path / "s.json"), notice=print)
    width = columns if callable(columns) else (lambda: columns)
    screen = io.StringIO()
    output = Terminal(screen, lambda: Size(rows=40, columns=width()))
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        steps = [keys] if isinstance(keys, str) else keys
        threading.Thread(target=typist, args=(pipe, steps, screen), daemon=True).start()
        code = Repl(chat, tmp_path / "history", input=pipe, output=output).run(welcome)
    return (screen.getvalue() if raw else ANSI.sub("", screen.getvalue())), chat, code


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
    assert f"recorded 4 turns to {target}" in shown
    assert "Theodore" in target.read_text()


def test_a_very_long_line_is_fine(tmp_path):
    shown, chat, _ = drive("x" * 20000 + "\r" + CTRL_D, tmp_path)
    assert len(chat.turns) == 1 and chat.turns[0][1].text


def test_she_speaks_first(tmp_path):
    shown, chat, _ = drive(CTRL_D, tmp_path)
    first_prompt = shown.index("you>")
    assert "Samantha: " in shown[:first_prompt] and "name" in shown[:first_prompt]
    assert chat.turns == []  # her opening is not a turn


def test_a_welcome_from_the_cli_is_said_once_instead_of_the_opening(tmp_path):
    shown, _, _ = drive(CTRL_D, tmp_path, welcome="Welcome back, you.")
    before_prompt = shown[:shown.index("you>")]
    assert before_prompt.count("Samantha: ") == 1 and "Welcome back, you." in before_prompt


@pytest.mark.parametrize("typed, then, expected", [
    ("/wh", ["\r", CTRL_D], "Nothing to explain yet"),  # Tab puts in the common part, /why; Enter runs it
    ("/q", ["\r"], "Samantha: "),  # the only completion, /quit: she says goodbye and the REPL ends
], ids=["/wh", "/q"])
def test_tab_completes_a_command_from_any_prefix(tmp_path, typed, then, expected):
    shown, _, code = drive([typed + TAB, *then], tmp_path)
    assert code == 0 and "unknown command" not in shown
    assert expected in shown.split(typed, 1)[1]


def test_tab_after_a_prefix_shared_by_two_commands_offers_both(tmp_path):
    shown, _, _ = drive(["/wh" + TAB, CTRL_C, CTRL_D], tmp_path)
    menu = shown.split("/wh", 1)[1]
    assert re.search(r"/why\s", menu) and "/whynot" in menu


def test_tab_completes_card_ids_after_whynot(tmp_path):
    shown, _, _ = drive(["/whynot setup.so" + TAB, CTRL_C, "/whynot greet" + TAB, CTRL_C, CTRL_D], tmp_path)
    assert "/whynot setup.social" in shown
    offered = shown.split("/whynot greet", 1)[1]
    assert "greeting.hello" in offered and "greeting.im_back" in offered


def completions(repl: Repl, text: str) -> list[str]:
    """What Tab would offer for `text`, the completions as the line would read after each."""
    document = Document(text)
    found = repl.prompt.completer.get_completions(document, CompleteEvent(completion_requested=True))
    return [text[:len(text) + completion.start_position] + completion.text for completion in found]


def test_completion_reads_the_dialogues_loaded_now(tmp_path):
    pack = tmp_path / "extra.yaml"
    pack.write_text("cards:\n  - {id: pineapple, theme: x, patterns: [pineapple], lines: [Pineapple!]}\n")
    chat, _ = Chat.open([str(bundled_dialogues())], 0, None, notice=print)
    repl = Repl(chat, input=DummyInput(), output=DummyOutput())
    assert isinstance(repl.prompt.completer, SlashCompleter)
    assert completions(repl, "/whynot pine") == []
    chat.packs.append(str(pack))
    chat.reload()  # /reload replaces chat.engine
    assert completions(repl, "/whynot pine") == ["/whynot pineapple"]


def test_completion_of_paths_after_record_and_nothing_for_plain_talk(tmp_path):
    (tmp_path / "talk_one.yaml").write_text("")
    chat, _ = Chat.open([str(bundled_dialogues())], 0, None, notice=print)
    repl = Repl(chat, input=DummyInput(), output=DummyOutput())
    assert completions(repl, f"/record {tmp_path}/talk_") == [f"/record {tmp_path}/talk_one.yaml"]
    assert completions(repl, "what do you w") == []
    assert completions(repl, "  /und") == ["  /undo"]
