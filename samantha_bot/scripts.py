"""Conversation scripts: YAML turns and expectations, loaded with locations, run, reported and recorded."""
from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, TextIO

import yaml

from . import loader, reader, schema
from .engine import Engine, bundled_dialogues
from .errors import ContentError, ExitStatus, Location, Problem, did_you_mean
from .explain import why_not
from .schema import Key
from .session import Reply, Session

SCRIPT_KEYS = {"name": Key(schema.TEXT, required=True), "seed": Key(schema.INT), "start": Key(schema.MAPPING),
               "packs": Key(schema.TEXT_LIST), "turns": Key(schema.LIST, required=True)}
START_KEYS = {"phase": Key(schema.TEXT), "stage": Key(schema.TEXT), "facts": Key(schema.MAPPING),
              "state": Key(schema.MAPPING)}
# What must hold of a reply, in the order a failure report lists them.
EXPECTATIONS = ("theme", "card", "phase", "stage", "reply", "contains", "not_contains", "matches", "one_of")
TURN_KEYS = {"say": Key(schema.TEXT), "say_any": Key(schema.TEXT_LIST), "repeat": Key(schema.INT),
             **{name: Key(schema.TEXT) for name in EXPECTATIONS}}
TEXT_CHECKS = ("reply", "contains", "not_contains", "matches", "one_of")
SHOWN_CHARS = 160  # a very long line is cut to this in reports; the check still sees all of it
TEXT_WIDTH = 56  # the width of each side of the expected/actual table


@dataclass(frozen=True)
class Expect:
    """One thing that must hold after a turn; `value` is text, a list of text, or a compiled regex."""

    name: str
    value: Any
    location: Location


@dataclass(frozen=True)
class Turn:
    """What the person says (one phrasing, or several run from the same state) and what must follow."""

    says: tuple[str, ...]
    location: Location
    expects: tuple[Expect, ...] = ()
    repeat: int = 1


@dataclass(frozen=True)
class Script:
    """A whole conversation script, every part with its place in the file."""

    name: str
    path: str
    turns: tuple[Turn, ...]
    seed: int = 0
    phase: str | None = None
    stage: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    state: Mapping[str, Any] | None = None  # a whole saved session (what /record writes for a resumed one)
    packs: tuple[str, ...] = ()  # resolved against the script's folder
    where: Mapping[str, Location] = field(default_factory=dict)  # start keys -> location
    source: tuple[str, ...] = ()  # the file's lines, to show under a problem found when it runs


# --- loading

