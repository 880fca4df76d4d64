"""Text broken into screen lines between words, counting cells as a terminal does (CJK and emoji
are two wide): prompt_toolkit prints formatted text but does not word-wrap it."""
from __future__ import annotations

import re

from prompt_toolkit.utils import get_cwidth

_SPACES = re.compile(r"( +)")


def _cut(word: str, cells: int) -> tuple[str, str]:
    """The longest head of `word` that fits in `cells` (one character at least), and the rest."""
    used = 0
    for at, char in enumerate(word):
        used += get_cwidth(char)
        if used > cells and at:
            return word[:at], word[at:]
    return word, ""


def wrap(text: str, width: int, used: int = 0, indent: str = "") -> list[str]:
    """`text` broken between words into lines of at most `width` cells (wide characters count
    two): the first line follows `used` cells (a label), the others start with `indent`; a word
    longer than a line is cut. textwrap would count code points, so CJK and emoji would overflow."""
    parts = _SPACES.split(text.strip(" "))
    lines: list[str] = []
    line, limit, fresh = "", width - used, True
    for gap, word in zip(["", *parts[1::2]], parts[0::2]):
        gap = "" if fresh else gap
        # The next line for a word that does not fit; a label may stand alone rather than cut a word.
        if get_cwidth(line + gap + word) > limit and (
                not fresh or not lines and get_cwidth(indent + word) <= width):
            lines.append(line)
            line, limit, gap = indent, width, ""
        while get_cwidth(line + word) > limit:  # longer than a whole line: cut it
            head, word = _cut(word, limit - get_cwidth(line))
            lines.append(line + head)
            line, limit = indent, width
        line, fresh = line + gap + word, False
    return [*lines, line]


def fill(text: str, width: int, label: str = "") -> list[str]:
    """Screen lines for `text`. After a `label` (her name) every other line hangs under the text;
    without one each line keeps its own indentation and its continuations go two further in."""
    hang = " " * min(get_cwidth(label), width // 2)
    screen: list[str] = []
    for number, source in enumerate(text.expandtabs().split("\n")):
        body = source.lstrip(" ")
        if label:
            lead, used, indent = ("", get_cwidth(label), hang) if number == 0 else (hang, len(hang), hang)
        else:
            lead = source[:min(len(source) - len(body), width // 2)]
            used, indent = len(lead), " " * min(len(lead) + 2, width // 2)
        first, *rest = wrap(body, width, used, indent)
        screen += [lead + first, *rest]
    return screen
