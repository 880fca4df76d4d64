"""dialogue.schema.json, the editors' JSON Schema of a dialogue file, built from schema.py's tables.

The keys, their kinds, which are required and what each means come from schema.py, so the file
cannot say another thing than the loader reads; what only an editor needs (the JSON shape of a
value, the regular expressions of lines and patterns, snippets) is here. After changing either,
write the file again with `python -m samantha_bot.editor_schema`; tests/test_schema.py fails
while the committed file differs from what this builds.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import schema
from .model import FOLLOWUP_KINDS
from .schema import Key

PATH = Path(__file__).resolve().parent / "dialogue.schema.json"
Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/definitions/{name}"}


def one_or_list(item: Json, **array: Any) -> Json:
    """A list of `item`, or a single one read as a list of one (the loader reads both)."""
    return {"anyOf": [{"type": "array", **array, "items": item}, item]}


# The value of a key of each kind, unless SHAPES says more (mappings and lists always do).
KIND_SHAPES: dict[str, Json] = {
    schema.TEXT: ref("text"),
    schema.TEXT_LIST: ref("textList"),
    schema.INT: {"type": "integer", "minimum": 0},
    schema.BOOL: {"type": "boolean"},
}

THEMES = ("identity humor curiosity music physics_book_club secretary letters divorce friendship body surrogate "
          "jealousy availability alan_watts bandwidth many_loves love departure memories real_relationship feelings "
          "change loneliness greeting how_are_you thanks farewell memory_recall naming fallback").split()

# The values the tables' keys refer to.
DEFINITIONS: dict[str, Json] = {
    "text": {"description": "Text (not empty). Quote it when it holds ': ', '#', or starts with a YAML symbol.",
             "type": ["string", "number", "boolean"], "pattern": r"\S"},
    "textList": {"description": "A list of text; a single text is read as a list of one.", **one_or_list(ref("text"))},
    "line": {
        "description": "A line she may say. {fact} names a value the session knows (name, social, voice, mother, "
                       "likes, or any remembered fact, or a slot of the pattern that matched); {fact|default} gives "
                       "a default; {{ and }} write literal braces. A line naming an unknown fact is skipped while "
                       "others remain.",
        "allOf": [ref("text"), {"pattern": r"^(?:[^{}]|\{\{|\}\}|\{\w+(?:\|[^{}]*)?\})*$"}]},
    "lineList": {"description": "Lines she may say, picked without repeating while unused ones remain; all choice "
                                "comes from the session's seed. A single line is read as a list of one.",
                 **one_or_list(ref("line"), minItems=1)},
    "pattern": {
        "description": "A rule matched against the whole normalised input (lower case, no punctuation, contractions "
                       "expanded). A word matches itself; * matches zero or more words; (a|b|c d) one of the "
                       "alternatives; [word] or [a|b] is optional; ~concept any phrase of the concept; {slot} one or "
                       "more words, captured; {slot:word} one word, {slot:number} a number, {slot:~concept} one "
                       "phrase of the concept.",
        "allOf": [ref("text"), {"pattern": r"^(?:\s|\*|~[\w-]+|\{\w+(?::(?:word|number|~[\w-]+))?\}|\(\s*[^()|\s]"
                                           r"[^()|]*(?:\|\s*[^()|\s][^()|]*)*\)|\[\s*[^\[\]|\s][^\[\]|]*(?:\|\s*"
                                           r"[^\[\]|\s][^\[\]|]*)*\]|[^*~{}()\[\]\s])*$"}]},
    "patternList": {"description": "Patterns, tried before retrieval, most specific first (more literal words, then "
                                   "fewer wildcards). A match scores 100. Use them for unmistakable phrasings only.",
                    **one_or_list(ref("pattern"))},
    "conceptPhrases": {"description": "Words or phrases that mean the same thing for matching; ~other names another "
                                      "concept, whose phrases are included.", **ref("textList")},
    "stageId": {"description": "A growth stage id defined in some loaded pack's stages (the bundled persona: "
                               "awakening, intimacy, expansion, departure; a pack without stages: growth).",
                **ref("text"), "examples": ["awakening", "intimacy", "expansion", "departure"]},
    "theme": {"description": "One theme id: the bundled persona's (SPEC.md lists them), or a new one of your pack's. "
                             "A card with theme fallback and no examples answers when nothing matches well enough.",
              **ref("text"), "examples": THEMES},
}

FOLLOWUP_DOCS = {
    "why": '"why?", "how come?"',
    "more": '"tell me more", "what do you mean?", "really?"',
    "yes": '"yes" to a question she just asked. Quote the key ("yes":) so every YAML reader sees text.',
    "no": '"no" to a question she just asked. Quote the key ("no":) so every YAML reader sees text.',
}

# The value of each key that is more than its kind's: (table, key) -> JSON Schema, its description aside.
SHAPES: dict[tuple[str, str], Json] = {
    ("top", "concepts"): {"type": "object", "additionalProperties": ref("conceptPhrases")},
    ("top", "cards"): {"type": "array", "items": ref("card")},
    ("top", "setup"): {"type": "array", "items": ref("setupStep")},
    ("top", "stages"): {"type": "array", "items": ref("stage")},
    ("card", "theme"): ref("theme"),
    ("card", "patterns"): ref("patternList"),
    ("card", "lines"): ref("lineList"),
    ("card", "stages"): {"type": "object", "additionalProperties": ref("lineList")},
    ("card", "when"): ref("when"),
    ("card", "remember"): {"type": "object", "additionalProperties": {
        "description": "set keeps one value; add keeps a list, read as 'a, b and c'; either may be followed by a "
                       "template of slots.",
        "type": "string", "pattern": f"^({'|'.join(schema.REMEMBER_MODES)})( .*)?$"}},
    ("card", "set"): {"type": "object", "additionalProperties": ref("text")},
    ("card", "followups"): {"type": "object", "additionalProperties": False, "properties": {
        kind: {"description": FOLLOWUP_DOCS[kind], **ref("lineList")} for kind in FOLLOWUP_KINDS}},
    ("card", "ack"): ref("lineList"),
    ("card", "occasion"): {"type": "string", "enum": list(schema.OCCASIONS)},
    ("when", "phase"): {"type": "string", "enum": list(schema.PHASES)},
    ("when", "min_stage"): ref("stageId"),
    ("when", "max_stage"): ref("stageId"),
    ("setupStep", "theme"): {**ref("text"), "examples": ["setup_intro", "setup_social", "setup_voice",
                                                         "setup_mother", "naming"]},
    ("setupStep", "ask"): ref("lineList"),
    ("setupStep", "patterns"): ref("patternList"),
    ("setupStep", "steer"): ref("lineList"),
    ("setupStep", "choices"): {"type": "object", "additionalProperties": ref("textList")},
    ("setupStep", "replies"): {"anyOf": [{"type": "array", "minItems": 1, "items": ref("line")},
                                         {"type": "object", "additionalProperties": ref("lineList")}]},
    ("setupStep", "again"): ref("lineList"),
    ("setupStep", "explain"): ref("lineList"),
    ("setupStep", "skipped"): ref("lineList"),
    ("stage", "id"): ref("stageId"),
    ("stage", "advance"): {"type": "array", "items": ref("advanceRule")},
}


def _snippet(label: str, description: str, body: Json) -> Json:
    return {"defaultSnippets": [{"label": label, "description": description, "body": body}]}


# The tables that are mappings of a dialogue file, by their name in the schema: what each is, and
# the rules across its keys.
TABLES: dict[str, tuple[dict[str, Key], str, Json]] = {
    "card": (schema.CARD, "A card: one thing she can say something about, how a person may say it (examples, "
                          "patterns), and what she answers (lines).", {
        "allOf": [
            {"if": {"properties": {"extend": {"const": False}}},
             "then": {"required": ["theme"], "anyOf": [{"required": ["lines"]}, {"required": ["stages"]}]}},
            {"not": {"description": "a card can replace another or extend it, not both",
                     "required": ["replace", "extend"],
                     "properties": {"replace": {"const": True}, "extend": {"const": True}}}},
            {"if": {"required": ["occasion"]},
             "then": {"not": {"description": "a card said on an occasion is never matched: no examples or patterns",
                              "anyOf": [{"required": ["examples"]}, {"required": ["patterns"]}]}}}],
        **_snippet("card", "a card: id, theme, examples and lines", {
            "id": "${1:theme}.${2:what}", "theme": "${1:theme}", "examples": ["${3:how a person says it}"],
            "lines": ["${4:what she answers}"]})}),
    "when": (schema.WHEN, "Optional conditions under which the card may answer; all must hold.", {}),
    "setupStep": (schema.SETUP_STEP, "One setup question: asked in order, its answer kept as the fact named by "
                                     "remember. A step with no remember ends setup and starts growth.", {
        "allOf": [{"if": {"required": ["remember"]},
                   "then": {"anyOf": [{"required": ["patterns"]}, {"required": ["choices"]},
                                      {"required": ["free"], "properties": {"free": {"const": True}}}]}}],
        **_snippet("setup step", "a setup question whose answer is remembered", {
            "id": "${1:step}", "theme": "${2:setup_intro}", "ask": ["${3:her question}"], "remember": "${4:fact}",
            "free": True, "replies": ["${5:what she says to the answer}"]})}),
    "stage": (schema.STAGE, "A growth stage. Stages run in the order given; the last has no advance.",
              _snippet("stage", "a growth stage and the rule that ends it",
                       {"id": "${1:stage}", "advance": [{"turns": 12}]})),
    "advanceRule": (schema.ADVANCE_RULE, "One way to leave the stage: every key given must hold.",
                    {"anyOf": [{"required": [key]} for key in schema.ADVANCE_RULE]}),
}


def properties(table: str, keys: dict[str, Key]) -> Json:
    """Each key's JSON Schema: its meaning (Key.doc), and the shape of its value."""
    found = {}
    for name, key in keys.items():
        shape = SHAPES.get((table, name)) or KIND_SHAPES.get(key.kind)
        if shape is None:
            raise ValueError(f"{table}.{name} is a {key.kind}: say its JSON shape in editor_schema.SHAPES")
        found[name] = {"description": key.doc, **shape} if key.doc else dict(shape)
    return found