class _Reader(reader.FileReader):
    """The pack loader's typed reads and `fail`, applied to a script's nodes."""

    def raw_text(self, node: yaml.Node, what: str) -> str | None:
        """Text exactly as written: what a person types may be empty or spaced."""
        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            return str(node.value)
        self.fail(node, f"{what} should be text (write \"\" for an empty line)")
        return None

    def raw_texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else None
        if not items:
            self.fail(node, f"{what} should be a list of text, at least one")
            return ()
        values = [self.raw_text(item, f"an item of {what}") for item in items]
        return tuple(value for value in values if value is not None)

    def script(self, root: yaml.Node | None, base: Path) -> Script | None:
        if root is None:
            self.problems.add(Location(self.name, 1, 1), "the script is empty", "a script needs 'name' and 'turns'")
            return None
        top = self.mapping(root, SCRIPT_KEYS, "script")
        if top is None:
            return None
        name = self.text(top["name"], "name") if "name" in top else None
        seed = self.integer(top["seed"], "seed") if "seed" in top else 0
        packs = self.texts(top["packs"], "packs", lambda node, pack: None if (base / pack).exists() else
                           self.fail(node, f"no such pack: {base / pack}", "packs are found relative to the script")
                           ) if "packs" in top else ()
        start, where = self.start(top["start"]) if "start" in top else ({}, {})
        if "seed" in top and "state" in start:
            self.fail(top["seed"], "the seed comes from start.state; give one or the other")
        turns = [self.turn(node) for node in self.sequence(top["turns"], "turns")] if "turns" in top else []
        if "turns" in top and isinstance(top["turns"], yaml.SequenceNode) and not top["turns"].value:
            self.fail(top["turns"], "turns is empty", "add a turn: - say: hello")
        if name is None or seed is None or None in turns:
            return None
        return Script(name=name, path=self.name, turns=tuple(t for t in turns if t), seed=seed,
                      phase=start.get("phase"), stage=start.get("stage"), facts=start.get("facts", {}),
                      state=start.get("state"), packs=tuple(str(base / pack) for pack in packs),
                      where={"start": self.where(root), **where},
                      source=tuple(self.problems.sources.get(self.name, ())))

    def start(self, node: yaml.Node) -> tuple[dict[str, Any], dict[str, Location]]:
        keys = self.mapping(node, START_KEYS, "start") or {}
        found: dict[str, Any] = {}
        for key in ("phase", "stage"):
            if key in keys:
                found[key] = self.text(keys[key], key)
        if found.get("phase") not in (None, *schema.PHASES):
            self.fail(keys["phase"], f"phase should be one of {', '.join(schema.PHASES)}",
                      did_you_mean(found["phase"], schema.PHASES))
        if "facts" in keys:
            found["facts"] = self.facts(keys["facts"])
        if "state" in keys:
            found["state"] = _plain(keys["state"])
            for other in ("phase", "stage", "facts"):
                if other in keys:
                    self.fail(keys[other], f"start.state holds the whole session, {other} included; "
                                           f"give one or the other")
        return found, {"start": self.where(node), **{key: self.where(value) for key, value in keys.items()}}

    def facts(self, node: yaml.Node) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "facts should be a mapping of fact names to text or lists of text")
            return {}
        facts: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(value_node, yaml.SequenceNode):
                facts[str(key_node.value)] = list(self.texts(value_node, f"fact '{key_node.value}'"))
            else:
                value = self.text(value_node, f"fact '{key_node.value}'")
                if value is not None:
                    facts[str(key_node.value)] = value
        return facts

    def turn(self, node: yaml.Node) -> Turn | None:
        if isinstance(node, yaml.ScalarNode):  # `- hello` is a turn with nothing expected
            said = self.raw_text(node, "a turn")
            return Turn((said,), self.where(node)) if said is not None else None
        keys = self.mapping(node, TURN_KEYS, "turn")
        if keys is None:
            return None
        says: tuple[str, ...] = ()
        if ("say" in keys) == ("say_any" in keys):
            self.fail(node, "a turn needs 'say' (what the person types) or 'say_any' (a list of phrasings)"
                      if "say" not in keys else "a turn has 'say' or 'say_any', not both")
        elif "say" in keys:
            said = self.raw_text(keys["say"], "say")
            says = (said,) if said is not None else ()
        else:
            says = self.raw_texts(keys["say_any"], "say_any")
        repeat = self.integer(keys["repeat"], "repeat") if "repeat" in keys else 1
        if repeat == 0:
            self.fail(keys["repeat"], "repeat should be 1 or more")
        expects = [self.expect(name, keys[name]) for name in EXPECTATIONS if name in keys]
        if not says or not repeat or None in expects:
            return None
        return Turn(says, self.where(node), tuple(e for e in expects if e), repeat)

    def expect(self, name: str, node: yaml.Node) -> Expect | None:
        where = self.where(node)
        if name == "stage" and isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return Expect(name, None, where)  # no stage: still in setup
        if name in ("contains", "not_contains", "one_of"):
            values = self.raw_texts(node, name) if isinstance(node, yaml.SequenceNode) else \
                tuple(v for v in [self.raw_text(node, name)] if v is not None)
            return Expect(name, values, where) if values else None
        value = self.raw_text(node, name) if name == "reply" else self.text(node, name)
        if value is None:
            return None
        if name == "matches":
            try:
                return Expect(name, re.compile(value), where)
            except re.error as error:
                self.fail(node, f"matches: not a regular expression: {error.msg}", offset=error.pos or 0)
                return None
        if name == "phase" and value not in schema.PHASES:
            self.fail(node, f"phase should be one of {', '.join(schema.PHASES)}", did_you_mean(value, schema.PHASES))
            return None
        return Expect(name, value, where)


