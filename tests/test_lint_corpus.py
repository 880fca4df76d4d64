"""The lint corpus: broken packs as a new author breaks them, each with the message it must get.

Every tests/lint_corpus/*.yaml is one pack broken in one way. Its first lines are comments:

    # expect: LINE:COL: error|warning: TEXT   one per message lint must print: at exactly
                                              PATH:LINE:COL, with TEXT in the message's first line
    # hint: TEXT                              optional, after an expect: that message's hint says TEXT
    # xfail: REASON                           optional: lint does not do this yet (strict xfail, so
                                              the test fails loudly once lint is fixed)

Lint must exit 1 when any error is expected; with warnings only it must exit 0, and 1 with --strict.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from samantha_bot.cli import main

CORPUS = Path(__file__).parent / "lint_corpus"
EXPECT = re.compile(r"#\s*expect:\s*(\d+):(\d+):\s*(error|warning):\s*(.+?)\s*$")
HINT = re.compile(r"#\s*hint:\s*(.+?)\s*$")
XFAIL = re.compile(r"#\s*xfail:\s*(.+?)\s*$")


@dataclass
class Expected:
    line: int
    col: int
    severity: str
    text: str
    hint: str | None = None


@dataclass
class Case:
    path: Path
    expected: list[Expected] = field(default_factory=list)
    xfail: str | None = None


def read_case(path: Path) -> Case:
    case = Case(path)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break  # the expectations are the file's first (comment) lines
        if found := EXPECT.match(line):
            case.expected.append(Expected(int(found[1]), int(found[2]), found[3], found[4]))
        elif found := HINT.match(line):
            assert case.expected, f"{path.name}: '# hint:' must follow an '# expect:' line"
            case.expected[-1].hint = found[1]
        elif found := XFAIL.match(line):
            case.xfail = found[1]
    return case


def corpus() -> list:
    params = []
    for path in sorted(CORPUS.glob("*.yaml")):
        case = read_case(path)
        marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
        params.append(pytest.param(case, id=path.name, marks=marks))
    return params


def run_lint(path: Path, *flags: str) -> tuple[int, str]:
    """Lint one corpus pack as the stand-alone pack it is (not on top of the bundled persona)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["lint", "--standalone", *flags, str(path)], stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def messages(output: str) -> list[list[str]]:
    """The output split into messages: a first line, then its indented source, caret and hint."""
    found: list[list[str]] = []
    for line in output.splitlines():
        if line.startswith("    ") and found:
            found[-1].append(line)
        else:
            found.append([line])
    return found


def test_the_corpus_is_big_enough():
    cases = [read_case(path) for path in CORPUS.glob("*.yaml")]
    assert len(cases) >= 30
    assert all(case.expected for case in cases), [case.path.name for case in cases if not case.expected]


@pytest.mark.parametrize("case", corpus())
def test_lint_says_what_a_broken_pack_needs(case: Case):
    code, output = run_lint(case.path)
    blocks = messages(output)
    for expected in case.expected:
        prefix = f"{case.path}:{expected.line}:{expected.col}: {expected.severity}: "
        matching = [block for block in blocks
                    if block[0].startswith(prefix) and expected.text in block[0][len(prefix):]]
        assert matching, f"expected {prefix}...{expected.text}...\nlint said:\n{output}"
        if expected.hint:
            assert any(line.strip().startswith("hint:") and expected.hint in line
                       for block in matching for line in block[1:]), \
                f"expected a hint saying {expected.hint!r} under {prefix}\nlint said:\n{output}"
    if any(expected.severity == "error" for expected in case.expected):
        assert code == 1, f"errors must fail the run\n{output}"
    else:
        assert code == 0, f"warnings alone must not fail the run without --strict\n{output}"
        strict_code, strict_output = run_lint(case.path, "--strict")
        assert strict_code == 1, f"warnings must fail the run with --strict\n{strict_output}"
