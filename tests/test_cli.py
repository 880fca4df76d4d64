"""The `samantha` command: a line per turn, JSON, seeds, packs, help, and one clean line for every
failure, with a named exit status (piped slash commands are in test_piped.py)."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samantha_bot import cli
from samantha_bot.cli import main
from samantha_bot.engine import bundled_dialogues
from samantha_bot.errors import ExitStatus, UsageError

SAMANTHA = shutil.which("samantha", path=os.path.dirname(sys.executable))


def run(args: list[str], text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_piped_input_gets_one_reply_per_line():
    code, out, _ = run([], "hello\nTheodore\nsocial\n")
    assert code == 0
    assert len(out.splitlines()) == 3


def test_json_replies_carry_the_contract_fields():
    code, out, _ = run(["--json"], "hello\n")
    reply = json.loads(out)
    assert code == 0
    assert set(reply) == {"kind", "text", "theme", "card", "score", "phase", "stage"}
    assert (reply["theme"], reply["phase"]) == ("setup_intro", "setup")


def test_the_same_seed_gives_the_same_output():
    conversation = "hi\nSam\nantisocial\nmale\nshe's lovely\ntell me a joke\ndo you love me\n"
    assert run(["--seed", "5"], conversation) == run(["--seed", "5"], conversation)


def test_extra_packs_are_added_on_top(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("cards:\n  - {id: x.pineapple, theme: x, patterns: ['pineapple'], lines: ['Pineapple!']}\n")
    _, out, _ = run(["--json", "--dialogues", str(pack)], "hi\nTed\nsocial\nfemale\nshe is lovely\npineapple\n")
    assert json.loads(out.splitlines()[-1])["card"] == "x.pineapple"


def test_a_broken_pack_is_a_clear_message_not_a_traceback(tmp_path):
    pack = tmp_path / "broken.yaml"
    pack.write_text("cards:\n  - id: x\n    theme: x\n    lines: [a]\n    trigers: [b]\n")
    code, out, err = run(["--dialogues", str(pack)], "hello\n")
    assert code == 1 and out == ""
    assert f"{pack}:5:5: error: unknown key 'trigers'" in err
    assert "Traceback" not in err


def test_lint_reports_file_line_col_and_exit_status(tmp_path):
    pack = tmp_path / "broken.yaml"
    pack.write_text("cards:\n  - {id: x, theme: x, lines: [a], when: {min_stage: later}}\n")
    code, out, _ = run(["lint", str(pack)], "")
    assert code == 1
    assert f"{pack}:2:" in out and "unknown stage 'later'" in out
    assert run(["lint", str(pack.parent / "nothing.yaml")], "")[0] == 1


def test_python_dash_m_runs_the_same_command():
    done = subprocess.run([sys.executable, "-m", "samantha_bot", "--json"], input="hello\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert json.loads(done.stdout)["theme"] == "setup_intro"


# --- one line and a named exit status for every failure

def one_line_failure(args: list[str], text: str = "hi\n") -> str:
    """Run a failing command; assert exit 2, nothing on stdout, one line on stderr; return it."""
    code, out, err = run(args, text)
    assert (code, out) == (ExitStatus.USAGE, ""), err
    assert len(err.splitlines()) == 1 and err.startswith("samantha: ") and "Traceback" not in err
    return err


def test_a_state_path_that_is_a_folder_is_refused_in_one_line(tmp_path):
    assert one_line_failure(["--state", "/"]) == "samantha: --state / is a folder; name a file in it, such as /session.json\n"
    assert "is a folder" in one_line_failure(["--state", str(tmp_path)])


def test_a_state_path_whose_folder_is_missing_is_refused(tmp_path):
    err = one_line_failure(["--state", str(tmp_path / "missing" / "talk.json")])
    assert err == f"samantha: --state {tmp_path / 'missing' / 'talk.json'}: {tmp_path / 'missing'} does not exist\n"
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, a folder no one can write")
def test_a_state_path_that_cannot_be_written_is_refused():
    err = one_line_failure(["--state", "/proc/x.json"])
    assert err.startswith("samantha: --state /proc/x.json: cannot write in /proc (")


@pytest.mark.parametrize("args, message", [
    (["--seed", "x"], "samantha: argument --seed: invalid int value: 'x' (see 'samantha --help')"),
    (["--bogus"], "samantha: unrecognized arguments: --bogus (see 'samantha --help')"),
    (["lint"], "samantha: lint: the following arguments are required: PATH (see 'samantha lint --help')"),
    (["test"], "samantha: test: the following arguments are required: PATH (see 'samantha test --help')"),
    (["bench", "--inputs", "many"], "samantha: bench: argument --inputs: invalid int value: 'many'"),
    (["lnit", "pack.yaml"], "samantha: unknown command 'lnit'; did you mean 'lint'? (see 'samantha help')"),
    (["help", "nope"], "samantha: no command 'nope' to help with"),
], ids=["chat-type", "chat-unknown", "lint-no-path", "test-no-path", "bench-type", "unknown-command", "help-unknown"])
def test_a_bad_command_line_is_one_line_on_the_given_stream(args, message):
    assert one_line_failure(args).startswith(message)


def test_a_missing_pack_is_one_line_and_exit_1(tmp_path):
    code, out, err = run(["--dialogues", str(tmp_path / "nothing.yaml")], "hi\n")
    assert (code, out) == (ExitStatus.FAILURE, "")
    assert err == f"samantha: {tmp_path / 'nothing.yaml'}: no such file or folder\n"


def test_an_unexpected_exception_is_one_line_with_its_own_status(monkeypatch):
    def broken(*args):
        raise RuntimeError("the engine is on fire")

    monkeypatch.setattr(cli, "chat", broken)
    code, out, err = run([], "hi\n")
    assert (code, out) == (ExitStatus.INTERNAL, "")
    assert err == ("samantha: internal error: RuntimeError: the engine is on fire; "
                   "run with --traceback for details\n")
    with pytest.raises(RuntimeError):
        run(["--traceback"], "hi\n")


def test_traceback_anywhere_on_the_line_raises_instead():
    with pytest.raises(UsageError, match="is a folder"):
        run(["--state", "/", "--traceback"], "")
    with pytest.raises(UsageError, match="required: PATH"):
        run(["--traceback", "lint"], "")


@pytest.mark.skipif(SAMANTHA is None, reason="the samantha console script is not installed")
@pytest.mark.parametrize("args", [["--state", "/"], ["--state", "/proc/x.json"], ["lint"], ["--seed", "x"]])
def test_the_installed_command_fails_in_one_line_without_a_traceback(args):
    done = subprocess.run([SAMANTHA, *args], input="hi\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr


# --- help

def test_samantha_help_lists_the_commands():
    code, out, err = run(["help"], "")
    assert (code, err) == (0, "")
    assert out.startswith("usage: samantha [options]\n")
    for command in ("samantha test PATH", "samantha lint PATH", "samantha bench", "samantha help", "--traceback"):
        assert command in out
    assert run(["--help"], "") == (0, out, "")


def test_samantha_help_command_shows_that_commands_help():
    code, out, _ = run(["help", "lint"], "")
    assert code == 0 and out.startswith("usage: samantha lint") and "--standalone" in out
    assert run(["help", "bench"], "")[1].startswith("usage: samantha bench")


# --- packs given on the command line

def test_the_bundled_folder_given_as_a_pack_is_not_loaded_twice():
    conversation = "hi\nAnn\nsocial\nfemale\nshe is lovely\ndo you love me\n"
    plain = run(["--json", "--no-cache"], conversation)
    assert run(["--json", "--no-cache", "--dialogues", str(bundled_dialogues())], conversation) == plain
    assert plain[0] == 0


def test_a_copy_of_the_persona_stands_in_for_the_bundled_one(tmp_path):
    """A checkout's dialogues/ beside a non-editable install is a copy of the persona: it is
    loaded instead of the installed one (edits show), never on top of it (every id twice)."""
    copy = Path(shutil.copytree(bundled_dialogues(), tmp_path / "dialogues"))
    setup = copy / "setup.yaml"
    setup.write_text(setup.read_text().replace("Hi there! I've been switched on", "Hi there! Edited, switched on"))
    code, out, err = run(["--no-cache", "--seed", "0", "--dialogues", str(copy)], "hi\n")
    assert (code, err) == (0, "") and "Edited" in out
    lint_out = io.StringIO()
    assert main(["lint", "--strict", str(copy)], stdout=lint_out, stderr=io.StringIO()) == 0, lint_out.getvalue()


def test_an_empty_pack_is_warned_about_and_the_chat_starts(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n")
    code, out, err = run(["--dialogues", str(empty)], "hi\n")
    assert (code, err) == (0, f"samantha: warning: {empty} defines nothing\n")
    assert len(out.splitlines()) == 1