def _plain(node: yaml.Node) -> Any:
    """A node as plain data, through the safe constructor (tags were checked already)."""
    return yaml.SafeLoader("").construct_document(node)


def parse_script(text: str, name: str = "<string>", base: str | Path | None = None) -> Script:
    """A script from YAML text; raises ContentError with every problem, `file:line:col` each."""
    problems = reader.Problems()
    problems.sources[name] = text.splitlines()
    _, root = reader.read_nodes(text, name, problems)
    script = None
    if not problems.found:
        script_reader = _Reader(name, problems, reader.Pack(name))
        script = script_reader.script(root, Path(base) if base is not None else Path(name).parent)
    if problems.found or script is None:
        raise ContentError(problems.all(), len(problems.found) + problems.dropped)
    return script


def load_script(path: str | Path) -> Script:
    """A script from its file; packs it names are found relative to it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([Problem(Location(str(path)), f"cannot read: {error}")]) from None
    return parse_script(text, str(path), Path(path).parent)


def looks_like_script(path: str | Path) -> bool:
    """Whether a YAML file is meant as a conversation script: a mapping with `turns` (or broken YAML
    that says `turns:`), so packs and probe lists next to scripts are left alone."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        root = reader.compose_yaml(text, str(path))
    except (yaml.YAMLError, RecursionError):
        return re.search(r"^turns\s*:", text, re.MULTILINE) is not None
    return isinstance(root, yaml.MappingNode) and any(key.value == "turns" for key, _ in root.value)


def _problems(script: Script) -> reader.Problems:
    """A collector that shows the script's own line under each problem found while it runs."""
    problems = reader.Problems()
    problems.sources[script.path] = list(script.source)
    return problems


def check_names(script: Script, engine: Engine) -> list[Problem]:
    """Names a script expects that the packs do not have: a misspelt card or theme fails here, not later."""
    known = {"card": set(engine.cards_by_id) | {f"setup.{step.id}" for step in engine.setup}
             | {engine.last_resort.id},
             "theme": set(engine.themes) | {step.theme for step in engine.setup} | {"fallback"},
             "stage": set(engine.stage_ids)}
    problems = _problems(script)
    checks = [(e.name, e.value, e.location) for turn in script.turns for e in turn.expects if e.name in known]
    if script.stage is not None:
        checks.append(("stage", script.stage, script.where["stage"]))
    for kind, value, location in checks:
        if value is not None and value not in known[kind]:
            problems.add(location, f"unknown {kind} '{value}' in the loaded packs", did_you_mean(value, known[kind]))
    return problems.all()


# --- running

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
            problems = _problems(script)
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
        used = {key: list(value) for key, value in session.used.items()}
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

