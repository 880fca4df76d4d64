"""`samantha test`: run conversation scripts and report each failure side by side with its why."""
from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence, TextIO

from . import loader
from .boundary import Parser, guarded
from .coverage import Coverage
from .engine import Engine, bundled_dialogues
from .errors import ContentError, ExitStatus, Problem, UsageError
from .explain import why_not
from .render import one_line
from .scripts import (TEXT_CHECKS, Expect, Script, Turn, check_names, load_script, looks_like_script,
                      script_problems)
from .session import Reply, Session

TEXT_WIDTH = 56  # the width of each side of the expected/actual table


@dataclass(frozen=True)
class Check:
    name: str
    expected: Any
    actual: str | None
    ok: bool


@dataclass(frozen=True)
class Exchange:
    """One line said and her reply, with the state after it and what was checked."""

    turn: int  # index into script.turns
    phrasing: int  # index into the turn's says
    repetition: int
    said: str
    reply: Reply
    phase: str
    stage: str | None
    checks: tuple[Check, ...]
    why_not: str = ""  # when the expected card did not answer: why, from the state before

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


@dataclass
class Result:
    """A script's outcome: passed, failed at an exchange, or could not be run at all."""

    path: str
    name: str
    exchanges: list[Exchange] = field(default_factory=list)
    problems: tuple[Problem, ...] = ()

    @property
    def failure(self) -> Exchange | None:
        return next((e for e in self.exchanges if not e.ok), None)

    @property
    def status(self) -> str:
        return "ERROR" if self.problems else "FAIL" if self.failure else "PASS"


def check(expects: Iterable[Expect], reply: Reply, session: Session) -> tuple[Check, ...]:
    """Each expectation against the reply and the session after it."""
    checks = []
    for expect in expects:
        name, value, text = expect.name, expect.value, reply.text
        if name in ("theme", "card"):
            actual = getattr(reply, name)
            checks.append(Check(name, value, actual, actual == value))
        elif name in ("phase", "stage"):
            actual = getattr(session, name)
            checks.append(Check(name, value, actual, actual == value))
        elif name == "reply":
            checks.append(Check(name, value, text, text == value))
        elif name == "one_of":
            checks.append(Check(name, value, text, text in value))
        elif name == "matches":
            checks.append(Check(name, value, text, value.search(text) is not None))
        else:
            for item in value:
                checks.append(Check(name, item, text, (item in text) == (name == "contains")))
    return tuple(checks)


class Runner:
    """Runs scripts; engines are loaded once per set of packs, and coverage is kept across runs.

    `base` is what every script's packs are loaded on top of: the bundled persona unless given.
    """

    def __init__(self, base: Sequence[str | Path] | None = None) -> None:
        self.base = [bundled_dialogues()] if base is None else list(base)
        self.engines: dict[tuple[str, ...], Engine] = {}
        self.coverage = Coverage()

    def engine(self, packs: Sequence[str]) -> Engine:
        key = tuple(packs)
        if key not in self.engines:
            self.engines[key] = Engine.load([*self.base, *packs])
            self.coverage.add(self.engines[key])
        return self.engines[key]

    def run_path(self, path: str | Path) -> Result:
        """Load and run one script file; an unreadable one gives a Result holding its problems."""
        try:
            script = load_script(path)
        except ContentError as error:
            return Result(str(path), Path(path).stem, problems=error.problems)
        return self.run(script)

    def run(self, script: Script) -> Result:
        result = Result(script.path, script.name)
        try:
            engine = self.engine(script.packs)
        except ContentError as error:
            result.problems = error.problems
            return result
        result.problems = tuple(check_names(script, engine))
        if result.problems:
            return result
        try:
            session = self._start(script, engine)
        except ValueError as error:
            problems = script_problems(script)
            problems.add(script.where.get("state", script.where["start"]), f"start: {error}")
            result.problems = tuple(problems.all())
            return result
        for number, turn in enumerate(script.turns):
            before = session.to_dict() if len(turn.says) > 1 else {}
            for phrasing, said in enumerate(turn.says):
                # Every phrasing starts from the same state; the conversation goes on from the first.
                talking = session if phrasing == 0 else engine.restore(before)
                for repetition in range(turn.repeat):
                    state = talking.to_dict()
                    exchange = self._exchange(engine, talking, turn, said, (number, phrasing, repetition))
                    if not exchange.ok:
                        exchange = _with_why_not(exchange, engine, state)
                    result.exchanges.append(exchange)
                    if not exchange.ok:
                        return result
        return result

    def _start(self, script: Script, engine: Engine) -> Session:
        if script.state is not None:
            return engine.restore(dict(script.state))
        session = engine.new_session(seed=script.seed, phase=script.phase, stage=script.stage)
        session.facts.update({k: list(v) if isinstance(v, list) else v for k, v in script.facts.items()})
        return session

    def _exchange(self, engine: Engine, session: Session, turn: Turn, said: str,
                  at: tuple[int, int, int]) -> Exchange:
        used = dict(session.used)  # its values are tuples: this copy is the state before the turn
        reply = session.reply(said)
        self.coverage.note(engine, reply, used, session.used)
        return Exchange(*at, said, reply, session.phase, session.stage, check(turn.expects, reply, session))


def _with_why_not(exchange: Exchange, engine: Engine, state: dict[str, Any]) -> Exchange:
    """The failed exchange, told why the card it expected did not answer."""
    expected = next((c.expected for c in exchange.checks if c.name == "card" and not c.ok), None)
    if expected is None or expected not in engine.cards_by_id:
        return exchange
    return dataclasses.replace(exchange, why_not=why_not(engine.restore(state), exchange.said, expected))


