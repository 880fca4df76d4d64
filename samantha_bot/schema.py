"""The dialogue YAML's allowed keys, their types, which are required and what each means, as data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from . import phases
from .errors import did_you_mean

# Kinds of value a key may hold: the editor schema gives each its JSON type (editor_schema.py).
TEXT = "text"
TEXT_LIST = "list of text"
INT = "whole number"
BOOL = "true or false"
MAPPING = "mapping"
LIST = "list"


@dataclass(frozen=True)
class Key:
    """One key a mapping may hold: the kind of value, whether it must be given, and what it means
    (the editor schema's description of it, dialogue.schema.json, is built from it: editor_schema.py)."""

    kind: str
    required: bool = False
    doc: str = ""


TOP_LEVEL = {
    "concepts": Key(MAPPING,
        doc="Named synonym sets. In a pattern, ~name matches any phrase of the set; in retrieval, a phrase of the set"
            " counts as the concept itself. A later pack's concept of the same name adds its phrases."),
    "cards": Key(LIST, doc="What she answers with, and the ways a person may say each thing."),
    "setup": Key(LIST,
        doc="The setup phase: questions asked in order, each answer remembered as a fact. A step with no remember "
            "ends setup. A later pack's setup replaces an earlier one; a pack with no setup starts in growth."),
    "stages": Key(LIST,
        doc="The growth stages, in order, and the rules that advance them. A pack with no stages has one implicit "
            "stage, growth."),
    "frames": Key(TEXT_LIST,
        doc='Words and phrases that only frame a request or a question ("can you write", "how many", "who invented").'
            " A card found by retrieval must rest on the line's other words; a line made only of frame words is about"
            " them. Packs add to each other's frames."),
}

CARD = {
    "id": Key(TEXT, required=True,
        doc="Unique across the loaded packs, by convention theme.what (love.do_you_love_me). An id an earlier pack "
            "already has needs replace: true or extend: true."),
    "theme": Key(TEXT, required=True,
        doc="The card's theme (required, except on a card with extend: true, which keeps the theme of the card it "
            "extends)."),
    "replace": Key(BOOL,
        doc="true: this card replaces the card of the same id from an earlier pack (it must exist). Not with extend."),
    "extend": Key(BOOL,
        doc="true: adds this card's examples, patterns, lines, stage lines, follow-ups, remember and set to the card "
            "of the same id from an earlier pack (it must exist); that card keeps its theme and when. Not with "
            "replace."),
    "examples": Key(TEXT_LIST,
        doc="The ways a person may say it: retrieval compares what they type with these. Write many, worded as "
            "differently as people really talk; matching already forgives case, punctuation, contractions, typos and "
            "word endings."),
    "patterns": Key(TEXT_LIST,
        doc="Optional rules tried before retrieval, whole-input match, most specific first; a match scores 100 and "
            "wins. Their {slots} feed remember and lines."),
    "lines": Key(TEXT_LIST,
        doc="What she answers with (at least one, unless stages has lines). In growth, a stage's lines under stages "
            "replace these from that stage on."),
    "stages": Key(MAPPING,
        doc="Lines for a growth stage and the stages after it: stage id -> lines. In a stage, the lines of that stage"
            " (or of the latest earlier stage that has some) replace lines."),
    "when": Key(MAPPING),
    "remember": Key(MAPPING,
        doc="Facts taken from the {slots} of the pattern that matched: fact -> set (keep one value) or add (keep a "
            'list), optionally followed by a template of the slots ("add {pet} ({pet_kind})"). Without a template the'
            " fact is the {slot} of the same name; a fact's name may name slots too."),
    "set": Key(MAPPING, doc="Facts set to fixed values when the card answers: fact -> text."),
    "followups": Key(MAPPING,
        doc="Rejoinders when the next line is a follow-up to this card: why, more, yes, no -> lines. A follow-up "
            "continues this card and keeps its theme; a kind with no lines here takes another unused line of the "
            "card."),
    "not": Key(TEXT_LIST,
        doc='Counter-examples: lines that share words with the card but are not about it ("this traffic is killing '
            "me\"). A line nearer one of them than to the card's own examples is refused by the card; lint checks that"
            " none of them is answered by it."),
    "urgent": Key(BOOL,
        doc="true: the card outranks every other card and every follow-up, in every phase and stage, setup included "
            "(the crisis theme). It answers when one of its patterns matches or the line reads like one of its "
            "examples as a whole, unless the line is nearer one of its counter-examples."),
    "hold": Key(INT,
        doc="The next this many turns stay with the card: whatever the person says is answered from its follow-ups (a"
            " follow-up kind, else 'more') instead of being matched afresh."),
    "ack": Key(TEXT_LIST,
        doc="Short acknowledgements, said before the answer when the same message also asks or says something else "
            '("Adam. Hi." then her answer to "what is your name?"). Usually on a card that remembers.'),
    "ask_back": Key(TEXT,
        doc="What \"and you?\" or \"what's yours?\" after this card asks her, as a person would ask it (\"what is your "
            'name").'),
    "occasion": Key(TEXT,
        doc="When the program says the card by itself, outside matching: away_minutes, away_hours, away_days (the "
            "welcome back after up to an hour away, up to a day, or longer), goodbye (when the person leaves), "
            "last_resort (when no fallback card is open). One card for each; such a card takes no examples or "
            "patterns."),
}

WHEN = {
    "phase": Key(TEXT, doc="Open only in this phase."),
    "min_stage": Key(TEXT, doc="Open from this growth stage on."),
    "max_stage": Key(TEXT, doc="Open up to this growth stage (included)."),
    "needs": Key(TEXT_LIST,
        doc="Facts the session must know (name, social, voice, mother, likes, or any remembered fact)."),
}

SETUP_STEP = {
    "id": Key(TEXT, required=True, doc="The step's id (unique in the setup)."),
    "theme": Key(TEXT, required=True, doc="The theme of her replies during this step."),
    "ask": Key(TEXT_LIST, required=True, doc="Her question (one line picked)."),
    "remember": Key(TEXT,
        doc="The fact the answer is kept as (name, social, voice, mother ...). Needs patterns, choices or free: true "
            "to read the answer. Leave it out on the step that ends setup."),
    "patterns": Key(TEXT_LIST, doc="How to read a free answer: patterns whose {slot} named like remember captures it."),
    "max_words": Key(INT, doc="The longest answer taken from a {slot}, in words (default 6)."),
    "skip": Key(TEXT_LIST, doc="Ways to decline the question; the fact stays unknown and setup moves on."),
    "steer": Key(TEXT_LIST, doc="Said before the question again when an answer does not fit."),
    "choices": Key(MAPPING, doc="The answer is the value whose examples it is closest to: value -> examples."),
    "free": Key(BOOL, doc="true: any statement is the answer, kept in their words."),
    "replies": Key(MAPPING,
        doc="Said after the answer, before the next question: a list of lines for every answer, or choice value (or "
            "default) -> lines."),
    "again": Key(TEXT_LIST,
        doc="The question asked again, plainly, after a steer or an explanation (and when she comes back mid-setup); "
            "the ask lines when left out."),
    "topic": Key(TEXT_LIST,
        doc='Words that make a question about this step ("what voices do you have?"): such a question gets an explain'
            " line and the step is asked again."),
    "explain": Key(TEXT_LIST,
        doc='Her answer to a question about this step (see topic; "why?" and "what do you mean?" count too).'),
    "default": Key(TEXT,
        doc="The value kept when the question is declined or answered unclearly twice (a choice, when there are "
            "choices); left out, the fact stays unknown."),
    "skipped": Key(TEXT_LIST,
        doc="Said after a declined (or twice unclear) answer, before the next question; else the default choice's "
            "replies."),
}

STAGE = {
    "id": Key(TEXT, required=True, doc="The stage's id, used by when.min_stage, when.max_stage and a card's stages."),
    "advance": Key(LIST, doc="Rules that move to the next stage: any one rule that holds advances."),
    "replace": Key(BOOL, doc="true: replaces the stage of the same id from an earlier pack (it must exist)."),
}

ADVANCE_RULE = {
    "turns": Key(INT, doc="Turns spent in this stage."),
    "themes": Key(TEXT_LIST, doc="Themes that must all have been touched in this stage."),
    "topics": Key(INT,
        doc="How many different themes were talked about in this stage (fallbacks and short acknowledgements do not "
            "count)."),
    "learned": Key(INT,
        doc="How many things she knows about the person (setup answers aside): likes, home, work, pets, people ..."),
}

PHASES = phases.PHASES
REMEMBER_MODES = ("set", "add")
# When the program says a card by itself, outside matching: the card that names the occasion
# (`occasion:`) is said, and none is matched. The REPL welcomes the person back after an hour
# away at most, a day at most, or longer (chat.AWAY) and says goodbye; the engine answers with
# the last resort when no fallback card is open (or a built-in line, for a pack that has none).
OCCASIONS = ("away_minutes", "away_hours", "away_days", "goodbye", "last_resort")

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