class Coverage:
    """Which cards, setup steps, lines and themes of the loaded packs replies came from.

    A line is reached when the session's `used` record gains its index in that turn: the record the
    session keeps to rotate lines, so this is exactly the line the reply was made from.
    """

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}  # "card.id (file:line:col)" -> "card" | "setup"
        self.lines: dict[tuple[str, str, int], str] = {}  # (owner, pool, index) -> the line
        self.themes: set[str] = set()
        self.reached_owners: set[str] = set()
        self.reached_lines: set[tuple[str, str, int]] = set()
        self.reached_themes: set[str] = set()
        self._pools: dict[int, dict[str, str]] = {}  # id(engine) -> pool -> owner
        self.untyped: set[str] = set()  # cards with no examples or patterns (said by the REPL)

    def add(self, engine: Engine) -> None:
        """Count an engine's content as reachable (the same card loaded by two engines counts once)."""
        pools = self._pools.setdefault(id(engine), {})
        for owner_id, location, kind, pool, lines in _pools(engine):
            owner = f"{owner_id} ({location})"
            self.owners[owner] = kind
            pools[pool] = owner
            for index, line in enumerate(lines):
                self.lines[(owner, pool, index)] = line
        self.themes |= set(engine.themes) | {step.theme for step in engine.setup}
        self.untyped |= {f"{card.id} ({card.location})" for card in engine.content.cards
                         if not (card.examples or card.patterns or card.is_fallback)}

    def note(self, engine: Engine, reply: Reply, before: Mapping[str, list[int]],
             after: Mapping[str, list[int]]) -> None:
        """One reply: its theme, and the line each pool gained this turn (a pick appends its index)."""
        pools = self._pools.get(id(engine), {})
        self.reached_themes.add(reply.theme)
        for raw, picked in after.items():
            pool = _canonical(engine, raw)
            if picked and picked != before.get(raw) and pool in pools:
                self.reached_owners.add(pools[pool])
                self.reached_lines.add((pools[pool], pool, picked[-1]))

    def figures(self) -> dict[str, tuple[int, int]]:
        """(reached, total) for cards, setup steps, lines and themes."""
        def count(kind: str) -> tuple[int, int]:
            owners = [owner for owner, of in self.owners.items() if of == kind]
            return sum(owner in self.reached_owners for owner in owners), len(owners)
        return {"cards": count("card"), "setup": count("setup"),
                "lines": (len(self.reached_lines & self.lines.keys()), len(self.lines)),
                "themes": (len(self.reached_themes & self.themes), len(self.themes))}

    def report(self) -> str:
        out = ["coverage of the loaded packs:"]
        for what, (reached, total) in self.figures().items():
            if what == "setup" and not total:
                continue  # packs without a setup phase
            share = 100.0 * reached / total if total else 100.0
            out.append(f"  {what:<7} {reached:>4}/{total:<4} {share:5.1f}%")
        never = sorted(self.themes - self.reached_themes)
        if never:
            out.append(f"themes never reached: {', '.join(never)}")
        missed = [owner for owner in self.owners if owner not in self.reached_owners]
        if missed:
            out.append("cards and setup steps never reached:")
            here = f"{Path.cwd()}/"  # shorter to read, and still a path an editor opens
            out += [f"  {owner.replace(here, '')}" + (": nothing typed reaches it (no examples or patterns)"
                                                      if owner in self.untyped else "") for owner in missed]
        silent = [(key, line) for key, line in self.lines.items() if key not in self.reached_lines]
        if silent:
            out.append("lines never said:")
            out += [f"  {pool}#{index + 1}: {_short(line, 100)}" for (_, pool, index), line in silent]
        return "\n".join(out)


def _pools(engine: Engine) -> Iterable[tuple[str, Location, str, str, tuple[str, ...]]]:
    """Every pool of lines a session picks from, named as the session's `used` record names it."""
    for card in engine.content.cards:
        yield card.id, card.location, "card", card.id, card.lines
        for stage, lines in card.stage_lines.items():
            yield card.id, card.location, "card", f"{card.id}@{stage}", lines
        for kind, lines in card.followups.items():
            yield card.id, card.location, "card", f"{card.id}/{kind}", lines
    for step in engine.setup:
        owner = f"setup.{step.id}"
        yield owner, step.location, "setup", owner, step.ask
        yield owner, step.location, "setup", f"{owner}/steer", step.steer
        for choice, lines in step.replies.items():
            yield owner, step.location, "setup", f"{owner}/{choice}", lines


