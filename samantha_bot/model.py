"""Authored content as frozen dataclasses: what the loader builds and the engine only reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .errors import Location, Problem

FOLLOWUP_KINDS = ("why", "more", "yes", "no")
FALLBACK_THEME = "fallback"
IMPLICIT_STAGE = "growth"
LISTENING_SLOTS = frozenset({"echo", "asked"})  # the person's words turned round, for a fallback


@dataclass(frozen=True, eq=False)
class Condition:
    """When a card may answer: all given conditions must hold."""

    phase: str | None = None
    min_stage: str | None = None
    max_stage: str | None = None
    needs: tuple[str, ...] = ()


ALWAYS = Condition()  # no conditions: what most cards have, one object shared by them all


@dataclass(frozen=True, eq=False)
class Card:
    """One thing she can say something about: how a person says it, and what she answers."""

    id: str
    theme: str
    location: Location
    examples: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    stage_lines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    when: Condition = ALWAYS
    remember: Mapping[str, str] = field(default_factory=dict)  # fact -> "set" | "add"
    set_facts: Mapping[str, str] = field(default_factory=dict)
    followups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    override: str = ""  # "replace" or "extend": what it does to a card of the same id in an earlier pack
    example_locations: tuple[Location, ...] = ()  # where each example is written, for lint
    counter: tuple[str, ...] = ()  # what the card is not about, though it shares words ("not:")
    counter_locations: tuple[Location, ...] = ()
    urgent: bool = False  # outranks every other card and every follow-up, in every phase
    hold: int = 0  # turns after it answers that stay with it (its follow-ups answer them)
    ack: tuple[str, ...] = ()  # said before the answer when the same message also asks something
    ask_back: str = ""  # what "and you?" after this card asks her ("what is your name")
    occasion: str = ""  # when the program says it by itself, never matched (schema.OCCASIONS)

    @property
    def is_fallback(self) -> bool:
        return self.theme == FALLBACK_THEME and not self.examples and not self.patterns


@dataclass(frozen=True, eq=False)
class SetupStep:
    """One question of the setup phase, and how its answer is read."""

    id: str
    theme: str
    location: Location
    ask: tuple[str, ...]
    remember: str | None = None
    patterns: tuple[str, ...] = ()
    max_words: int = 6
    skip: tuple[str, ...] = ()
    steer: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    free: bool = False
    replies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # "" = every answer
    again: tuple[str, ...] = ()  # the question asked again, plainly (after a steer); else `ask`
    topic: tuple[str, ...] = ()  # words that make a question about this step ("voices")
    explain: tuple[str, ...] = ()  # her answer to a question about this step
    default: str | None = None  # kept when the question is declined or twice answered unclearly
    skipped: tuple[str, ...] = ()  # said when it is, before the next question

    @property
    def ends_setup(self) -> bool:
        return self.remember is None


@dataclass(frozen=True, eq=False)
class AdvanceRule:
    """A rule that moves growth to the next stage: every given condition must hold."""

    turns: int = 0  # turns spent in the stage
    themes: tuple[str, ...] = ()  # themes that must all have been talked about in it
    topics: int = 0  # how many different themes were talked about in it
    learned: int = 0  # how many things she knows about the person, setup answers aside


@dataclass(frozen=True, eq=False)
class Stage:
    """A growth stage, in order, with the rules that end it."""

    id: str
    location: Location
    advance: tuple[AdvanceRule, ...] = ()
    replace: bool = False  # replaces the stage of the same id from an earlier pack


@dataclass(frozen=True, eq=False)
class Content:
    """Every pack merged: what one Engine answers from."""

    concepts: Mapping[str, tuple[str, ...]]
    cards: tuple[Card, ...]
    setup: tuple[SetupStep, ...]
    stages: tuple[Stage, ...]
    frames: tuple[str, ...] = ()  # words that only frame a request ("can you", "write"): not evidence
    overrides: tuple[str, ...] = ()  # what a later pack replaced or extended, said for lint
    warnings: tuple[Problem, ...] = ()  # what the loader noticed but did not refuse
