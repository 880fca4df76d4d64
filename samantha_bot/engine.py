"""Engine.load(), new_session() and restore(): the loaded packs, immutable and shared by sessions."""
from __future__ import annotations

import gc
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from . import loader, phases
from .answers import StepReader
from .danger import Urgency
from .errors import Location
from .index import Index
from .model import ALWAYS, Card, Content
from .normalize import normalize
from .problems import Problems
from .gates import card_open
from .session import RECENT_LINES, STATE_VERSION, Session

OPEN_PLACES = 1024  # (phase, stage, facts known) places whose open cards are kept
WARM_SECONDS = 0.1  # what warm() may spend compiling patterns before the first line (the bundled persona's take 0.02)

# Said when no fallback card is open and the packs have no card for the occasion "last_resort"
# (the persona's is in dialogues/fallback.yaml): one plain line, so a pack standing alone still answers.
LAST_RESORT = Card(id="fallback.builtin", theme="fallback", location=Location("<built in>"), lines=("Tell me more?",))


class StateError(ValueError):
    """Saved state that does not fit this engine: foreign, corrupt, or from other packs."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: loading makes a million small objects, none of them
    garbage, and collecting while they are made would take longer than making them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_for_good() -> None:
    """Take everything alive now out of the cyclic collector's reach (gc.freeze). An engine lives
    as long as the program that loaded it, and a full collection walking its million objects
    would stall a reply (a quarter of a second at 50,000 phrasings). For a program that loads
    once and then talks: the chat (after /reload too) and the bench call it."""
    gc.unfreeze()  # what an earlier call kept, an engine /reload replaced among it, may be garbage now
    gc.collect()
    gc.freeze()


def bundled_dialogues() -> Path:
    """The persona shipped with the package (inside the wheel), or the source tree's dialogues/."""
    here = Path(__file__).resolve().parent
    installed = here / "dialogues"
    return installed if installed.is_dir() else here.parent / "dialogues"