def _canonical(engine: Engine, pool: str) -> str:
    """A setup reply pool falls back to the step's common replies when its choice has none of its own."""
    owner, _, choice = pool.partition("/")
    if owner.startswith("setup.") and choice and choice != "steer":
        step = next((s for s in engine.setup if f"setup.{s.id}" == owner), None)
        if step is not None and choice not in step.replies:
            return f"{owner}/"
    return pool


# --- reporting

def _short(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text as one printable line: control characters escaped, a very long text cut."""
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


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
        lines.append(f"  {mark} you: {_short(exchange.said)}")
        lines.append(f"    her: {_short(exchange.reply.text)}")
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

class _Parser(argparse.ArgumentParser):
    """argparse writing to the streams it is given, and returning instead of exiting."""

    def __init__(self, stdout: TextIO, stderr: TextIO, **kwargs: Any):
        super().__init__(**kwargs)
        self.stdout, self.stderr = stdout, stderr

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            (self.stderr if file is sys.stderr else self.stdout if file in (None, sys.stdout) else file).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        if message:
            self.stderr.write(message)
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


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
    """`samantha test PATH... [--coverage]`: 0 all passed, 1 a failure, 2 a script that cannot be read."""
    parser = _Parser(stdout, stderr, prog="samantha test",
                     description="Run conversation scripts (YAML): one line per script, a diff per failure.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="script files, or folders of them")
    parser.add_argument("--coverage", action="store_true",
                        help="report the cards, lines and themes the scripts never reached")
    try:
        args = parser.parse_args(list(argv))
    except _Exit as done:
        return done.status
    scripts = find_scripts(args.paths)
    if not scripts:
        stderr.write(f"samantha test: no conversation scripts in {', '.join(args.paths)}\n")
        return ExitStatus.USAGE
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

class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def record_script(turns: Sequence[tuple[str, Reply]], *, name: str, seed: int = 0, phase: str | None = None,
                  stage: str | None = None, facts: Mapping[str, Any] | None = None,
                  packs: Sequence[str | Path] = (), state: Mapping[str, Any] | None = None,
                  relative_to: str | Path | None = None) -> str:
    """The YAML of a script that expects the replies she gave (theme, card, exact text).

    `state` is the session as it was before the first turn (`to_dict()`); give it when the
    conversation did not start fresh, since a resumed session's rotation and turn count shape
    what she says. Packs are written relative to `relative_to` (the script's future folder)
    when given, else as absolute paths, so the file passes `samantha test` wherever it is run.
    """
    if state is not None and _is_fresh(state):
        seed, phase, stage, facts, state = state["seed"], state["phase"], state["stage"], state["facts"], None
    data: dict[str, Any] = {"name": name}
    if state is None:
        data["seed"] = int(seed)
        start = {"phase": phase, "stage": stage if phase != "setup" else None,
                 "facts": {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in (facts or {}).items()}}
        start = {key: value for key, value in start.items() if value}
    else:
        start = {"state": dict(state)}
    if start:
        data["start"] = start
    if packs:
        data["packs"] = [_pack_path(pack, relative_to) for pack in packs]
    data["turns"] = [{"say": said, "theme": reply.theme, "card": reply.card, "reply": reply.text}
                     for said, reply in turns]
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=float("inf"),
                     default_flow_style=False)
    return f"# Recorded with /record: run it with `samantha test FILE`.\n{body}"


def _is_fresh(state: Mapping[str, Any]) -> bool:
    """A session nothing has been said to yet: its phase, stage and facts say all of it."""
    return (not state.get("turns") and not state.get("used") and not state.get("last")
            and not state.get("step") and not state.get("asked") and not state.get("stage_themes")
            and not state.get("stage_turns") and "seed" in state)


def _pack_path(pack: str | Path, relative_to: str | Path | None) -> str:
    resolved = Path(pack).resolve()
    if relative_to is not None:
        try:
            return str(resolved.relative_to(Path(relative_to).resolve()))
        except ValueError:
            pass
    return str(resolved)
