"""The editor schema (samantha_bot/dialogue.schema.json) is built from schema.py and says what the loader
says, and the worked example works.

jsonschema is not a dependency, so a small validator below covers exactly the JSON Schema
keywords the file uses; a test fails if the file starts using one it does not know.
"""
from __future__ import annotations

import io
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from samantha_bot import ContentError, Engine, editor_schema, schema
from samantha_bot.engine import bundled_dialogues
from samantha_bot.model import FOLLOWUP_KINDS

ROOT = Path(__file__).resolve().parent.parent
TEA_PACK = ROOT / "examples" / "tea_pack.yaml"
TEA_SCRIPT = ROOT / "examples" / "tea_conversation.yaml"
MODELINE = "# yaml-language-server: $schema=../samantha_bot/dialogue.schema.json"


def load_schema() -> dict[str, Any]:
    """The schema as the installed package holds it (package data, not the source tree path)."""
    return json.loads((files("samantha_bot") / "dialogue.schema.json").read_text(encoding="utf-8"))


SCHEMA = load_schema()
DEFINITIONS = SCHEMA["definitions"]


# --- a validator for the subset of draft-07 the schema uses -------------------------------------

VALIDATION = {"$ref", "type", "enum", "const", "properties", "additionalProperties", "required",
              "items", "minItems", "minimum", "pattern", "anyOf", "allOf", "not", "if", "then", "else"}
ANNOTATIONS = {"$schema", "$comment", "title", "description", "definitions", "examples", "defaultSnippets"}
TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def resolve(ref: str) -> dict[str, Any]:
    assert ref.startswith("#/definitions/"), ref
    return DEFINITIONS[ref.removeprefix("#/definitions/")]


def errors(value: Any, node: dict[str, Any], path: str = "") -> Iterator[str]:
    """Every way `value` breaks `node`, as 'path: what'; nothing when it is valid."""
    if "$ref" in node:
        yield from errors(value, resolve(node["$ref"]), path)
    if "type" in node:
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(TYPES[kind](value) for kind in kinds):
            yield f"{path}: {value!r} is not {' or '.join(kinds)}"
            return
    if "enum" in node and value not in node["enum"]:
        yield f"{path}: {value!r} is not one of {node['enum']}"
    if "const" in node and value != node["const"]:
        yield f"{path}: {value!r} is not {node['const']!r}"
    if isinstance(value, str) and "pattern" in node and not re.search(node["pattern"], value):
        yield f"{path}: {value!r} does not match {node['pattern']}"
    if isinstance(value, (int, float)) and "minimum" in node and value < node["minimum"]:
        yield f"{path}: {value!r} is less than {node['minimum']}"
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            yield f"{path}: fewer than {node['minItems']} items"
        if "items" in node:
            for position, item in enumerate(value):
                yield from errors(item, node["items"], f"{path}[{position}]")
    if isinstance(value, dict):
        for key in node.get("required", []):
            if key not in value:
                yield f"{path}: missing required key {key!r}"
        properties = node.get("properties", {})
        for key, item in value.items():
            if key in properties:
                yield from errors(item, properties[key], f"{path}.{key}")
            elif node.get("additionalProperties") is False:
                yield f"{path}: unknown key {key!r}"
            elif isinstance(node.get("additionalProperties"), dict):
                yield from errors(item, node["additionalProperties"], f"{path}.{key}")
    for part in node.get("allOf", []):
        yield from errors(value, part, path)
    if "anyOf" in node and not any(is_valid(value, part) for part in node["anyOf"]):
        yield f"{path}: {value!r} fits none of the allowed forms"
    if "not" in node and is_valid(value, node["not"]):
        yield f"{path}: {node['not'].get('description', 'a form that is not allowed')}"
    if "if" in node:
        branch = node.get("then") if is_valid(value, node["if"]) else node.get("else")
        if branch:
            yield from errors(value, branch, path)


def is_valid(value: Any, node: dict[str, Any]) -> bool:
    return next(errors(value, node), None) is None


