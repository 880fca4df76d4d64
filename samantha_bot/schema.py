"""The dialogue YAML's allowed keys, their types and which are required, as data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from . import phases
from .errors import did_you_mean

# Kinds of value a key may hold; the loader checks each and names the expected kind.
TEXT = "text"
TEXT_LIST = "list of text"
INT = "whole number"
BOOL = "true or false"
MAPPING = "mapping"
LIST = "list"


@dataclass(frozen=True)
class Key:
    kind: str
    required: bool = False


TOP_LEVEL = {
    "concepts": Key(MAPPING),
    "cards": Key(LIST),
    "setup": Key(LIST),
    "stages": Key(LIST),
    "frames": Key(TEXT_LIST),  # words and phrases that only frame a request: never evidence alone
}

CARD = {
    "id": Key(TEXT, required=True),
    "theme": Key(TEXT, required=True),  # not required on a card that extends another
    "replace": Key(BOOL),  # replaces the card of the same id from an earlier pack
    "extend": Key(BOOL),  # adds examples, patterns and lines to the card of the same id
    "examples": Key(TEXT_LIST),
    "patterns": Key(TEXT_LIST),
    "lines": Key(TEXT_LIST),
    "stages": Key(MAPPING),  # stage id -> list of lines
    "when": Key(MAPPING),
    "remember": Key(MAPPING),  # fact -> set | add
    "set": Key(MAPPING),  # fact -> text
    "followups": Key(MAPPING),  # why | more | yes | no -> list of lines
    "not": Key(TEXT_LIST),  # counter-examples: lines it shares words with but is not about
    "urgent": Key(BOOL),  # outranks every other card and follow-up, in every phase (crisis)
    "hold": Key(INT),  # the next this many turns stay with it
    "ack": Key(TEXT_LIST),  # a short acknowledgement said before the answer to the rest of the message
    "ask_back": Key(TEXT),  # the question "and you?" asks her after this card ("what is your name")
}

WHEN = {
    "phase": Key(TEXT),
    "min_stage": Key(TEXT),
    "max_stage": Key(TEXT),
    "needs": Key(TEXT_LIST),
}

SETUP_STEP = {
    "id": Key(TEXT, required=True),
    "theme": Key(TEXT, required=True),
    "ask": Key(TEXT_LIST, required=True),
    "remember": Key(TEXT),
    "patterns": Key(TEXT_LIST),
    "max_words": Key(INT),
    "skip": Key(TEXT_LIST),
    "steer": Key(TEXT_LIST),
    "choices": Key(MAPPING),  # value -> list of examples
    "free": Key(BOOL),
    "replies": Key(MAPPING),  # a list, or value -> list of lines (parsed specially)
    "again": Key(TEXT_LIST),
    "topic": Key(TEXT_LIST),
    "explain": Key(TEXT_LIST),
    "default": Key(TEXT),
    "skipped": Key(TEXT_LIST),
}

STAGE = {
    "id": Key(TEXT, required=True),
    "advance": Key(LIST),
    "replace": Key(BOOL),
}

ADVANCE_RULE = {
    "turns": Key(INT),
    "themes": Key(TEXT_LIST),
    "topics": Key(INT),
    "learned": Key(INT),
}

PHASES = phases.PHASES
REMEMBER_MODES = ("set", "add")

# Words authors bring from other engines (AIML, RiveScript, ChatScript), and what they are here.
TRIGGER_HINT = "did you mean 'examples' (ways a person may say it), or 'patterns' (exact rules)?"
ALIASES = {
    "triggers": TRIGGER_HINT, "trigger": TRIGGER_HINT, "inputs": TRIGGER_HINT, "phrases": TRIGGER_HINT,
    "utterances": TRIGGER_HINT, "responses": "lines", "response": "lines", "answers": "lines",
    "templates": "lines", "topic": "theme", "category": "theme", "rejoinders": "followups",
    "that": "followups", "conditions": "when",
}


def required(keys: dict[str, Key]) -> tuple[str, ...]:
    """The keys a table requires, in its order; worked out once a table (a card is read 50,000 times)."""
    found = _REQUIRED.get(id(keys))
    if found is None or found[0] is not keys:
        found = _REQUIRED[id(keys)] = (keys, tuple(key for key, spec in keys.items() if spec.required))
    return found[1]


_REQUIRED: dict[int, tuple[dict[str, Key], tuple[str, ...]]] = {}  # id of a table -> (the table, its required keys)


def suggest(word: str, keys: Iterable[str]) -> str | None:
    """A 'did you mean' hint for an unknown key, knowing other engines' words for ours."""
    known = list(keys)
    best = process.extractOne(word.lower(), list(ALIASES), scorer=fuzz.ratio, score_cutoff=75)
    if best and (ALIASES[best[0]] in known or ALIASES[best[0]] == TRIGGER_HINT and "examples" in known):
        target = ALIASES[best[0]]
        return target if target == TRIGGER_HINT else f"did you mean '{target}'?"
    return did_you_mean(word, known)
