"""Rule patterns (`* my name is {name}`, `~love`, `(a|b)`, `[opt]`) parsed and compiled to regexes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Mapping

from .normalize import STOPWORDS, normalize

_TOKEN = re.compile(r"\s*(\*|~[\w-]+|\{\w+(?::(?:~[\w-]+|word|number))?\}|\([^()]*\)|\[[^\[\]]*\]|[^\s*~{}()\[\]]+|.)")


class PatternError(ValueError):
    """A pattern that cannot be read; `offset` is where in the pattern text."""

    def __init__(self, message: str, offset: int, hint: str | None = None):
        super().__init__(message)
        self.offset, self.hint = offset, hint


@dataclass(frozen=True)
class Token:
    kind: str  # word | star | concept | slot | choice | optional
    value: str
    offset: int


def tokenize(pattern: str) -> list[Token]:
    """Split a pattern into tokens; raise PatternError at the first thing that is not one."""
    tokens: list[Token] = []
    pos = 0
    text = pattern.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        assert match  # the last alternative matches any character
        raw, start = match.group(1), match.start(1)
        pos = match.end()
        if raw in "{}()[]~":  # a bracket or '~' standing alone
            raise PatternError(f"unbalanced or empty '{raw}' in pattern", start)
        if raw == "*":
            tokens.append(Token("star", raw, start))
        elif raw.startswith("~"):
            tokens.append(Token("concept", raw[1:], start))
        elif raw.startswith("{"):
            tokens.append(Token("slot", raw[1:-1], start))
        elif raw.startswith(("(", "[")) and len(raw) > 1:
            kind = "choice" if raw[0] == "(" else "optional"
            if not all(normalize(part) or part.strip().startswith("~") for part in raw[1:-1].split("|")):
                hint = "'[...]' makes words optional" if kind == "choice" else None
                raise PatternError(f"empty alternative in '{raw}'", start, hint)
            tokens.append(Token(kind, raw[1:-1], start))
        else:
            words = normalize(raw)
            if words:
                tokens.append(Token("word", words, start))
    if not tokens:
        raise PatternError("pattern is empty", 0)
    return tokens


def _alternatives(body: str, offset: int) -> list[str]:
    options = [normalize(option) for option in body.split("|")]
    if not all(options):
        raise PatternError("empty alternative in '(...)' or '[...]'", offset)
    return options


def concept_refs(pattern: str) -> list[Token]:
    """The `~concept` tokens of a pattern, including those inside alternatives and typed slots."""
    found = [token for token in tokenize(pattern) if token.kind == "concept"]
    found += [Token("concept", token.value.split(":~", 1)[1], token.offset)
              for token in tokenize(pattern) if token.kind == "slot" and ":~" in token.value]
    for token in tokenize(pattern):
        if token.kind in ("choice", "optional"):
            found += [Token("concept", part.strip()[1:], token.offset)
                      for part in token.value.split("|") if part.strip().startswith("~")]
    return found


def token_words(token: Token, concepts: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every word a pattern token can match: its own, its alternatives', its concepts' phrases'."""
    if token.kind == "word":
        return set(token.value.split())
    if token.kind == "concept":
        parts = [token.value]
    elif token.kind in ("choice", "optional"):
        parts = token.value.split("|")
    elif token.kind == "slot" and ":~" in token.value:
        parts = [token.value.split(":~", 1)[1]]
    else:
        return set()
    found: set[str] = set()
    for part in (part.strip() for part in parts):
        named = part.startswith("~") or token.kind in ("concept", "slot")  # a concept's name, not words
        for phrase in concepts.get(part.lstrip("~"), ()) if named else (part,):
            found |= set(phrase.split())
    return found


def slot_names(pattern: str) -> list[str]:
    """The names of a pattern's slots ({name}, {work:~job} and {pet:word} are name, work, pet)."""
    return [token.value.split(":", 1)[0] for token in tokenize(pattern) if token.kind == "slot"]


def _phrase_regex(phrases: list[str]) -> str:
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    return "(?:" + "|".join(re.escape(phrase) for phrase in ordered) + ")"


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern: its regex over ' ' + normalised text, and how specific it is. The
    regex is compiled when first used: a pattern naming a big concept (hundreds of phrases) costs
    nothing at load, and is compiled once a line holds one of its words."""

    source: str
    expression: str
    literal_words: int
    wildcards: int

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.expression)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """More literal words first, fewer wildcards next, longer source last (rivescript's order)."""
        return (-self.literal_words, self.wildcards, -len(self.source))

    def match(self, normalized: str) -> dict[str, str] | None:
        """The captured slots if the whole text matches, else None; slots need a content word."""
        found = self.regex.match(" " + normalized)
        if not found:
            return None
        slots = {name: value.strip() for name, value in found.groupdict().items()}
        if any(not set(value.split()) - STOPWORDS and not value.isdigit() for value in slots.values()):
            return None
        return slots


def compile_pattern(source: str, concept: Callable[[str], list[str]]) -> Pattern:
    """Compile a pattern; `concept(name)` gives a concept's normalised phrases."""
    parts: list[str] = []
    literal = wildcards = 0
    for token in tokenize(source):
        if token.kind == "word":
            parts.append(" " + re.escape(token.value))
            literal += len(token.value.split())
        elif token.kind == "star":
            parts.append("(?: \\S+)*?")
            wildcards += 1
        elif token.kind == "slot":
            # {x} is any words; {x:word} one word; {x:number} a number; {x:~concept} a phrase of it.
            name, _, kind = token.value.partition(":")
            if kind == "word":
                parts.append(f"(?P<{name}> \\S+)")
            elif kind == "number":
                parts.append(f"(?P<{name}> \\d+)")
            elif kind:
                parts.append(f"(?P<{name}> {_phrase_regex(concept(kind[1:]))})")
            else:
                parts.append(f"(?P<{name}>(?: \\S+)+?)")
            wildcards += 1
        elif token.kind == "concept":
            parts.append(" " + _phrase_regex(concept(token.value)))
            literal += 1
        else:
            options: list[str] = []
            for option in token.value.split("|"):
                option = option.strip()
                options += concept(option[1:]) if option.startswith("~") else _alternatives(option, token.offset)
            group = " " + _phrase_regex(options)
            parts.append(group if token.kind == "choice" else f"(?:{group})?")
            literal += token.kind == "choice"
    return Pattern(source, "^" + "".join(parts) + " ?$", literal, wildcards)


def compile_all(sources: list[str], concepts: Mapping[str, tuple[str, ...]]) -> list[Pattern]:
    return [compile_pattern(source, lambda name: list(concepts[name])) for source in sources]
