"""One person's chat: the session, what was said (for /record and /undo), and saving after each turn."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from .engine import Engine, StateError, keep_for_good
from .errors import ContentError
from .session import Reply, Session
from .storage import BadState, StateFile

# How long away counts as minutes, hours or days, for the welcome back: the occasion (schema.OCCASIONS)
# whose card is said; the packs say which card that is (`occasion:` on it).
AWAY = ((60 * 60, "away_minutes"), (20 * 60 * 60, "away_hours"), (float("inf"), "away_days"))
UNDO_DEPTH = 50  # /undo takes back this many turns at most: an evening's chat does not grow without end
QUIET_GAP = 5 * 60  # back within five minutes: no welcome, just carry on
GOODBYE = "goodbye"  # the occasion of her last line, when the person leaves


def said_on(engine: Engine, occasion: str) -> str:
    """The id of the card the packs say on an occasion; '' when none is given it."""
    card = engine.occasions.get(occasion)
    return card.id if card is not None else ""


@dataclass
class Chat:
    """Everything the REPL and its slash commands act on; no terminal I/O of its own."""

    engine: Engine
    session: Session
    packs: list[str]
    seed: int = 0
    state: StateFile | None = None
    turns: list[tuple[str, Reply]] = field(default_factory=list)
    snapshots: list[dict] = field(default_factory=list)  # the session before each turn
    started: dict = field(default_factory=dict)  # where this conversation began, for /record
    load: Callable[[list[str]], Engine] = Engine.load  # how packs are loaded, and reloaded

    @classmethod
    def open(cls, packs: list[str], seed: int, state: StateFile | None, notice: Callable[[str], None],
             load: Callable[[list[str]], Engine] = Engine.load) -> tuple[Chat, float | None]:
        """Load the packs (through `load`) and resume the saved session when there is one.

        Returns the chat and how many seconds ago it was saved (None for a fresh start); a bad
        state file is moved aside, reported through `notice`, and she starts fresh.
        """
        engine = load(packs)
        saved = None
        if state is not None:
            try:
                saved = state.load()
                if saved is not None:
                    session = engine.restore(saved.session)
            except (BadState, StateError) as error:
                kept = state.move_aside()
                notice(f"samantha: the saved state {error}; kept it as {kept} and started fresh")
                saved = None
        if saved is None:
            session = engine.new_session(seed=seed)
        chat = cls(engine, session, packs, seed, state, load=load)
        chat.started = session.to_dict()
        return chat, (time.time() - saved.saved_at if saved else None)

    def welcome_back(self, away: float | None) -> Reply | None:
        """A greeting that fits the time away, when the packs have one for this stage."""
        if away is None or away < QUIET_GAP:
            return None
        occasion = next(occasion for limit, occasion in AWAY if away < limit)
        return self.session.say(said_on(self.engine, occasion))

    def opening(self, away: float | None) -> Reply | None:
        """What she says before the first prompt: the welcome back after time away, her opening
        (the boot greeting, the question waiting) otherwise; None when the person is just back
        in growth and the conversation simply carries on."""
        if self.session.phase == "growth" and away is not None:
            return self.welcome_back(away)
        reply = self.session.opening()
        self.started = self.session.to_dict()
        self.save()
        return reply

    def reply(self, text: str) -> Reply:
        self.snapshots = [*self.snapshots[-(UNDO_DEPTH - 1):], self.session.to_dict()]
        reply = self.session.reply(text)
        self.turns.append((text, reply))
        self.save()
        return reply

    def goodbye(self) -> str:
        reply = self.session.say(said_on(self.engine, GOODBYE))
        self.save()
        return reply.text if reply else ""  # packs without a goodbye: she says nothing more

    def undo(self) -> bool:
        """Take back the last turn, state included."""
        if not self.snapshots:
            return False
        self.session = self.engine.restore(self.snapshots.pop())
        self.turns.pop()
        self.save()
        return True

    def reset(self) -> None:
        self.session = self.engine.new_session(seed=self.seed)
        self.turns, self.snapshots = [], []
        self.started = self.session.to_dict()
        self.save()

    def reload(self) -> str:
        """Re-read the packs; on any error keep the old dialogues and say why."""
        try:
            engine = self.load(self.packs)
            session = engine.restore(self.session.to_dict())
        except ContentError as error:
            return error.render() + "\n(kept the dialogues that were loaded)"
        except StateError as error:
            return f"the new dialogues do not fit this conversation ({error}); kept the old ones"
        self.engine, self.session = engine, session
        self.snapshots = []
        engine.warm()
        keep_for_good()  # the new engine, as the first was
        return f"reloaded {len(engine.content.cards)} cards from {', '.join(self.packs)}"

    def save(self) -> None:
        if self.state is not None:
            self.state.save(self.session.to_dict(), self.packs)
