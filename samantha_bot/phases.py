"""The setup/growth state machine as tables: every move the relationship can make lives here."""
from __future__ import annotations

from typing import Collection, Mapping, Sequence

from .model import IMPLICIT_STAGE, Stage

SETUP, GROWTH = "setup", "growth"
PHASES = (SETUP, GROWTH)

# (phase, event) -> next phase. Anything not listed is an illegal move.
TRANSITIONS = {
    (SETUP, "answered"): SETUP,
    (SETUP, "setup_done"): GROWTH,
    (GROWTH, "turn"): GROWTH,
    (GROWTH, "stage_done"): GROWTH,
}


class IllegalMove(ValueError):
    """A move the table does not allow; the state is left as it was."""


def next_phase(phase: str, event: str) -> str:
    try:
        return TRANSITIONS[(phase, event)]
    except KeyError:
        raise IllegalMove(f"cannot {event!r} in phase {phase!r}") from None


def stage_ids(stages: Sequence[Stage]) -> tuple[str, ...]:
    """The growth stages in order; a pack without stages has one implicit stage."""
    return tuple(stage.id for stage in stages) or (IMPLICIT_STAGE,)


def stage_order(stages: Sequence[Stage]) -> dict[str, int]:
    """Each growth stage's place in the order, for reached()."""
    return {stage: position for position, stage in enumerate(stage_ids(stages))}


def reached(order: Mapping[str, int], current: str | None, stage: str) -> bool:
    """Whether growth is at `stage` or past it, by stage_order() (False during setup)."""
    return current in order and stage in order and order[current] >= order[stage]

def next_stage(stages: Sequence[Stage], current: str, turns: int, touched: Collection[str]) -> str | None:
    """The stage to move to when any advance rule of `current` holds, else None."""
    order = stage_ids(stages)
    position = order.index(current)
    if position + 1 >= len(order):
        return None
    for rule in stages[position].advance:
        if turns >= rule.turns and set(rule.themes) <= set(touched):
            return order[position + 1]
    return None
