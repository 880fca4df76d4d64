"""One conversation's small mutable state, and `reply()`: from what a person types to what she says."""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from . import context, phases, render
from .answers import Outcome, display
from .matcher import THRESHOLD, Candidate, rank
from .model import Card
from .normalize import excerpt, normalize

if TYPE_CHECKING:
    from .engine import Engine

STATE_VERSION = 1
MAX_LIST_FACT = 20  # a list fact ("likes") keeps this many, newest last
RUNNERS_UP = 4


@dataclass(frozen=True)
class Reply:
    """What she said, and everything needed to explain why."""

    text: str
    theme: str
    card: str
    score: float
    phase: str
    stage: str | None
    via: str = "retrieval"  # rule | retrieval | context | followup | fallback | setup | said
    candidates: tuple[Candidate, ...] = ()  # the runners-up, best first
    example: str = ""  # the example phrasing or pattern that matched

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "theme": self.theme, "card": self.card, "score": self.score,
                "phase": self.phase, "stage": self.stage}

    def explain(self) -> str:
        """Which card, theme, score and route, and what came second: for /why and authors."""
        lines = [f"card {self.card} (theme {self.theme}) via {self.via}, score {self.score:.1f}"]
        if self.example:
            lines.append(f"  matched: {self.example!r}")
        for candidate in self.candidates:
            lines.append(f"  runner-up: {candidate.card.id} (theme {candidate.theme}) "
                         f"via {candidate.via}, score {candidate.score:.1f}"
                         + (f", nearest {candidate.example!r}" if candidate.example else ""))
        return "\n".join(lines)