def schema_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object in the file (not the property-name maps or the snippets)."""
    if not isinstance(node, dict):
        return
    yield node
    for key in ("items", "additionalProperties", "not", "if", "then", "else"):
        yield from schema_nodes(node.get(key))
    for key in ("anyOf", "allOf"):
        for part in node.get(key, []):
            yield from schema_nodes(part)
    for key in ("properties", "definitions"):
        for part in node.get(key, {}).values():
            yield from schema_nodes(part)


class _RawKeys(yaml.SafeLoader):
    """Plain data as the loader sees it: mapping keys as written ("yes" stays "yes"), dates as text."""


_RawKeys.add_constructor("tag:yaml.org,2002:map", lambda loader, node: {
    str(key.value): loader.construct_object(value, deep=True) for key, value in node.value})
_RawKeys.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: str(node.value))


def read_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_RawKeys)  # noqa: S506 - a SafeLoader subclass


def validate(text: str) -> list[str]:
    return list(errors(read_yaml(text), SCHEMA))


# --- the file itself ----------------------------------------------------------------------------

def test_the_schema_ships_inside_the_package():
    found = files("samantha_bot") / "dialogue.schema.json"
    assert found.is_file()
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_the_schema_uses_only_keywords_the_validator_here_understands():
    for node in schema_nodes(SCHEMA):
        unknown = set(node) - VALIDATION - ANNOTATIONS
        assert not unknown, f"teach this test's validator {sorted(unknown)}, or do without them"
        if "$ref" in node:
            resolve(node["$ref"])


# --- in step with samantha_bot/schema.py ---------------------------------------------------------

def test_the_committed_schema_is_the_one_built_from_schema_py():
    """Keys, kinds, required keys and their descriptions live in schema.py; the file is built from
    them, so the two cannot drift: after changing schema.py, `python -m samantha_bot.editor_schema`."""
    committed = (files("samantha_bot") / "dialogue.schema.json").read_text(encoding="utf-8")
    assert committed == editor_schema.render(), "run: python -m samantha_bot.editor_schema"


def test_a_key_whose_shape_is_not_known_cannot_be_built(monkeypatch):
    monkeypatch.setitem(schema.WHEN, "mood", schema.Key(schema.MAPPING, doc="A new mapping."))
    with pytest.raises(ValueError, match="when.mood is a mapping: say its JSON shape"):
        editor_schema.build()


TABLES = [
    pytest.param(schema.TOP_LEVEL, SCHEMA, id="top level"),
    pytest.param(schema.CARD, DEFINITIONS["card"], id="card"),
    pytest.param(schema.WHEN, DEFINITIONS["when"], id="when"),
    pytest.param(schema.SETUP_STEP, DEFINITIONS["setupStep"], id="setup step"),
    pytest.param(schema.STAGE, DEFINITIONS["stage"], id="stage"),
    pytest.param(schema.ADVANCE_RULE, DEFINITIONS["advanceRule"], id="advance rule"),
]


@pytest.mark.parametrize(("keys", "node"), TABLES)
def test_every_key_the_loader_knows_is_in_the_json_schema_and_nothing_else(keys, node):
    assert set(node["properties"]) == set(keys)
    assert node["additionalProperties"] is False  # the loader rejects unknown keys everywhere


def required_keys(node: dict[str, Any]) -> set[str]:
    """Keys always required, and those a conditional requires (a card's theme unless extend: true)."""
    found = set(node.get("required", []))
    for part in node.get("allOf", []):
        found |= set(part.get("then", {}).get("required", []))
    return found


@pytest.mark.parametrize(("keys", "node"), TABLES)
def test_required_keys_agree(keys, node):
    assert required_keys(node) == {name for name, key in keys.items() if key.required}


KIND_TYPES = {schema.TEXT: "string", schema.TEXT_LIST: "array", schema.INT: "integer",
              schema.BOOL: "boolean", schema.MAPPING: "object", schema.LIST: "array"}


def json_types(node: dict[str, Any]) -> set[str]:
    """The JSON types a property may hold, following $ref, anyOf and allOf."""
    found = set(node["type"] if isinstance(node.get("type"), list) else [node["type"]] if "type" in node else [])
    if "$ref" in node:
        found |= json_types(resolve(node["$ref"]))
    for part in node.get("anyOf", []) + node.get("allOf", []):
        found |= json_types(part)
    return found


@pytest.mark.parametrize(("keys", "node"), TABLES)
def test_each_key_takes_the_kind_of_value_the_loader_reads(keys, node):
    for name, key in keys.items():
        assert KIND_TYPES[key.kind] in json_types(node["properties"][name]), name


def test_the_enums_are_the_loaders():
    card = DEFINITIONS["card"]["properties"]
    assert tuple(DEFINITIONS["when"]["properties"]["phase"]["enum"]) == schema.PHASES
    assert card["remember"]["additionalProperties"]["pattern"] == f"^({'|'.join(schema.REMEMBER_MODES)})( .*)?$"
    assert tuple(card["followups"]["properties"]) == FOLLOWUP_KINDS
    assert card["followups"]["additionalProperties"] is False
    assert tuple(card["occasion"]["enum"]) == schema.OCCASIONS


# The schema's regexes for lines and patterns, checked against what the loader accepts.
LINES = ["Hi.", "Hi, {name}.", "{name|you}", "{likes|}", "{{literal}}", "a {{ and }} b",
         "a { b", "}", "{name", "{two words}", "{name}}", "{"]
PATTERNS = ["hello", "* my name is {name}", "(hi|hey|hello) i am {name}", "[my] name is {name}",
            "~love you *", "(~love|like) you", "[(a|b)] c", "( a | b c )", "[a|b]",
            "(a|b", "a)", "~", "name}", "[a", "* ~ *", "{}", "a ] b", "()", "(a|)", "[]",
            "{name"]


def loads(card: dict[str, Any]) -> bool:
    """Whether a pack of this one card (and a concept 'love') loads."""
    text = yaml.safe_dump({"concepts": {"love": ["love"]}, "cards": [{"id": "a", "theme": "t", **card}]})
    try:
        Engine.from_text(text)
    except ContentError:
        return False
    return True


@pytest.mark.parametrize("line", LINES)
def test_the_line_regex_agrees_with_the_loader(line):
    assert is_valid(line, DEFINITIONS["line"]) == loads({"lines": [line]})


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_pattern_regex_agrees_with_the_loader(pattern):
    assert is_valid(pattern, DEFINITIONS["pattern"]) == loads({"patterns": [pattern], "lines": ["hi"]})


# Mistakes an author makes: the loader refuses each, and so does the schema in the editor.
BROKEN = {
    "typo in a key": "cards: [{id: a, theme: t, lines: [hi], trigers: [hello]}]",
    "no theme": "cards: [{id: a, examples: [hello], lines: [hi]}]",
    "no lines": "cards: [{id: a, theme: t, examples: [hello]}]",
    "lone brace": "cards: [{id: a, theme: t, lines: ['hi {name']}]",
    "broken pattern": "cards: [{id: a, theme: t, patterns: ['(hi|hey'], lines: [hi]}]",
    "remember mode": "cards: [{id: a, theme: t, patterns: ['i am {x}'], remember: {x: keep}, lines: [hi]}]",
    "follow-up kind": "cards: [{id: a, theme: t, lines: [hi], followups: {because: [x]}}]",
    "phase": "cards: [{id: a, theme: t, lines: [hi], when: {phase: grow}}]",
    "replace and extend": "cards: [{id: a, theme: t, lines: [hi], replace: true, extend: true}]",
    "empty text": "cards: [{id: ' ', theme: t, lines: [hi]}]",
    "top-level typo": "card: [{id: a, theme: t, lines: [hi]}]",
    "cards not a list": "cards: {id: a}",
    "empty advance rule": "stages: [{id: a, advance: [{}]}]",
    "negative turns": "stages: [{id: a, advance: [{turns: -1}]}]",
    "setup step without ask": "setup: [{id: a, theme: t}]",
    "unknown occasion": "cards: [{id: a, theme: t, lines: [hi], occasion: hello}]",
    "occasion and examples": "cards: [{id: a, theme: t, lines: [hi], occasion: goodbye, examples: [bye]}]",
    "remembers with no way to read": "setup: [{id: a, theme: t, ask: [q], remember: f}]",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_a_mistake_the_loader_refuses_the_schema_refuses_too(text):
    with pytest.raises(ContentError):
        Engine.from_text(text)
    assert validate(text)


GOOD = {
    "a card": "cards: [{id: a, theme: t, examples: [hello], lines: ['Hi, {name|you}.']}]",
    "lines by stage only": "cards: [{id: a, theme: t, stages: {growth: [hi]}}]",
    "one text for a list": "cards: [{id: a, theme: t, examples: hello, lines: hi}]",
    "quoted follow-up keys": "cards: [{id: a, theme: t, lines: [hi], followups: {'yes': [ok], 'no': [ok]}}]",
    "unquoted follow-up keys": "cards:\n  - id: b\n    theme: t\n"
                               "    lines: [x]\n    followups:\n      yes: [ok]\n      no: [ok]\n",
    "a number as text": "concepts: {count: [641, '8,316']}",
    "an occasion": "cards: [{id: a, theme: t, lines: [bye], occasion: goodbye}]",
    "setup": "setup: [{id: a, theme: t, ask: [q], remember: f, free: true, replies: {default: [ok]}},"
             " {id: b, theme: t, ask: [bye]}]",
    "stages": "stages: [{id: a, advance: [{turns: 3}, {themes: [t], turns: 1}]}, {id: b}]"
              "\ncards: [{id: c, theme: t, lines: [x], when: {min_stage: b}}]",
}


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_what_the_loader_accepts_the_schema_accepts(text):
    Engine.from_text(text)
    assert validate(text) == []


# --- the bundled persona and the worked example ---------------------------------------------------

BUNDLED = sorted(bundled_dialogues().rglob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED + [TEA_PACK], ids=lambda path: path.name)
def test_the_bundled_dialogues_and_the_example_validate(path):
    assert validate(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", BUNDLED + [TEA_PACK], ids=lambda path: path.name)
def test_each_dialogue_file_names_the_schema_for_editors(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE


@pytest.fixture(scope="module")
def tea() -> Engine:
    """The bundled persona with the worked example on top, as `samantha --dialogues` loads it."""
    return Engine.load([bundled_dialogues(), TEA_PACK])


def test_the_tea_pack_answers_its_theme_after_setup(tea):
    session = tea.new_session(seed=0)
    for line in ["hi", "Ted", "social", "female", "fine"]:
        session.reply(line)
    assert session.phase == "growth"
    reply = session.reply("do you like tea?")
    assert (reply.theme, reply.card) == ("tea", "tea.do_you_like")


def test_every_tea_example_finds_its_own_card(tea):
    for card in (card for card in tea.content.cards if card.id.startswith("tea.")):
        for example in card.examples:
            session = tea.new_session(seed=0, phase="growth", stage=card.when.min_stage)
            assert session.reply(example).card == card.id, example


def test_the_tea_pack_remembers_and_extends_a_bundled_card(tea):
    session = tea.new_session(seed=0, phase="growth")
    assert "earl grey" in session.reply("i drink earl grey tea").text
    recall = tea.cards_by_id["memory_recall.about_me"]
    assert recall.theme == "memory_recall" and any("{tea}" in line for line in recall.lines)


def test_the_tea_conversation_script_passes():
    from samantha_bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    assert main(["test", str(TEA_SCRIPT)], stdout=out, stderr=err) == 0, out.getvalue() + err.getvalue()
