"""The problem collector: every problem a load finds, each with its place and source line, then one failure."""
from __future__ import annotations

from .errors import ContentError, Location, Problem

MAX_PROBLEMS = 100  # a pack this broken has a problem that repeats: the first hundred say it
SNIPPET_CHARS = 120


class Problems:
    """Collects problems so a load reports all of them, then fails once (`finalize`)."""

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.sources: dict[str, list[str]] = {}
        self.dropped = 0  # problems past MAX_PROBLEMS: counted, not kept
        self.warnings: list[Problem] = []

    def add(self, location: Location, message: str, hint: str | None = None) -> None:
        if len(self.found) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        source = self.line(location)
        if source is not None and len(source) > SNIPPET_CHARS:
            # A very long line is shown as the part around the column, caret moved to match.
            start = max(0, location.col - 1 - SNIPPET_CHARS // 2)
            source = source[start:start + SNIPPET_CHARS]
            self.found.append(Problem(location, message, hint, source_line=source, caret=location.col - start))
            return
        self.found.append(Problem(location, message, hint, source_line=source))

    def warn(self, location: Location, message: str, hint: str | None = None) -> None:
        """Something an author should look at that does not stop the pack loading (lint shows it)."""
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(location, message, hint, "warning", self.line(location)))

    def line(self, location: Location) -> str | None:
        """The source line a place is on, as the file was read (None when it is not known)."""
        lines = self.sources.get(location.file, ())
        return lines[location.line - 1] if 0 < location.line <= len(lines) else None

    def all(self) -> list[Problem]:
        if not self.dropped:
            return self.found
        last = self.found[-1].location
        return self.found + [Problem(Location(last.file), f"... and {self.dropped} more not shown")]

    def finalize(self) -> tuple[Problem, ...]:
        """Fail once: raise ContentError with every problem found (and a count of those not kept)
        when there is any; else the warnings, for what was loaded to keep."""
        if self.found:
            raise ContentError(self.all(), len(self.found) + self.dropped)
        return tuple(self.warnings)