@dataclass(slots=True)  # thousands live at once: no per-session __dict__
class Session:
    """Holds only this conversation's state; the Engine it talks through is shared and read-only."""

    engine: Engine
    seed: int = 0
    phase: str = phases.SETUP
    stage: str | None = None
    step: int = 0  # the setup step being asked
    asked: bool = False  # whether that step's question has been put
    turns: int = 0
    stage_turns: int = 0
    stage_themes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    used: dict[str, tuple[int, ...]] = field(default_factory=dict)  # pool key -> lines said, in order
    last: tuple[str, bool] | None = None  # the card that spoke last, and whether it asked

    # --- the public turn

    def reply(self, text: str) -> Reply:
        """Her answer to one line; never empty, never raises for any text."""
        raw = excerpt(text if isinstance(text, str) else str(text))
        normalized = normalize(raw)
        self.turns += 1
        if self.phase == phases.SETUP:
            return self._setup_reply(raw, normalized)
        return self._growth_reply(raw, normalized)

    def say(self, card_id: str) -> Reply | None:
        """A line of one card by id, outside matching (a welcome back, a goodbye); None when the
        packs lack the card or it is closed now. Not a turn: stages do not move."""
        card = self.engine.cards_by_id.get(card_id)
        if card is None or not self.is_open(card):
            return None
        key, lines = self._pool(card)
        text = render.fill(self._pick(key, lines), self.facts)
        return self._said(text, card.theme, card.id, 100.0, "said")

    # --- setup

    def _setup_reply(self, raw: str, normalized: str) -> Reply:
        steps = self.engine.setup
        step = steps[self.step]
        if not self.asked:
            return self._ask(self.step, "", Outcome("answer", score=100.0))
        outcome = self.engine.readers[self.step].read(raw, normalized)
        if outcome.kind == "steer":
            steer = self._pick(f"setup.{step.id}/steer", step.steer) if step.steer else ""
            question = self._pick(f"setup.{step.id}", step.ask)
            text = render.fill(f"{steer} {question}".strip(), self.facts)
            return self._said(text, step.theme, f"setup.{step.id}", outcome.score, "setup")
        if outcome.kind == "answer" and step.remember:
            self.facts[step.remember] = outcome.value
        self.phase = phases.next_phase(self.phase, "answered")
        replies = step.replies.get(outcome.choice) or step.replies.get("", ())
        ack = self._pick(f"setup.{step.id}/{outcome.choice}", replies) if replies else ""
        return self._ask(self.step + 1, ack, outcome)

    def _ask(self, position: int, ack: str, outcome: Outcome) -> Reply:
        """Put setup step `position`'s question after `ack`; the last step ends setup."""
        step = self.engine.setup[position]
        self.step, self.asked = position, True
        question = self._pick(f"setup.{step.id}", step.ask)
        text = render.fill(f"{ack} {question}".strip(), self.facts)
        if step.ends_setup or position + 1 >= len(self.engine.setup):
            self._enter_growth()
        return self._said(text, step.theme, f"setup.{step.id}", outcome.score, "setup")

    def _enter_growth(self) -> None:
        self.phase = phases.next_phase(self.phase, "setup_done")
        self.stage = self.engine.stage_ids[0]
        self.step, self.asked, self.stage_turns, self.stage_themes = 0, False, 0, []

    # --- growth

    def _growth_reply(self, raw: str, normalized: str) -> Reply:
        ranked: list[Candidate] = []
        followup = self.followup_to(normalized)
        kind = followup[1] if followup else None
        if followup:
            chosen = Candidate(followup[0], 100.0, "followup")
        else:
            open_now = self.engine.open_cards(self.phase, self.stage, frozenset(self.facts))
            ranked = rank(self.engine.index, normalized, lambda card: card.id in open_now, self.recent_theme(),
                          limit=RUNNERS_UP + 1)  # the answer and its runners-up: the rest is never read
            if ranked and (ranked[0].via == "rule" or ranked[0].score >= THRESHOLD):
                chosen = ranked[0]
            else:
                best = ranked[0].score if ranked else 0.0
                chosen = Candidate(self._fallback_card(), best, "fallback")
        card = chosen.card
        slots = {name: display(value, raw, name) for name, value in chosen.slots.items()}
        self._remember(card, slots)
        if kind in card.followups:
            key, lines = f"{card.id}/{kind}", card.followups[kind]
        else:
            key, lines = self._pool(card)
        values = {**self.facts, **slots}
        text = render.fill(self._pick(key, lines, values), values)
        runners_up = tuple(c for c in ranked if c.card.id != card.id)[:RUNNERS_UP]
        reply = self._said(text, card.theme, card.id, chosen.score, chosen.via, runners_up, chosen.example)
        self._advance(card.theme)
        self.last = (card.id, text.rstrip().endswith("?"))
        return reply

    def followup_to(self, normalized: str) -> tuple[Card, str] | None:
        """The card that spoke last and the follow-up kind, when this input continues that card."""
        kind = context.followup_kind(normalized)
        if kind is None or self.last is None:
            return None
        spoken, asked = self.last
        if kind in context.ASKED_ONLY and not asked:
            return None
        card = self.engine.cards_by_id.get(spoken)
        if card is None or card.is_fallback and kind in context.ASKED_ONLY:
            return None
        return card, kind

    def recent_theme(self) -> str | None:
        """The theme she last spoke from (not a fallback): a short line leans towards it."""
        recent = self.engine.cards_by_id.get(self.last[0]) if self.last else None
        return recent.theme if recent and not recent.is_fallback else None

    def is_open(self, card: Card) -> bool:
        """Whether a card may answer now: its conditions hold and it has lines for this stage."""
        return card.id in self.engine.open_cards(self.phase, self.stage, frozenset(self.facts))

    def _pool(self, card: Card) -> tuple[str, tuple[str, ...]]:
        return pool(self.engine, card, self.stage)

    def _fallback_card(self) -> Card:
        cards = [card for card in self.engine.fallbacks if self.is_open(card)] or [self.engine.last_resort]
        return cards[self._draw("fallback", len(cards))]

    def _remember(self, card: Card, slots: dict[str, str]) -> None:
        for fact, mode in card.remember.items():
            if fact not in slots:
                continue
            if mode == "add":
                kept = [item for item in self.facts.get(fact, []) if item != slots[fact]]
                self.facts[fact] = (kept + [slots[fact]])[-MAX_LIST_FACT:]
            else:
                self.facts[fact] = slots[fact]
        self.facts.update(card.set_facts)

    def _advance(self, theme: str) -> None:
        self.phase = phases.next_phase(self.phase, "turn")
        self.stage_turns += 1
        if theme != "fallback" and theme not in self.stage_themes:
            self.stage_themes = sorted(self.stage_themes + [theme])
        following = phases.next_stage(self.engine.content.stages, self.stage or "", self.stage_turns,
                                      self.stage_themes) if self.engine.content.stages else None
        if following:
            self.phase = phases.next_phase(self.phase, "stage_done")
            self.stage, self.stage_turns, self.stage_themes = following, 0, []

    # --- lines

    def _draw(self, key: str, count: int) -> int:
        """A number below `count`, fixed by the seed, the turn and the pool: reproducible, and no
        generator state needs saving, so to_dict() stays small and restores exactly."""
        digest = hashlib.blake2b(f"{self.seed}:{self.turns}:{key}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % count

    def _pick(self, key: str, lines: Sequence[str], values: dict[str, Any] | None = None) -> str:
        """A line not used yet in this pool, among those that use the most known slots."""
        values = self.facts if values is None else values
        needs = [render.required_slots(line) for line in lines]
        known = [i for i, slots in enumerate(needs) if slots <= values.keys()]
        # Lines that use the most known facts first: "You're {name}" over "Tell me your name".
        most = max((len(needs[i]) for i in known), default=0)
        indices = [i for i in known if len(needs[i]) == most] or list(range(len(lines)))
        used = self.used.get(key, ())
        fresh = [i for i in indices if i not in used]
        if not fresh:  # all said: start over, but not with the line just said
            used = ()
            fresh = [i for i in indices if not self.used.get(key) or i != self.used[key][-1]] or indices
        choice = fresh[self._draw(key, len(fresh))]
        self.used[sys.intern(key)] = used + (choice,)  # one copy of each key, however many sessions
        return lines[choice]

    def _said(self, text: str, theme: str, card: str, score: float, via: str,
              candidates: tuple[Candidate, ...] = (), example: str = "") -> Reply:
        text = text.strip() or "I'm here. Tell me what you're thinking?"
        return Reply(text, theme, card, round(min(max(score, 0.0), 100.0), 2), self.phase, self.stage,
                     via, candidates, example)

    # --- persistence

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe state; Engine.restore() rebuilds an identical session from it."""
        return {"version": STATE_VERSION, "seed": self.seed, "phase": self.phase, "stage": self.stage,
                "step": self.step, "asked": self.asked, "turns": self.turns,
                "stage_turns": self.stage_turns, "stage_themes": list(self.stage_themes),
                "facts": {k: (list(v) if isinstance(v, list) else v) for k, v in self.facts.items()},
                "used": {k: list(v) for k, v in self.used.items()},
                "last": {"card": self.last[0], "question": self.last[1]} if self.last else None}


# --- what any session at a given place sees (pure: the Engine memoises open_cards)

def pool(engine: Engine, card: Card, stage: str | None) -> tuple[str, tuple[str, ...]]:
    """The lines a card speaks at a stage: the latest reached stage's own, else its plain lines."""
    if card.stage_lines:
        for later in reversed(engine.stage_ids):
            if later in card.stage_lines and phases.reached(engine.stage_order, stage, later):
                return f"{card.id}@{later}", card.stage_lines[later]
    return card.id, card.lines


def card_open(engine: Engine, card: Card, phase: str, stage: str | None, known: frozenset[str]) -> bool:
    """Whether a card may answer in this phase and stage, with these facts known."""
    return closed_by(engine, card, phase, stage, known) is None


def closed_by(engine: Engine, card: Card, phase: str, stage: str | None, known: frozenset[str]) -> str | None:
    """Why a card may not answer in this phase and stage with these facts known (its first gate
    that is shut, said for /whynot); None when its conditions hold and it has lines for the stage."""
    when = card.when
    if when.phase and when.phase != phase:
        return f"it answers only in the {when.phase} phase; the session was in {phase}"
    order = engine.stage_order
    too_early = when.min_stage and not phases.reached(order, stage, when.min_stage)
    too_late = when.max_stage and phases.reached(order, stage, when.max_stage) and stage != when.max_stage
    if too_early or too_late:
        span = f"from {when.min_stage or 'the start'} to {when.max_stage or 'the end'}"
        return f"it is open {span}; the session was at stage {stage}"
    missing = [fact for fact in when.needs if fact not in known]
    if missing:
        return f"it needs facts the session did not know: {', '.join(missing)}"
    if not pool(engine, card, stage)[1]:
        return f"it has no lines for stage {stage}"
    return None
