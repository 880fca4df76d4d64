"""Where authored content or the command line went wrong: `file:line:col: error: ...` with a caret,
usage errors, and the exit codes of the `samantha` command."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from rapidfuzz import fuzz, process


class ExitStatus(enum.IntEnum):
    """Exit codes of the `samantha` command."""

    OK = 0
    FAILURE = 1  # a test failed, lint found errors, the packs cannot load, a file cannot be written
    USAGE = 2  # the command line was wrong, or a path it names (--state) cannot be used
    INTERNAL = 70  # a bug: an exception nothing expected (sysexits' EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


class UsageError(Exception):
    """The command line cannot be used as given; its text is one line, said after 'samantha: '."""


class Location(NamedTuple):
    """A place in a pack: 1-based line and column, as editors count them. A tuple: a 50,000-card
    pack makes 100,000 of them, and a tuple is made in a third of a frozen dataclass's time."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, with where it is and, when one can be guessed, a fix."""

    location: Location
    message: str
    hint: str | None = None
    severity: str = "error"
    source_line: str | None = None
    caret: int = 0  # column of the caret within source_line, when it is not location.col

    def render(self) -> str:
        """The message, the source line with a caret under the column, and the hint."""
        text = f"{self.location}: {self.severity}: {self.message}"
        column = self.caret or self.location.col
        if self.source_line is not None and column:
            text += f"\n    {self.source_line}\n    {' ' * (column - 1)}^"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class ContentError(Exception):
    """A pack could not be loaded; holds every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem], total: int | None = None):
        self.problems = tuple(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = self.total
        lines = [problem.render() for problem in self.problems]
        lines.append(f"{count} error{'s' if count != 1 else ''}; nothing was loaded")
        return "\n".join(lines)


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    """A 'did you mean ...?' hint from the closest known word, if any is close."""
    choices = sorted(set(known))
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=60)
    return f"did you mean '{best[0]}'?" if best else None
