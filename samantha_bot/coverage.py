"""Which cards, lines, setup steps and themes a set of conversations reached, and which they never did."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .engine import Engine
from .errors import Location
from .render import one_line
from .session import Reply


class Coverage:
    """Which cards, setup steps, lines and themes of the loaded packs replies came from.

    A line is reached when the session's `used` record gains its index in that turn: the record the
    session keeps to rotate lines, so this is exactly the line the reply was made from.
    """

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}  # "card.id (file:line:col)" -> "card" | "setup"
        self.lines: dict[tuple[str, str, int], str] = {}  # (owner, pool, index) -> the line
        self.themes: set[str] = set()
        self.reached_owners: set[str] = set()
        self.reached_lines: set[tuple[str, str, int]] = set()
        self.reached_themes: set[str] = set()
        self._pools: dict[int, dict[str, str]] = {}  # id(engine) -> pool -> owner
        self.untyped: set[str] = set()  # cards with no examples or patterns (said by the REPL)

    def add(self, engine: Engine) -> None:
        """Count an engine's content as reachable (the same card loaded by two engines counts once)."""
        pools = self._pools.setdefault(id(engine), {})
        for owner_id, location, kind, pool, lines in _pools(engine):
            owner = f"{owner_id} ({location})"
            self.owners[owner] = kind
            pools[pool] = owner
            for index, line in enumerate(lines):
                self.lines[(owner, pool, index)] = line
        self.themes |= set(engine.themes) | {step.theme for step in engine.setup}
        self.untyped |= {f"{card.id} ({card.location})" for card in engine.content.cards
                         if not (card.examples or card.patterns or card.is_fallback)}

    def note(self, engine: Engine, reply: Reply, before: Mapping[str, Sequence[int]],
             after: Mapping[str, Sequence[int]]) -> None:
        """One reply: its theme, and the line each pool gained this turn (a pick appends its index)."""
        pools = self._pools.get(id(engine), {})
        self.reached_themes.add(reply.theme)
        for raw, picked in after.items():
            pool = _canonical(engine, raw)
            if picked and picked != before.get(raw) and pool in pools:
                self.reached_owners.add(pools[pool])
                self.reached_lines.add((pools[pool], pool, picked[-1]))

    def figures(self) -> dict[str, tuple[int, int]]:
        """(reached, total) for cards, setup steps, lines and themes."""
        def count(kind: str) -> tuple[int, int]:
            owners = [owner for owner, of in self.owners.items() if of == kind]
            return sum(owner in self.reached_owners for owner in owners), len(owners)
        return {"cards": count("card"), "setup": count("setup"),
                "lines": (len(self.reached_lines & self.lines.keys()), len(self.lines)),
                "themes": (len(self.reached_themes & self.themes), len(self.themes))}

    def report(self) -> str:
        out = ["coverage of the loaded packs:"]
        for what, (reached, total) in self.figures().items():
            if what == "setup" and not total:
                continue  # packs without a setup phase
            share = 100.0 * reached / total if total else 100.0
            out.append(f"  {what:<7} {reached:>4}/{total:<4} {share:5.1f}%")
        never = sorted(self.themes - self.reached_themes)
        if never:
            out.append(f"themes never reached: {', '.join(never)}")
        missed = [owner for owner in self.owners if owner not in self.reached_owners]
        if missed:
            out.append("cards and setup steps never reached:")
            here = f"{Path.cwd()}/"  # shorter to read, and still a path an editor opens
            out += [f"  {owner.replace(here, '')}" + (": nothing typed reaches it (no examples or patterns)"
                                                      if owner in self.untyped else "") for owner in missed]
        silent = [(key, line) for key, line in self.lines.items() if key not in self.reached_lines]
        if silent:
            out.append("lines never said:")
            out += [f"  {pool}#{index + 1}: {one_line(line, 100)}" for (_, pool, index), line in silent]
        return "\n".join(out)


def _pools(engine: Engine) -> Iterable[tuple[str, Location, str, str, tuple[str, ...]]]:
    """Every pool of lines a session picks from, named as the session's `used` record names it."""
    for card in engine.content.cards:
        yield card.id, card.location, "card", card.id, card.lines
        for stage, lines in card.stage_lines.items():
            yield card.id, card.location, "card", f"{card.id}@{stage}", lines
        for kind, lines in card.followups.items():
            yield card.id, card.location, "card", f"{card.id}/{kind}", lines
    for step in engine.setup:
        owner = f"setup.{step.id}"
        yield owner, step.location, "setup", owner, step.ask
        yield owner, step.location, "setup", f"{owner}/steer", step.steer
        for pool, lines in (("again", step.again), ("explain", step.explain), ("skipped", step.skipped)):
            if lines:
                yield owner, step.location, "setup", f"{owner}/{pool}", lines
        for choice, lines in step.replies.items():
            yield owner, step.location, "setup", f"{owner}/{choice}", lines


def _canonical(engine: Engine, pool: str) -> str:
    """A setup reply pool falls back to the step's common replies when its choice has none of its own."""
    owner, _, choice = pool.partition("/")
    if owner.startswith("setup.") and choice and choice not in ("steer", "again", "explain", "skipped"):
        step = next((s for s in engine.setup if f"setup.{s.id}" == owner), None)
        if step is not None and choice not in step.replies:
            return f"{owner}/"
    return pool


# --- reporting

