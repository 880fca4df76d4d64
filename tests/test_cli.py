"""The `samantha` command in piped mode: a line per turn, JSON, seeds, packs, and clean errors."""
from __future__ import annotations

import io
import json
import subprocess
import sys

from samantha_bot.cli import main


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
    assert set(reply) == {"text", "theme", "card", "score", "phase", "stage"}
    assert (reply["theme"], reply["phase"]) == ("setup_intro", "setup")


def test_the_same_seed_gives_the_same_output():
    conversation = "hi\nSam\nantisocial\nmale\nshe's lovely\ntell me a joke\ndo you love me\n"
    assert run(["--seed", "5"], conversation) == run(["--seed", "5"], conversation)


def test_extra_packs_are_added_on_top(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("cards:\n  - {id: x.pineapple, theme: x, patterns: ['pineapple'], lines: ['Pineapple!']}\n")
    _, out, _ = run(["--json", "--dialogues", str(pack)], "hi\nTed\nsocial\nfemale\nok\npineapple\n")
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
