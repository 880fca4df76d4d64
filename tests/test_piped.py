"""Piped mode: slash commands run as commands, one output per non-blank line, /quit ends the run."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from samantha_bot.cli import main

SAMANTHA = shutil.which("samantha", path=os.path.dirname(sys.executable))


def run(text: str, *args: str) -> tuple[int, str, str]:
    """`samantha ARGS` with `text` piped in (no state kept, as piped input does by default)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def objects(text: str, *args: str) -> list[dict]:
    code, out, err = run(text, "--json", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_state_prints_the_state_and_is_not_taken_as_her_name():
    first, reply, second = objects("/state\nhi\n/state\n")
    assert first == {"kind": "command", "command": "/state",
                     "output": "phase: setup\nturns: 0 in all, 0 in this stage\nshe knows nothing about you yet"}
    assert reply["kind"] == "reply" and "/state" not in reply["text"]
    assert "she knows nothing about you yet" in second["output"]  # no name was stored


def test_plain_output_of_a_command_is_its_lines():
    code, out, _ = run("hi\nAnn\n/state\n")
    assert code == 0
    assert out.splitlines()[2:] == ["phase: setup", "turns: 2 in all, 0 in this stage", "  name: Ann"]


def test_json_replies_and_commands_are_objects_of_their_own_kind():
    reply, command = objects("hello\n/help\n")
    assert list(reply) == ["kind", "text", "theme", "card", "score", "phase", "stage"]
    assert reply["kind"] == "reply" and reply["theme"] == "setup_intro"
    assert set(command) == {"kind", "command", "output"} and command["kind"] == "command"
    assert "/whynot CARD" in command["output"]


def test_one_output_per_non_blank_line_and_blank_lines_are_no_turn():
    found = objects("hi\n\n   \n\t\r\nAnn\n/why\n/whynot setup.name\n/undo\n/state\n")
    assert [item["kind"] for item in found] == ["reply", "reply", "command", "command", "command", "command"]
    assert found[2]["output"].startswith("you said: 'Ann'")
    assert found[3]["output"].startswith("setup.name: ")
    assert found[4]["output"] == "Took back the last turn."
    assert "turns: 1 in all" in found[5]["output"]  # the blank lines were not turns


def test_quit_says_goodbye_and_ends_the_run():
    found = objects("hi\n/quit\nhello\n/state\n")
    assert [item["kind"] for item in found] == ["reply", "command"]
    assert found[1]["command"] == "/quit" and found[1]["output"]  # her goodbye, the last output
    code, out, _ = run("/QUIT now\nhello\n")
    assert code == 0 and len(out.splitlines()) == 1


def test_a_line_starting_with_a_slash_is_a_command_as_in_the_repl():
    (found,) = objects("/shrug lol\n")
    assert found == {"kind": "command", "command": "/shrug", "output": "unknown command /shrug (/help lists them)"}
    (close,) = objects("  /stat\n")
    assert close["output"].startswith("unknown command /stat; did you mean '/state'?")


def test_reset_cannot_ask_so_it_resets_and_says_so():
    *_, reset, state = objects("hi\nAnn\n/reset\n/state\n")
    assert "piped input is not asked" in reset["output"] and "Started fresh." in reset["output"]
    assert "turns: 0 in all" in state["output"]


def test_record_writes_a_script_that_samantha_test_passes(tmp_path):
    script = tmp_path / "talk.yaml"
    *_, recorded = objects(f"hi\nAnn\nsocial\n/record {script}\n")
    assert recorded["output"] == f"recorded 3 turns to {script}"
    assert main(["test", str(script)], stdout=io.StringIO(), stderr=io.StringIO()) == 0


def test_reload_rereads_the_packs(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("cards:\n  - {id: x.fig, theme: x, patterns: ['fig'], lines: ['Fig!']}\n")
    (reloaded,) = objects("/reload\n", "--dialogues", str(pack))
    assert reloaded["output"].startswith("reloaded ") and str(pack) in reloaded["output"]


@pytest.mark.skipif(SAMANTHA is None, reason="the samantha console script is not installed")
def test_the_installed_command_runs_slash_commands_from_a_pipe():
    done = subprocess.run([SAMANTHA, "--json"], input="/state\n\n/quit\nhello\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    assert [json.loads(line)["command"] for line in done.stdout.splitlines()] == ["/state", "/quit"]
