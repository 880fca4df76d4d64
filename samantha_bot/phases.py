"""The setup/growth state machine: a conversation's place, and every move it can make (advance())."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Collection, Mapping, Sequence

from .model import IMPLICIT_STAGE, AdvanceRule, Stage

SETUP, GROWTH = "setup", "growth"
PHASES = (SETUP, GROWTH)
UNCLEAR_ANSWERS = 2  # a setup question answered unclearly this often is left with its default
UNTOUCHED = frozenset({"fallback"})  # a theme that talks about nothing: no stage counts it as touched


class IllegalMove(ValueError):
    """A move the machine does not allow; the place is left as it was."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a conversation is: everything the moves read and change, and nothing else."""

    phase: str = SETUP
    step: int = 0  # the setup step being asked
    asked: bool = False  # whether that step's question has been put
    unclear: int = 0  # unclear answers to it so far
    stage: str | None = None  # the growth stage; None during setup
    stage_turns: int = 0  # turns spent in the stage
    stage_themes: tuple[str, ...] = ()  # themes talked about in the stage, sorted


# --- the events


@dataclass(frozen=True)
class Asked:
    """Setup step `step`'s question is put: for the first time, again, or the next one after an
    answer (taken, declined or defaulted). A new question starts its unclear count afresh."""

    step: int


@dataclass(frozen=True)
class Unclear:
    """An answer that does not answer the question put: one more towards leaving its default."""


@dataclass(frozen=True)
class SetupDone:
    """The question that ends setup has been put: growth starts at the first stage."""


@dataclass(frozen=True)
class Turn:
    """A growth turn answered from `theme`, with `learned` things known about the person after it
    (setup answers aside); the stage moves on when one of its advance rules then holds."""

    theme: str
    learned: int = 0


Event = Asked | Unclear | SetupDone | Turn

# (phase, event) -> the phase after it. Anything not listed is an illegal move.
MOVES: dict[tuple[str, type], str] = {
    (SETUP, Asked): SETUP,
    (SETUP, Unclear): SETUP,
    (SETUP, SetupDone): GROWTH,
    (GROWTH, Turn): GROWTH,
}


def advance(place: Place, event: Event, stages: Sequence[Stage] = ()) -> Place:
    """The place after `event`, with `stages` the packs' growth stages; raises IllegalMove for a
    move the table or the event's own rule refuses (the place is frozen: nothing changed)."""
    if (place.phase, type(event)) not in MOVES:
        raise IllegalMove(f"cannot take {event!r} in phase {place.phase!r}")
    if isinstance(event, Asked):
        if event.step < place.step:
            raise IllegalMove(f"cannot go back from setup step {place.step} to step {event.step}")
        fresh = event.step != place.step or not place.asked
        return replace(place, step=event.step, asked=True, unclear=0 if fresh else place.unclear)
    if isinstance(event, Unclear):
        return replace(place, unclear=place.unclear + 1)
    if isinstance(event, SetupDone):
        if not place.asked:
            raise IllegalMove("setup ends on putting a question, and none has been put")
        return Place(GROWTH, stage=stage_ids(stages)[0])
    return _turn(place, event, stages)


def _turn(place: Place, turn: Turn, stages: Sequence[Stage]) -> Place:
    """One growth turn counted in the stage, and the next stage when an advance rule then holds."""
    order = stage_ids(stages)
    if place.stage not in order:
        raise IllegalMove(f"stage {place.stage!r} is not one of {', '.join(order)}")
    themes = place.stage_themes
    if turn.theme not in UNTOUCHED and turn.theme not in themes:
        themes = tuple(sorted((*themes, turn.theme)))
    counted = replace(place, stage_turns=place.stage_turns + 1, stage_themes=themes)
    position = order.index(place.stage)
    if position + 1 < len(order) and stages and any(
            not missing(rule, measure(counted, turn.learned)) for rule in stages[position].advance):
        return replace(counted, stage=order[position + 1], stage_turns=0, stage_themes=())
    return counted


# --- the stages, and what the next one waits for


def stage_ids(stages: Sequence[Stage]) -> tuple[str, ...]:
    """The growth stages in order; a pack without stages has one implicit stage."""
    return tuple(stage.id for stage in stages) or (IMPLICIT_STAGE,)


def stage_order(stages: Sequence[Stage]) -> dict[str, int]:
    """Each growth stage's place in the order, for reached()."""
    return {stage: position for position, stage in enumerate(stage_ids(stages))}


def reached(order: Mapping[str, int], current: str | None, stage: str) -> bool:
    """Whether growth is at `stage` or past it, by stage_order() (False during setup)."""
    return current is not None and current in order and stage in order and order[current] >= order[stage]


@dataclass(frozen=True)
class Progress:
    """How far the conversation has gone in a stage: what advance rules are measured against."""

    turns: int = 0
    touched: Collection[str] = ()  # themes talked about in the stage
    learned: int = 0  # things she knows about the person, setup answers aside


def measure(place: Place, learned: int = 0) -> Progress:
    """How far `place` has gone in its stage, with `learned` things known about the person."""
    return Progress(place.stage_turns, place.stage_themes, learned)


def missing(rule: AdvanceRule, progress: Progress) -> list[str]:
    """What a rule still waits for ("3 more turns", "love"); empty when it holds."""
    wanted = []
    if progress.turns < rule.turns:
        wanted.append(f"{rule.turns - progress.turns} more turn{'s' * (rule.turns - progress.turns != 1)}")
    wanted += [theme for theme in rule.themes if theme not in progress.touched]
    topics = rule.topics - len(progress.touched)
    if topics > 0:
        wanted.append(f"{topics} more theme{'s' * (topics != 1)} talked about")
    learned = rule.learned - progress.learned
    if learned > 0:
        wanted.append(f"{learned} more thing{'s' * (learned != 1)} learned about you")
    return wanted


@dataclass(frozen=True)
class Outlook:
    """Where growth stands among its stages and what the next one waits for (/state, the toolbar)."""

    position: int  # the stage's place in the order, from 0
    stages: int  # how many stages there are
    following: str | None = None  # the next stage; None in the last (and during setup)
    waiting: tuple[str, ...] = ()  # for each way out of the stage, what it still waits for
    turns: int | None = None  # the fewest turns asked by a way out that names no theme


def outlook(place: Place, stages: Sequence[Stage], learned: int = 0) -> Outlook:
    """What the next stage waits for from `place`, with `learned` things known about the person."""
    order = stage_ids(stages)
    if place.stage not in order:
        return Outlook(0, len(order))
    position = order.index(place.stage)
    if position + 1 >= len(order) or not stages:
        return Outlook(position, len(order))
    rules = stages[position].advance
    measured = measure(place, learned)
    waiting = tuple(", ".join(wanted) for rule in rules if (wanted := missing(rule, measured)))
    turns = min((rule.turns for rule in rules if rule.turns and not rule.themes), default=None)
    return Outlook(position, len(order), order[position + 1], waiting, turns)
