"""What the REPL prints fits the terminal: her lines and notes wrap between words at the width
the terminal has when they are printed, and the toolbar shortens rather than being cut."""
from __future__ import annotations

import re

import pytest
from prompt_toolkit.utils import get_cwidth

from samantha_bot.chat import Chat
from samantha_bot.engine import bundled_dialogues
from samantha_bot.repl import LABEL
from samantha_bot.wrapping import fill, wrap
from test_repl import CTRL_D, SETUP, drive

COLOURS = re.compile(r"\x1b\[[0-9;]*m")
BREAKS = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[=>]|\r\n|\r|\n")


def screen_lines(raw: str) -> list[str]:
    """The runs of text the terminal was sent, split wherever the cursor is moved or a line
    ends: a printed line whole, the prompt's drawing (which prompt_toolkit fits) in pieces."""
    return BREAKS.split(COLOURS.sub("", raw))


def flowed(text: str) -> str:
    """Text with every run of spaces and line breaks made one space: a word cut in two shows."""
    return " ".join(text.split())


@pytest.mark.parametrize("columns", [40, 60])
def test_her_lines_fit_the_terminal_and_break_between_words(tmp_path, columns):
    raw, chat, _ = drive(SETUP + "do you love me\r/state\r/why\r" + CTRL_D, tmp_path, columns=columns, raw=True)
    lines = screen_lines(raw)
    assert [line for line in lines if get_cwidth(line) > columns] == []
    replies = [reply.text for _, reply in chat.turns]
    assert len(replies) == 5 and any(len(text) > columns for text in replies)
    for text in replies:  # every word whole, in order, after her name
        assert f"Samantha: {flowed(text)}" in flowed(" ".join(lines))


def test_lines_after_a_resize_fit_the_new_width(tmp_path):
    width = {"columns": 80}
    resize = lambda: width.update(columns=40)  # noqa: E731 - the terminal is made narrower
    raw, chat, _ = drive(["Theodore\r", resize, "social\r", CTRL_D], tmp_path, columns=lambda: width["columns"],
                         raw=True)
    lines = screen_lines(raw)
    typed = next(at for at, line in enumerate(lines) if line.endswith("social"))
    assert max(get_cwidth(line) for line in lines[:typed]) > 40  # her lines were wider until then
    assert max(get_cwidth(line) for line in lines[typed + 1:]) <= 40
    assert f"Samantha: {flowed(chat.turns[1][1].text)}" in flowed(" ".join(lines[typed + 1:]))


def test_the_toolbar_at_40_columns_is_a_short_readable_form(tmp_path):
    chat, _ = Chat.open([str(bundled_dialogues())], 0, None, notice=print)
    chat.session = chat.engine.new_session(seed=0, phase="growth")
    wide, _, _ = drive(CTRL_D, tmp_path, chat, columns=100)
    assert re.search(r" growth · stage awakening \(1 of 4\) · 0/\d+ turns toward intimacy", wide)
    narrow, _, _ = drive(CTRL_D, tmp_path, chat, columns=40)
    assert re.search(r" awakening 1/4 · 0/\d+ turns", narrow) and "toward" not in narrow


def test_the_setup_toolbar_fits_at_40_and_shortens_below(tmp_path):
    at_40, _, _ = drive(CTRL_D, tmp_path, columns=40)
    assert re.search(r" setup: question 1 of \d+", at_40)
    at_20, _, _ = drive(CTRL_D, tmp_path, columns=20)
    assert re.search(r" setup 1/\d+", at_20) and "question" not in at_20


@pytest.mark.parametrize("text", [
    "Oh! Hello. Is this... yes, it's working! I'm delighted. What's your name?",
    "日本語のテキストはスペースなしで続きます、とても長い文です。",
    "emoji 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 and more",
    "a word longer than any line: " + "x" * 95,
], ids=["words", "cjk", "emoji", "long word"])
@pytest.mark.parametrize("width", [12, 25, 40])
def test_no_screen_line_is_wider_than_the_terminal(text, width):
    lines = fill(text, width, LABEL)
    assert all(get_cwidth(line) <= width for line in [LABEL + lines[0], *lines[1:]])
    assert "".join(text.split()) == "".join("".join(lines).split())  # nothing lost, nothing added


def test_continuation_lines_hang_under_her_text():
    first, *rest = fill("I want to learn everything about everything, and I want to know you too.", 40, LABEL)
    assert rest and all(line.startswith(" " * len(LABEL)) and line[len(LABEL)] != " " for line in rest)


def test_indented_note_lines_keep_their_indent_and_continue_further_in():
    note = "you said: 'do you love me'\n  runner-up: love.anyone_else scored 41.5, below the line by far"
    lines = fill(note, 30)
    assert lines[0] == "you said: 'do you love me'"
    assert lines[1].startswith("  runner-up:") and all(line.startswith("    ") for line in lines[2:])
    assert all(get_cwidth(line) <= 30 for line in lines)


def test_spaces_inside_a_line_are_kept_and_dropped_at_a_break():
    assert wrap("usage: /whynot CARD   (the ids)", 80) == ["usage: /whynot CARD   (the ids)"]
    assert wrap("one   two", 5) == ["one", "two"]
