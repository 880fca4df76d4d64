"""The project's own promises: README's two commands, and CI running the very test command."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def commands() -> list[str]:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("not run from a checkout")
    return re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", readme.read_text(encoding="utf-8"))


def test_readme_opens_with_the_chat_and_the_test_commands():
    chat, test = commands()[:2]
    assert chat.endswith("samantha") and "pip install ." in chat
    assert "'.[test]'" in test and test.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    test = commands()[1]
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("tool", [["ruff", "check", "samantha_bot"], ["mypy"]], ids=["ruff", "mypy"])
def test_the_code_passes_its_own_linters(tool):
    """ruff and mypy, with the configuration in pyproject.toml, are clean on samantha_bot/."""
    import subprocess
    import sys
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("not run from a checkout")
    pytest.importorskip(tool[0])
    done = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
