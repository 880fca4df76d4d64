"""End to end in a real pseudo-terminal: start, answer the setup, chat, quit, start again, resume."""
from __future__ import annotations

import os
import shutil
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

SAMANTHA = shutil.which("samantha", path=os.path.dirname(sys.executable)) or shutil.which("samantha")


def spawn(tmp_path, *args):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path), NO_COLOR="1", TERM="xterm")
    command = [SAMANTHA, *args] if SAMANTHA else [sys.executable, "-m", "samantha_bot", *args]
    child = pexpect.spawn(command[0], command[1:], env=env, encoding="utf-8", timeout=20,
                          dimensions=(30, 120))
    child.expect("you>")
    return child


def say(child, text: str) -> str:
    """Type a line and return what she answered, up to the next prompt."""
    child.sendline(text)
    child.expect("Samantha: ")
    child.expect("you>")
    return child.before


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_relationship_resumes_in_a_real_terminal(tmp_path):
    child = spawn(tmp_path)
    first = say(child, "hello")
    assert "call you" in first or "name" in first
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
