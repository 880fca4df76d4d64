"""Lines with named slots: which slots a line needs, and filling them from known values only."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping, Sequence

# `{name}` or `{name|default}`; `{{` and `}}` are literal braces. Nothing else is a template.
_SLOT = re.compile(r"\{\{|\}\}|\{(\w+)(?:\|([^{}]*))?\}|[{}]")

class TemplateError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def check(line: str) -> None:
    """Raise TemplateError where a line's braces are not a slot."""
    for found in _SLOT.finditer(line):
        if found.group(0) in ("{", "}"):
            raise TemplateError("a lone brace: write a slot like {name} or {name|default}, "
                                "or '{{' for a literal brace", found.start())


@lru_cache(maxsize=8192)  # lines come from packs, and each is asked about every time it could be said
def required_slots(line: str) -> frozenset[str]:
    """Slots without a default: the line is only said when all of them are known."""
    return frozenset(found.group(1) for found in _SLOT.finditer(line)
                     if found.group(1) and found.group(2) is None)


def as_text(value: str | Sequence[str]) -> str:
    """A fact as she says it: a list reads 'a, b and c'."""
    if isinstance(value, str):
        return value
    items = [item for item in value if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# What an emptied slot can leave behind.
_SPACE_BEFORE_STOP = re.compile(r"\s+([,.!?;:])")
_COMMA_BEFORE_STOP = re.compile(r",([.!?])")
_DOUBLE_SPACE = re.compile(r"\s{2,}")


def fill(line: str, values: Mapping[str, str | Sequence[str]]) -> str:
    """Fill a line's slots from `values`; a value is inserted as text and never re-read."""
    if "{" not in line and "}" not in line:
        return printable(line).strip()
    emptied = False

    def substitute(found: re.Match[str]) -> str:
        nonlocal emptied
        token = found.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name, default = found.group(1), found.group(2)
        if name is None:
            return token
        value = (as_text(values[name]) if name in values else "") or (default or "")
        emptied = emptied or not value
        return value

    text = printable(_SLOT.sub(substitute, line))
    if emptied:  # "Hi, {name|}." leaves a dangling ", ." or a double space behind: tidy it
        text = _DOUBLE_SPACE.sub(" ", _COMMA_BEFORE_STOP.sub(r"\1", _SPACE_BEFORE_STOP.sub(r"\1", text)))
    return text.strip()


def fill_sentence(line: str, values: Mapping[str, str | Sequence[str]]) -> str:
    """fill(), with a value that opens the line given a capital: "{echo}? Tell me more" says
    "Your boyfriend made you come here? Tell me more"."""
    text = fill(line, values)
    if "{" in line:  # "Hm. {echo}." says "Hm. The bus was late again."
        text = _SENTENCE_START.sub(lambda found: found.group(0).upper(), text)
    # A name keeps the case it was given in: "mia" is how she writes it.
    return text[:1].upper() + text[1:] if line.startswith("{") and not line.startswith("{name") else text


_SENTENCE_START = re.compile(r"(?<=[.!?] )[a-z]")


# Control characters (escape sequences start with one) and bidirectional overrides, which could
# move the cursor, retitle a window or hide text when a line is printed; emoji joiners stay.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: no control characters, no bidi overrides."""
    return _UNPRINTABLE.sub("", text)


SHOWN_CHARS = 160  # a very long line is cut to this in reports


def one_line(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text as one printable line for a report: control characters escaped, a very long text cut."""
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"
