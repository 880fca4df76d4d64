"""Conversation scripts as data: YAML turns and expectations, read with locations, and recorded."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

from . import schema
from .engine import Engine
from .errors import ContentError, Location, Problem, did_you_mean
from .problems import Problems
from .reader import FileReader, Pack
from .schema import Key
from .session import Reply
from .yamlnodes import compose_yaml, read_nodes

SCRIPT_KEYS = {"name": Key(schema.TEXT, required=True), "seed": Key(schema.INT), "start": Key(schema.MAPPING),
               "packs": Key(schema.TEXT_LIST), "turns": Key(schema.LIST, required=True)}
START_KEYS = {"phase": Key(schema.TEXT), "stage": Key(schema.TEXT), "facts": Key(schema.MAPPING),
              "state": Key(schema.MAPPING)}
# What must hold of a reply, in the order a failure report lists them.
EXPECTATIONS = ("theme", "card", "phase", "stage", "reply", "contains", "not_contains", "matches", "one_of")
TURN_KEYS = {"say": Key(schema.TEXT), "say_any": Key(schema.TEXT_LIST), "repeat": Key(schema.INT),
             **{name: Key(schema.TEXT) for name in EXPECTATIONS}}
TEXT_CHECKS = ("reply", "contains", "not_contains", "matches", "one_of")


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

class _Reader(FileReader):
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
    problems = Problems()
    problems.sources[name] = text.splitlines()
    _, root = read_nodes(text, name, problems)
    script = None
    if not problems.found:
        script_reader = _Reader(name, problems, Pack(name))
        script = script_reader.script(root, Path(base) if base is not None else Path(name).parent)
    problems.finalize()
    if script is None:  # not reached: script() reports what it gives up on, so finalize has raised
        raise ContentError(problems.all())
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
        root = compose_yaml(text, str(path))
    except (yaml.YAMLError, RecursionError):
        return re.search(r"^turns\s*:", text, re.MULTILINE) is not None
    return isinstance(root, yaml.MappingNode) and any(key.value == "turns" for key, _ in root.value)


def script_problems(script: Script) -> Problems:
    """A collector that shows the script's own line under each problem found while it runs."""
    problems = Problems()
    problems.sources[script.path] = list(script.source)
    return problems


def check_names(script: Script, engine: Engine) -> list[Problem]:
    """Names a script expects that the packs do not have: a misspelt card or theme fails here, not later."""
    known = {"card": set(engine.cards_by_id) | {f"setup.{step.id}" for step in engine.setup}
             | {engine.last_resort.id},
             "theme": set(engine.themes) | {step.theme for step in engine.setup} | {"fallback"},
             "stage": set(engine.stage_ids)}
    problems = script_problems(script)
    checks = [(e.name, e.value, e.location) for turn in script.turns for e in turn.expects if e.name in known]
    if script.stage is not None:
        checks.append(("stage", script.stage, script.where["stage"]))
    for kind, value, location in checks:
        if value is not None and value not in known[kind]:
            problems.add(location, f"unknown {kind} '{value}' in the loaded packs", did_you_mean(value, known[kind]))
    return problems.all()


# --- running

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