# --- coverage

def _expected(check: Check) -> str:
    value = check.expected
    if check.name == "matches":
        return f"/{value.pattern}/"
    if check.name == "one_of":
        return "one of: " + " | ".join(repr(item) for item in value)
    if check.name in ("contains", "not_contains"):
        return repr(value)
    return "(none)" if value is None else str(value)


def side_by_side(rows: Sequence[tuple[str, str, str]], width: int = TEXT_WIDTH) -> list[str]:
    """Rows of (check, expected, actual) in columns, long text wrapped within its own column."""
    label = max([len("check")] + [len(row[0]) for row in rows])
    left_width = min(width, max([len("expected")] + [len(row[1]) for row in rows]))
    out = [f"    {'check':<{label}}  {'expected':<{left_width}}  actual"]
    for what, expected, actual in rows:
        left = textwrap.wrap(expected, left_width) or [""]
        right = textwrap.wrap(actual, width) or [""]
        for n in range(max(len(left), len(right))):
            cells = (what if n == 0 else "", left[n] if n < len(left) else "", right[n] if n < len(right) else "")
            out.append(f"    {cells[0]:<{label}}  {cells[1]:<{left_width}}  {cells[2]}".rstrip())
    return out


def _rows(checks: Iterable[Check]) -> list[tuple[str, str, str]]:
    """The failed checks as table rows; the reply's text is written out once, then referred to."""
    rows, text_shown = [], False
    for check in checks:
        actual = "(none)" if check.actual is None else str(check.actual)
        expected = _expected(check)
        if check.name == "reply" and expected.split() == actual.split():
            expected, actual = repr(expected), repr(actual)  # they differ only in spacing: show it
        if check.name in TEXT_CHECKS:
            actual, text_shown = ("(the same reply)" if text_shown else actual), True
        rows.append((check.name, expected, actual))
    return rows


def describe(result: Result) -> str:
    """One line for a passing script; for a failure, the conversation and the side-by-side diff."""
    where = f"{result.path}: {result.name}"
    if result.problems:
        return f"ERROR {where}: the script cannot be run\n" + "\n".join(p.render() for p in result.problems)
    failed = result.failure
    if failed is None:
        return f"PASS {where} ({len(result.exchanges)} exchanges)"
    lines = [f"FAIL {where} (turn {failed.turn + 1})"]
    # The conversation as it went on (first phrasings), then the failing phrasing's own exchanges.
    shown = [e for e in result.exchanges if (e.turn, e.phrasing) == (failed.turn, failed.phrasing)
             or (e.turn < failed.turn and e.phrasing == 0)]
    for exchange in shown:
        mark = ">" if exchange is failed else " "
        lines.append(f"  {mark} you: {one_line(exchange.said)}")
        lines.append(f"    her: {one_line(exchange.reply.text)}")
        lines.append(f"         [{exchange.reply.theme} · {exchange.reply.card} · "
                     f"{exchange.phase}{'/' + exchange.stage if exchange.stage else ''}]")
    notes = []
    if failed.phrasing:
        notes.append(f"phrasing {failed.phrasing + 1} of say_any")
    if failed.repetition:
        notes.append(f"repetition {failed.repetition + 1}")
    lines.append(f"  turn {failed.turn + 1} failed" + (f" ({', '.join(notes)})" if notes else "") + ":")
    lines += side_by_side(_rows(c for c in failed.checks if not c.ok))
    held = [f"{c.name} {c.expected!r}" if c.name in ("contains", "not_contains") else c.name
            for c in failed.checks if c.ok]
    if held:
        lines.append(f"    (held: {', '.join(held)})")
    lines.append("  answered by: " + failed.reply.explain().replace("\n", "\n  "))
    if failed.why_not:
        lines.append(f"  why not the expected card: {failed.why_not}")
    return "\n".join(lines)


# --- the command

def find_scripts(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders searched for YAML files that are conversation scripts."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [p for p in loader.pack_files(path) if looks_like_script(p)]
        else:
            found.append(path)
    return found


def main(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """`samantha test PATH... [--coverage]`: 0 all passed, 1 a failure, 2 a script that cannot be
    read or a bad command line (one line on stderr, through the command's one error boundary)."""
    return guarded(lambda: run_scripts(argv, stdout, stderr), stderr)


def run_scripts(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """The command itself: a bad command line raises UsageError for the boundary to say."""
    parser = Parser(stdout, stderr, prog="samantha test",
                    description="Run conversation scripts (YAML): one line per script, a diff per failure.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="script files, or folders of them")
    parser.add_argument("--coverage", action="store_true",
                        help="report the cards, lines and themes the scripts never reached")
    args = parser.parse_args(list(argv))
    scripts = find_scripts(args.paths)
    if not scripts:
        raise UsageError(f"test: no conversation scripts in {', '.join(args.paths)}")
    runner = Runner()
    counts = {"PASS": 0, "FAIL": 0, "ERROR": 0}
    for path in scripts:
        result = runner.run_path(path)
        counts[result.status] += 1
        stdout.write(describe(result) + "\n")
    summary = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    stdout.write(summary + (f", {counts['ERROR']} could not be read" if counts["ERROR"] else "") + "\n")
    if args.coverage:
        stdout.write(runner.coverage.report() + "\n")
    if counts["ERROR"]:
        return ExitStatus.USAGE
    return ExitStatus.FAILURE if counts["FAIL"] else ExitStatus.OK


# --- recording