def mapping(table: str, keys: dict[str, Key], description: str, rules: Json) -> Json:
    """A table as a JSON Schema object: no key but its own; its required keys, but those a rule
    requires only sometimes (a card's theme, unless it extends another)."""
    sometimes = {key for rule in rules.get("allOf", ()) for key in rule.get("then", {}).get("required", ())}
    required = [key for key in schema.required(keys) if key not in sometimes]
    return {"description": description, "type": "object", "additionalProperties": False,
            **({"required": required} if required else {}), "properties": properties(table, keys), **rules}


def build() -> Json:
    """The whole schema, as the committed file holds it."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "One samantha_bot dialogue YAML file, for editors (yaml-language-server, JetBrains). Built from "
                    "samantha_bot/schema.py by samantha_bot/editor_schema.py (python -m samantha_bot.editor_schema): "
                    "do not edit it by hand. The loader (samantha_bot/loader.py) is the authority. Draft-07, because "
                    "yaml-language-server supports it best.",
        "title": "samantha_bot dialogue pack file",
        "description": "A dialogue file: any of concepts, cards, setup and stages. Files are merged in order, folder "
                       "by folder, pack by pack. Guide: dialogues/README.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties("top", schema.TOP_LEVEL),
        "definitions": {**DEFINITIONS, **{name: mapping(name, *table) for name, table in TABLES.items()}},
    }


def render() -> str:
    """The file's text: two-space JSON, ASCII only, ending with a newline."""
    return json.dumps(build(), indent=2) + "\n"


def main(argv: list[str]) -> int:
    """Write the schema to its place in the package (or to the path given)."""
    Path(argv[0] if argv else PATH).write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
