"""End to end in a real pseudo-terminal: start, answer the setup, chat, quit, start again, resume;
and what she prints fits the terminal, also after it is resized."""
from __future__ import annotations

import io
import os
import shutil
import sys

import pytest
from prompt_toolkit.utils import get_cwidth

from test_repl_layout import screen_lines

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

SAMANTHA = shutil.which("samantha", path=os.path.dirname(sys.executable)) or shutil.which("samantha")


def spawn(tmp_path, *args, rows: int = 30, columns: int = 120):
    """Start samantha on a terminal of that size; returns the child at its first prompt."""
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path), NO_COLOR="1", TERM="xterm")
    command = [SAMANTHA, *args] if SAMANTHA else [sys.executable, "-m", "samantha_bot", *args]
    child = pexpect.spawn(command[0], command[1:], env=env, encoding="utf-8", timeout=20,
                          dimensions=(rows, columns))
    child.logfile_read = io.StringIO()  # everything the terminal was sent
    child.expect("you>")
    return child


def say(child, text: str) -> str:
    """Type a line and return what she answered, up to the next prompt."""
    child.sendline(text)
    child.expect("Samantha: ")
    child.expect("you>")
    return child.before


@pytest.mark.slow
def test_the_relationship_resumes_in_a_real_terminal(tmp_path):
    child = spawn(tmp_path)
    assert "Samantha: " in child.before and "name" in child.before  # she speaks first
    for answer in ["Theodore", "pretty antisocial lately", "female", "we talk on Sundays"]:
        shown = say(child, answer)
    assert "Samantha" in shown
    say(child, "tell me a joke")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    again = spawn(tmp_path)
    assert "Theodore" in say(again, "what's my name?")
    second = pexpect.spawn(SAMANTHA or sys.executable, [] if SAMANTHA else ["-m", "samantha_bot"],
                           env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)), encoding="utf-8", timeout=20)
    second.expect("another samantha is already talking")
    second.expect(pexpect.EOF)
    again.sendeof()
    again.expect(pexpect.EOF)
    assert (tmp_path / "samantha_bot" / "history").read_text().count("what's my name?") == 1


@pytest.mark.slow
def test_her_lines_fit_a_60_column_terminal_and_then_a_resized_one(tmp_path):
    child = spawn(tmp_path, rows=30, columns=60)
    assert "Samantha: " in child.before  # her first line comes before the first prompt
    for answer in ["Theodore", "social", "female"]:
        say(child, answer)
    child.sendline("/state")
    child.expect("phase: setup")
    child.expect("you>")
    sent = child.logfile_read.getvalue()
    widths = [get_cwidth(line) for line in screen_lines(sent)]
    assert 40 < max(widths) <= 60  # as wide as the terminal, never wider

    child.setwinsize(30, 40)
    say(child, "she was kind to me")
    after = screen_lines(child.logfile_read.getvalue()[len(sent):])
    assert max(get_cwidth(line) for line in after) <= 40
    hers = [line for line in after if line.startswith(("Samantha: ", " " * len("Samantha: ")))]
    assert hers[0].startswith("Samantha: ") and len(hers) > 2  # several lines of the narrower width
    child.sendeof()
    child.expect(pexpect.EOF)
