"""Which cards may speak at a place in the relationship (phase, stage, facts known), and with
which lines: pure functions of a card and the stage order, which the Engine memoises."""
from __future__ import annotations

from typing import Mapping

from . import phases
from .model import Card

Pool = tuple[str, tuple[str, ...]]  # a pool's key (as `Session.used` names it) and its lines


def pool(order: Mapping[str, int], card: Card, stage: str | None) -> Pool:
    """The lines a card speaks at a stage: the latest reached stage's own, else its plain lines."""
    return pools(order, card, stage)[0]


def pools(order: Mapping[str, int], card: Card, stage: str | None) -> list[Pool]:
    """The pools a card may speak from at a stage, its voice now first: the latest reached
    stage's own lines, then those of earlier stages, then its plain lines."""
    found = [(f"{card.id}@{earlier}", card.stage_lines[earlier]) for earlier in reversed(tuple(order))
             if earlier in card.stage_lines and phases.reached(order, stage, earlier)]
    return [*found, (card.id, card.lines)] if card.lines or not found else found


def card_open(order: Mapping[str, int], card: Card, phase: str, stage: str | None, known: frozenset[str]) -> bool:
    """Whether a card may answer in this phase and stage, with these facts known."""
    return closed_by(order, card, phase, stage, known) is None


def closed_by(order: Mapping[str, int], card: Card, phase: str, stage: str | None,
              known: frozenset[str]) -> str | None:
    """Why a card may not answer in this phase and stage with these facts known (its first gate
    that is shut, said for /whynot); None when its conditions hold and it has lines for the stage."""
    when = card.when
    if when.phase and when.phase != phase:
        return f"it answers only in the {when.phase} phase; the session was in {phase}"
    too_early = when.min_stage and not phases.reached(order, stage, when.min_stage)
    too_late = when.max_stage and phases.reached(order, stage, when.max_stage) and stage != when.max_stage
    if too_early or too_late:
        span = f"from {when.min_stage or 'the start'} to {when.max_stage or 'the end'}"
        return f"it is open {span}; the session was at stage {stage}"
    missing = [fact for fact in when.needs if fact not in known]
    if missing:
        return f"it needs facts the session did not know: {', '.join(missing)}"
    if not pool(order, card, stage)[1]:
        return f"it has no lines for stage {stage}"
    return None