class Engine:
    """Every loaded pack, indexed once. Read-only after loading; any number of sessions share it."""

    def __init__(self, content: Content, sources: Sequence[str] = ()):
        self.content = content
        self.sources = tuple(sources)
        self.cards_by_id: Mapping[str, Card] = {card.id: card for card in content.cards}
        self.index = Index([card for card in content.cards if not card.is_fallback], content.concepts, content.frames)
        self.fallbacks = tuple(card for card in content.cards if card.is_fallback and not card.occasion)
        # The cards the program says on an occasion, by it (the loader allows one card each).
        self.occasions: Mapping[str, Card] = {card.occasion: card for card in content.cards if card.occasion}
        self.last_resort = self.occasions.get("last_resort", LAST_RESORT)
        self.setup = content.setup
        self.setup_facts = frozenset(step.remember for step in content.setup if step.remember)  # asked in setup
        # Words that answer a setup question are not names: "social" is no one's name.
        answers = {word for step in content.setup for examples in step.choices.values()
                   for example in examples for word in normalize(example).split()}
        self.readers = tuple(StepReader(step, content.concepts, self.index.vocabulary | answers, frozenset(answers))
                             for step in content.setup)
        self.stage_ids = phases.stage_ids(content.stages)
        self.stage_order: Mapping[str, int] = phases.stage_order(content.stages)
        self.themes = tuple(sorted({card.theme for card in content.cards}))
        self.urgency = Urgency.of(content, self.index)
        self._open: dict[tuple[str, str | None, frozenset[str]], frozenset[str]] = {}
        # Most cards have no conditions and lines of their own: open at every place, worked out once.
        self._conditional = tuple(card for card in content.cards if card.when != ALWAYS or not card.lines)
        self._always_open = frozenset(card.id for card in content.cards) - {card.id for card in self._conditional}
        self._gating_facts = frozenset(fact for card in self._conditional for fact in card.when.needs)
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            raise AttributeError("an Engine is read-only once loaded; load another instead")
        super().__setattr__(name, value)

    def open_cards(self, phase: str, stage: str | None, known: frozenset[str]) -> frozenset[str]:
        """The ids of the cards that may answer in this phase and stage with these facts known.
        Thousands of sessions stand at a few such places, so each place is worked out once."""
        place = (phase, stage, known & self._gating_facts)  # facts no card needs change nothing
        found = self._open.get(place)
        if found is None:
            if len(self._open) >= OPEN_PLACES:
                self._open.clear()
            found = self._open[place] = self._always_open.union(
                card.id for card in self._conditional if card_open(self.stage_order, card, phase, stage, place[2]))
        return found

    def warm(self, budget: float = WARM_SECONDS) -> int:
        """Compile the rules' patterns before the lines that need them come: the urgent cards'
        always (a person in danger never waits for a regex to be built), then the others in
        the order rules are tried for up to `budget` seconds; a pack of thousands of rules
        compiles the rest as lines need them. For a program that loads once and then talks,
        as keep_for_good() is. How many patterns were compiled."""
        index, deadline = self.index, time.perf_counter() + budget
        rules = sorted(index.rules, key=lambda rule: not index.cards[rule.card].urgent)  # stable: tried order kept
        compiled = 0
        for rule in rules:
            if not index.cards[rule.card].urgent and time.perf_counter() > deadline:
                break
            _ = rule.pattern.regex  # a cached property: compiled here, once
            compiled += 1
        return compiled

    @classmethod
    def load(cls, paths: Sequence[str | Path] | None = None, *, problems: Problems | None = None) -> Engine:
        """Load packs in order (files or folders); no paths means the bundled persona only.
        Given a collector, the loader reports into it (and keeps each file's text there, for lint).

        Raises ContentError listing every problem when any pack is broken.
        """
        if isinstance(paths, (str, Path)):
            paths = [paths]
        chosen = list(paths) if paths else [bundled_dialogues()]
        with collector_paused():
            return cls(loader.load(chosen, problems), [str(path) for path in chosen])

    @classmethod
    def from_text(cls, text: str, name: str = "<string>") -> Engine:
        """An engine from one pack's YAML text, through the same loader as files."""
        with collector_paused():
            return cls(loader.load_text(text, name), [name])

    def new_session(self, seed: int = 0, phase: str | None = None, stage: str | None = None) -> Session:
        """A fresh conversation: in setup when the packs have setup steps, else in growth."""
        phase = phase or (phases.SETUP if self.setup else phases.GROWTH)
        if phase not in phases.PHASES:
            raise ValueError(f"unknown phase {phase!r}: one of {', '.join(phases.PHASES)}")
        if phase == phases.SETUP and not self.setup:
            raise ValueError("these packs have no setup steps; start in phase 'growth'")
        if phase == phases.SETUP and stage is not None:
            raise ValueError("a stage is only for the growth phase")
        if stage is not None and stage not in self.stage_ids:
            raise ValueError(f"unknown stage {stage!r}: one of {', '.join(self.stage_ids)}")
        if phase == phases.GROWTH:
            stage = stage or self.stage_ids[0]
        return Session(self, seed=int(seed), place=phases.Place(phase, stage=stage))

    def restore(self, data: Any) -> Session:
        """A session from to_dict() output; raises StateError when it does not fit these packs."""
        try:
            return self._restore(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise StateError(f"saved state does not fit: {error}") from None

    def _restore(self, data: dict[str, Any]) -> Session:
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a samantha_bot session (or a newer version)")
        phase, stage = data["phase"], data["stage"]
        if phase not in phases.PHASES or (phase == phases.SETUP and not self.setup):
            raise ValueError(f"phase {phase!r} is not open in these packs")
        if phase == phases.GROWTH and stage not in self.stage_ids:
            raise ValueError(f"stage {stage!r} is not in these packs")
        step = int(data["step"])
        if phase == phases.SETUP and not 0 <= step < len(self.setup):
            raise ValueError(f"setup step {step} is not in these packs")
        facts = data["facts"]
        if not isinstance(facts, dict) or not all(
                isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
                for v in facts.values()):
            raise ValueError("facts should map names to text or lists of text")
        used = {sys.intern(str(key)): tuple(int(i) for i in value) for key, value in dict(data["used"]).items()}
        last = data.get("last")
        if last is not None and not (isinstance(last, dict) and isinstance(last.get("card"), str)):
            raise ValueError("'last' should name a card")
        held = data.get("held")
        if held is not None and not (isinstance(held, dict) and isinstance(held.get("card"), str)):
            raise ValueError("'held' should name a card")
        place = phases.Place(phase, step, bool(data["asked"]), int(data.get("unclear", 0)),
                             stage if phase == phases.GROWTH else None, int(data["stage_turns"]),
                             tuple(str(theme) for theme in data["stage_themes"]))
        return Session(self, seed=int(data["seed"]), place=place, turns=int(data["turns"]),
                       facts={str(k): (list(v) if isinstance(v, list) else v) for k, v in facts.items()},
                       used=used, last=(last["card"], bool(last.get("question"))) if last else None,
                       held=(held["card"], int(held["turns"])) if held else None,
                       recent=[sys.intern(str(line)) for line in data.get("recent", [])][-RECENT_LINES:])
