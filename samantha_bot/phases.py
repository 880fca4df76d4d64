"""The setup/growth state machine as tables: every move the relationship can make lives here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

from .model import IMPLICIT_STAGE, AdvanceRule, Stage

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
    return current is not None and current in order and stage in order and order[current] >= order[stage]

@dataclass(frozen=True)
class Progress:
    """How far the conversation has gone in a stage: what advance rules are measured against."""

    turns: int = 0
    touched: Collection[str] = ()  # themes talked about in the stage
    learned: int = 0  # things she knows about the person, setup answers aside


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


def next_stage(stages: Sequence[Stage], current: str, progress: Progress) -> str | None:
    """The stage to move to when any advance rule of `current` holds, else None."""
    order = stage_ids(stages)
    position = order.index(current)
    if position + 1 >= len(order):
        return None
    if any(not missing(rule, progress) for rule in stages[position].advance):
        return order[position + 1]
    return None


def still_missing(stages: Sequence[Stage], current: str, progress: Progress) -> list[str]:
    """For each way out of `current`, what it still waits for (for /state); empty in the last stage."""
    order = stage_ids(stages)
    if current not in order or order.index(current) + 1 >= len(order) or not stages:
        return []
    return [", ".join(wanted) for rule in stages[order.index(current)].advance if (wanted := missing(rule, progress))]
