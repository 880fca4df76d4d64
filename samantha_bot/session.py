"""One conversation's small mutable state, and `reply()`: from what a person types to what she says."""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any, Callable, Collection, Mapping, Protocol, Sequence

from . import context, danger, gates, memory, phases, render, retrieval
from .answers import Outcome, StepReader, hear
from .index import Analysis, Index
from .matcher import AMBIGUITY, THRESHOLD, Candidate, Verdict, decide, evidence_gap, rank, slip_or
from .model import LISTENING_SLOTS, Card, Content, SetupStep
from .normalize import excerpt, normalize
from .reading import Reading, Told, read
from .reflect import listened



class Persona(Protocol):
    """What a session reads of the engine it talks through (engine.Engine is one): the packs,
    their index, and the setup, stages and gates they make."""

    content: Content
    index: Index
    urgency: danger.Urgency
    cards_by_id: Mapping[str, Card]
    fallbacks: tuple[Card, ...]
    last_resort: Card
    setup: tuple[SetupStep, ...]
    setup_facts: frozenset[str]
    readers: tuple[StepReader, ...]
    stage_order: Mapping[str, int]
    stage_ids: tuple[str, ...]

    def open_cards(self, phase: str, stage: str | None, known: frozenset[str]) -> frozenset[str]: ...

STATE_VERSION = 1
NAME_SLOTS = frozenset({"name", "pet", "person"})  # slots that hold a name: kept only when they read as one
THING_SLOTS = frozenset({"likes", "dislikes"})  # a thing liked, not a feeling about her ("I love your laugh")
MAX_THING_WORDS = 6
STORY_PARTS = 4  # a message of more sentences and clauses than this is a story
PLAINLY_ELSE = 55.0  # "is it ...?" that a card answers this well is about that, not about what she said
TOLD_THEME_SCORE = 85.0  # a message that tells a fact is answered by a theme it is this plainly about
ABOUT_HER = frozenset("you your yours yourself samantha u ur".split())
RUNNERS_UP = 4
RANKED = (1, 2, RUNNERS_UP + 1)  # how many cards a reply ranks, more only while its verdict is open
# Words that only lead up to what follows them ("fine.", "ok so", "well, hmm").
PREAMBLE = frozenset("ok okay fine well so hmm hm alright right yeah yes lol haha anyway listen look oh um uh sure cool "
                     "wait hey see".split())
RECENT_LINES = 12  # a line said among her last this many is not said again while another fits
FRESHER_WITHIN = 10.0  # a card of the same theme this close answers instead of one just heard in full


@dataclass(frozen=True)
class Reply:
    """What she said, and everything needed to explain why."""

    text: str
    theme: str
    card: str
    score: float
    phase: str
    stage: str | None
    via: str = "retrieval"  # rule | retrieval | context | slip | followup | fallback | setup | said
    candidates: tuple[Candidate, ...] = ()  # the runners-up, best first
    example: str = ""  # the example phrasing or pattern that matched
    refusals: tuple[tuple[Candidate, str], ...] = ()  # better-scored cards the decision did not let answer, and why
    notes: tuple[str, ...] = ()  # how a setup line was read: the choice, the name captured, a default
    # When only the answer was ranked (it was sure) or none (a fallback): the nearest cards, each
    # with why it could not answer when it scored better, worked out when /why asks, so that no
    # reply pays for them.
    nearest: Callable[[], list[tuple[Candidate, str | None]]] | None = field(default=None, compare=False, repr=False)

    @property
    def runners_up(self) -> tuple[Candidate, ...]:
        """The runners-up, best first: those ranked, or those nearest the line when only the answer was."""
        if self.candidates or self.nearest is None:
            return self.candidates
        return tuple(candidate for candidate, _ in self.nearest())[:RUNNERS_UP]

    @property
    def refused(self) -> tuple[tuple[Candidate, str], ...]:
        """The better-scored cards that were not let answer, and why: those the decision read, and
        when it read only the answer, those nearer the line that could not have answered it."""
        if self.nearest is None:
            return self.refusals
        known = {candidate.card.id for candidate, _ in self.refusals}
        return self.refusals + tuple((candidate, why) for candidate, why in self.nearest()
                                     if why is not None and candidate.card.id not in known)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "theme": self.theme, "card": self.card, "score": self.score,
                "phase": self.phase, "stage": self.stage}

    def explain(self) -> str:
        """Which card, theme, score and route, and what came second: for /why and authors."""
        lines = [f"card {self.card} (theme {self.theme}) via {self.via}, score {self.score:.1f}"]
        if self.example:
            lines.append(f"  matched: {self.example!r}")
        for candidate in self.runners_up:
            lines.append(f"  runner-up: {candidate.card.id} (theme {candidate.theme}) "
                         f"via {candidate.via}, score {candidate.score:.1f}"
                         + (f", nearest {candidate.example!r}" if candidate.example else ""))
        for candidate, why in self.refused:
            lines.append(f"  refused: {candidate.card.id} (theme {candidate.theme}), score {candidate.score:.1f}: {why}")
        lines += [f"  read: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass(slots=True, init=False)  # thousands live at once: no per-session __dict__
class Session:
    """Holds only this conversation's state; the Engine it talks through is shared and read-only."""

    engine: Persona
    seed: int
    place: phases.Place  # phase, setup step, stage and how far into it: only phases.advance() moves it
    turns: int
    facts: dict[str, Any]
    used: dict[str, tuple[int, ...]]  # pool key -> lines said, in order
    last: tuple[str, bool] | None  # the card that spoke last, and whether it asked
    recent: list[str]  # "pool#line" of her last lines, not said again soon
    held: tuple[str, int] | None  # a card the conversation stays with, and for how many more turns

    def __init__(self, engine: Persona, seed: int = 0, place: phases.Place | None = None, *, turns: int = 0,
                 facts: dict[str, Any] | None = None, used: dict[str, tuple[int, ...]] | None = None,
                 last: tuple[str, bool] | None = None, recent: list[str] | None = None,
                 held: tuple[str, int] | None = None) -> None:
        """A session at `place` (the start of setup when none is given)."""
        self.engine, self.seed, self.turns = engine, seed, turns
        self.place = place or phases.Place()
        self.facts = {} if facts is None else facts
        self.used = {} if used is None else used
        self.last, self.held = last, held
        self.recent = [] if recent is None else recent

    @property
    def phase(self) -> str:
        """The phase: setup or growth."""
        return self.place.phase

    @property
    def stage(self) -> str | None:
        """The growth stage; None during setup."""
        return self.place.stage

    @property
    def step(self) -> int:
        """The setup step being asked."""
        return self.place.step

    @property
    def unclear(self) -> int:
        """Unclear answers to the setup question being asked, so far."""
        return self.place.unclear

    @property
    def learned(self) -> int:
        """How many things she knows about the person, setup answers aside (advance rules count them)."""
        return sum(len(value) if isinstance(value, list) else 1
                   for fact, value in self.facts.items() if fact not in self.engine.setup_facts)

    def _move(self, event: phases.Event) -> None:
        """Move the place by one event; an illegal move raises and leaves it as it was."""
        self.place = phases.advance(self.place, event, self.engine.content.stages)

    # --- the public turn

    def reply(self, text: str) -> Reply:
        """Her answer to one line; never empty, never raises for any text."""
        typed = text if isinstance(text, str) else str(text)
        raw = excerpt(typed)
        normalized = normalize(raw)
        self.turns += 1
        urgent = self._urgent(raw, normalized, typed)
        if urgent is not None or self.held is not None:
            return self._stay(urgent, normalized)
        if self.phase == phases.SETUP:
            return self._setup_reply(raw, normalized)
        return self._growth_reply(raw, normalized)

    def opening(self) -> Reply:
        """What she says before the person types: on a fresh session the boot greeting and first
        question, mid-setup the question still waiting, in growth a greeting. Not a turn."""
        if self.phase == phases.SETUP:
            asked = self.place.asked
            note = "the question still waiting, asked again" if asked else "the first question"
            return self._ask(self.step, [], [note], again=asked)
        greeting = next((card for card in self.engine.content.cards
                         if card.theme == "greeting" and self.is_open(card)), None)
        if greeting is None:
            return self._said("", "greeting", self.engine.last_resort.id, 100.0, "said")
        key, lines = self._pool(greeting)
        return self._said(render.fill(self._pick(key, lines), self.facts), greeting.theme, greeting.id, 100.0, "said")

    def say(self, card_id: str) -> Reply | None:
        """A line of one card by id, outside matching (a welcome back, a goodbye); None when the
        packs lack the card or it is closed now. Not a turn: stages do not move."""
        card = self.engine.cards_by_id.get(card_id)
        if card is None or not self.is_open(card):
            return None
        key, lines = self._pool(card)
        text = render.fill(self._pick(key, lines), self.facts)
        return self._said(text, card.theme, card.id, 100.0, "said")

    # --- danger first

    def _urgent(self, raw: str, normalized: str, typed: str | None = None) -> Candidate | None:
        """The urgent card this line is about, if any (danger.urgent_card; `typed`: the whole message)."""
        if not self.engine.urgency.themes or not normalized:
            return None
        engine = self.engine
        return danger.urgent_card(engine.index, engine.urgency,
                                  engine.open_cards(self.phase, self.stage, frozenset(self.facts)), raw, normalized,
                                  typed)

    def _stay(self, urgent: Candidate | None, normalized: str) -> Reply:
        """Answer from an urgent card, or from the card the conversation is staying with: what
        the person says next continues it (its follow-ups) until its hold runs out."""
        if urgent is not None:
            card, via, score, kind = urgent.card, urgent.via, urgent.score, None
            self.held = (card.id, card.hold) if card.hold else None
        else:
            held_id, left = self.held or ("", 0)
            card = self.engine.cards_by_id.get(held_id) or self.engine.last_resort
            kind = context.followup_kind(normalized)
            via, score = "followup", 100.0
            self.held = (held_id, left - 1) if left > 1 else None
            if kind is None and context.reassures(normalized):
                kind = "yes"  # "I'm safe, I only meant...": she hears the answer, and still stays with it
            kind = kind or "more"
        key, lines = self._lines(card, kind)
        text = render.fill(self._pick(key, lines), self.facts)
        reply = self._said(text, card.theme, card.id, score, via, example=urgent.example if urgent else "")
        if self.phase == phases.GROWTH:
            self._move(phases.Turn(card.theme, self.learned))
        self.last = (card.id, text.rstrip().endswith("?"))
        return reply

    # --- setup

    def _setup_reply(self, raw: str, normalized: str) -> Reply:
        """Take what the line answers (the question asked, and any it answers ahead), then put
        the next question still open; a question about the step is answered and it is asked
        again; a decline or a second unclear answer leaves the default and moves on."""
        outcome, ahead = hear(self.engine.readers, self.step, raw, self.facts.keys())
        if not self.place.asked and outcome.kind in ("steer", "explain") and not ahead:
            return self._ask(self.step, [], ["nothing to read yet: she greets and asks first"])
        step = self.engine.setup[self.step]
        notes = [f"setup.{step.id}: {outcome.how}"] if outcome.how else []
        said = self._take_ahead(ahead, notes)  # her acknowledgements, in the order of the questions
        reading = self.read(raw)
        said += self._take_in_passing(reading, notes)
        # A free answer already heard for what it is ("she passed away") needs no more.
        heard = step.free and outcome.kind == "answer" and bool(step.replies.get(outcome.choice))
        care = [] if heard else self._care_in_passing(reading, notes)
        if outcome.kind == "steer":
            if outcome.counted:
                self._move(phases.Unclear())
            if self.unclear < phases.UNCLEAR_ANSWERS:
                if outcome.counted:
                    notes.append(f"unclear answer {self.unclear} of {phases.UNCLEAR_ANSWERS}: asked again")
                steer = self._pick(f"setup.{step.id}/steer", step.steer) if step.steer else ""
                return self._ask(self.step, [*care, *said, steer], notes, again=True)
            outcome = Outcome("skip")
            notes.append(f"a second unclear answer: {self._default_note(step)}, and on")
        elif outcome.kind == "skip":
            notes.append(self._default_note(step))
        if outcome.kind in ("explain", "none"):
            explained = self._pick(f"setup.{step.id}/explain", step.explain) if outcome.kind == "explain" else ""
            return self._ask(self.step, [*care, explained, *said], notes, again=True)
        value = step.default if outcome.kind == "skip" else outcome.value
        if step.remember and value is not None:
            self.facts[step.remember] = value
        if care:  # a loss or a hurt heard in passing comes first, instead of a cheerful "good to know"
            said[:0] = care
        elif outcome.kind == "skip" and step.skipped:
            said.insert(0, self._pick(f"setup.{step.id}/skipped", step.skipped))
        else:
            said.insert(0, self._pick_reply(step, step.default or "" if outcome.kind == "skip" else outcome.choice))
        return self._ask(self._next_step(), said, notes, score=outcome.score)

    def _take_ahead(self, ahead: dict[int, Outcome], notes: list[str]) -> list[str]:
        """Keep the answers a line gave to other questions; her acknowledgements of them, in order."""
        steps, said = self.engine.setup, []
        for at, found in sorted(ahead.items()):
            self.facts[steps[at].remember or ""] = found.value
            notes.append(f"setup.{steps[at].id}: {found.how}")
            said.append(self._pick_reply(steps[at], found.choice))
        return said

    def _keep(self, told: Told) -> list[str]:
        """Keep what a card remembers of a part told, and the facts it sets; the facts changed."""
        changed = memory.store(self.facts, told.card.remember, told.slots)
        self.facts.update(told.card.set_facts)
        return changed

    def _take_in_passing(self, reading: Reading, notes: list[str]) -> list[str]:
        """Keep what a setup answer tells in passing ("mostly i keep to myself, me and my dog
        pepper"): a pet, the people, work, home, likes, as growth keeps them; what the setup
        questions ask is theirs to read. Her acknowledgements of it."""
        said = []
        for told in reading.told:
            asked = not self.engine.setup_facts.isdisjoint(told.card.remember)  # the questions' own to read
            if not asked and self._keep(told):
                notes.append(f"{told.card.id}: kept {told.part!r}")
                said.append(self._ack(told))
        return said

    def _care_in_passing(self, reading: Reading, notes: list[str]) -> list[str]:
        """A loss told in passing while answering a setup question ("not so much since my
        husband died"), or a line said to hurt ("you belong to me now"), is heard: the `ack` of a
        card that answers one of its sentences (of the cards she will have once setup ends; a
        card that keeps facts aside), before all else she says. At most one."""
        open_now = self.engine.open_cards(phases.GROWTH, self.engine.stage_ids[0], frozenset(self.facts))
        for part in reading.rest:
            chosen = self._judge([part], open_now, leaning=False)[0].chosen
            if chosen is not None and chosen.card.ack and not chosen.card.remember:
                notes.append(f"{chosen.card.id}: heard in passing ({chosen.score:.0f}): {part!r}")
                values = {**self.facts, **chosen.slots}
                return [render.fill_sentence(self._pick(f"{chosen.card.id}/ack", chosen.card.ack, values), values)]
        return []

    @staticmethod
    def _default_note(step: SetupStep) -> str:
        return f"the default {step.default!r} kept" if step.default is not None else "left unknown"

    def _pick_reply(self, step: SetupStep, choice: str) -> str:
        """Her acknowledgement of an answer: its choice's replies, else the step's common ones."""
        replies = step.replies.get(choice) or step.replies.get("", ())
        return self._pick(f"setup.{step.id}/{choice}", replies) if replies else ""

    def _next_step(self) -> int:
        """The next step whose answer she does not know yet (answers given ahead are skipped)."""
        steps = self.engine.setup
        return next((at for at in range(self.step + 1, len(steps))
                     if steps[at].ends_setup or steps[at].remember not in self.facts), len(steps) - 1)

    def _ask(self, position: int, said: Sequence[str], notes: Sequence[str],
             again: bool = False, score: float = 100.0) -> Reply:
        """Put setup step `position`'s question after what she said first; asked `again`, in its
        plain form. The last step ends setup."""
        step = self.engine.setup[position]
        self._move(phases.Asked(position))
        question = self._pick(f"setup.{step.id}/again", step.again) if again and step.again \
            else self._pick(f"setup.{step.id}", step.ask)
        text = render.fill(" ".join(part for part in [*said, question] if part), self.facts)
        if step.ends_setup or position + 1 >= len(self.engine.setup):
            self._move(phases.SetupDone())
        return self._said(text, step.theme, f"setup.{step.id}", score, "setup", notes=tuple(notes))

    # --- growth

    def _growth_reply(self, raw: str, normalized: str) -> Reply:
        """Read the message part by part: keep what it tells, answer what it asks (or says),
        and put the author's short acknowledgement of what was told before the answer."""
        engine = self.engine
        open_now = engine.open_cards(self.phase, self.stage, frozenset(self.facts))
        followup = self.followup_to(normalized)
        reading = Reading() if followup else self.read(raw)
        for told in reading.told:
            self._keep(told)
        target = reading.target()
        ranked: list[Candidate] = []
        refused: tuple[tuple[Candidate, str], ...] = ()
        asked, judged = normalized, False
        kind = followup[1] if followup else None
        ack = ""
        if followup:
            chosen = Candidate(followup[0], 100.0, "followup")
        elif reading.told and not target and not self._about_a_theme(raw, reading.told[-1], open_now):
            last = reading.told[-1]  # it only told her something: the card that keeps it answers
            chosen = Candidate(last.card, 100.0, "rule", last.slots)
        else:
            ack = self._ack(reading.told[-1]) if reading.told else ""
            verdict, ranked, asked = self._judge(self.targets(raw, reading), open_now)
            refused, judged = verdict.refused, True
            # A line that is an example but for a slip of typing is that example's card's, unless a card is nearer.
            answer = slip_or(self.engine.index, asked, verdict.chosen, self._may_answer(open_now))
            if answer is not None:
                chosen = answer
            else:
                # Their words as typed, connectives kept, unless something told was kept apart.
                heard = listened(target if reading.told or reading.question else raw)
                chosen = Candidate(self._fallback_card(asked, heard), ranked[0].score if ranked else 0.0,
                                   "fallback", heard)
        if chosen.via in ("retrieval", "context", "rule") and self._worn(chosen.card, kind):
            # Everything this card would say was just said: another card of the theme that fits, if any.
            if len(ranked) <= 1:
                ranked, _ = self._ranked(asked, self.engine.index.analyse(asked), open_now, self.recent_theme(),
                                         RUNNERS_UP + 1, [chosen.theme])
            chosen = next((other for other in ranked if other.theme == chosen.theme and other.card is not chosen.card
                           and other.score >= max(THRESHOLD, chosen.score - FRESHER_WITHIN)
                           and not self._worn(other.card, kind)), chosen)
        card = chosen.card
        key, lines = self._lines(card, kind)
        values = {**self.facts, **memory.recall_slots(self.facts, normalized), **chosen.slots}
        # A fallback's line is drawn by what was said too: fresh sessions do not all answer alike.
        text = render.fill_sentence(self._pick(key, lines, values, normalized if card.is_fallback else ""), values)
        text = f"{ack} {text}" if ack else text
        runners_up = tuple(c for c in ranked if c.card.id != card.id)[:RUNNERS_UP]
        reply = self._said(text, card.theme, card.id, chosen.score, chosen.via, runners_up, chosen.example, refused)
        if judged and len(ranked) <= 1:
            reply = replace(reply, nearest=cache(partial(self._nearest, asked, open_now, card.id, chosen.score)))
        self._move(phases.Turn(card.theme, self.learned))
        self.last = (card.id, text.rstrip().endswith("?"))
        return reply

    @staticmethod
    def targets(raw: str, reading: Reading) -> list[str]:
        """What she may answer: the question (or the rest) beside what was told; without anything
        told, the whole message or its last question (or what follows a preamble), whichever a
        card is surer of. A long story that asks something is answered for what it asks."""
        if reading.told:
            return [reading.target() or raw]
        if reading.question and len(reading.rest) > STORY_PARTS:
            return [reading.question]
        # Without a question, what comes after a word or two of preamble ("fine. tell me about
        # yourself"), and only that: "see, you can't even do that" is not "see you".
        after = reading.rest[-1] if len(reading.rest) > 1 and all(
            PREAMBLE.issuperset(normalize(part).split()) for part in reading.rest[:-1]) else raw
        return list(dict.fromkeys([after, reading.question or after]))

    def read(self, raw: str) -> Reading:
        """The message as she reads it: the parts that tell her something, and the rest."""
        open_now = self.engine.open_cards(self.phase, self.stage, frozenset(self.facts))
        return read(raw, self.engine.index, lambda card: card.id in open_now, self._fact_slots)

    def _judge(self, targets: Sequence[str], open_now: frozenset[str],
               leaning: bool = True) -> tuple[Verdict, list[Candidate], str]:
        """Of the texts she could answer, the one a card answers surest: its verdict, its ranked
        candidates (the answer and the runners-up /why shows) and its normalised text."""
        index = self.engine.index
        best: tuple[Verdict, list[Candidate], str] | None = None
        for text in targets:
            normalized = context.without_laughter(normalize(text))
            analysis = index.analyse(normalized)
            recent = self.recent_theme() if leaning else None
            # As few cards as decide() reads: the first alone when it answers surely, the first
            # two when the second settles it (a rival, or far enough below), else five; once the
            # first answers, only those near enough to it to make it a guess.
            scored, floor = retrieval.Scored(), THRESHOLD  # each ranking of the line goes on from the last
            for limit in RANKED:
                ranked, every = self._ranked(normalized, analysis, open_now, recent, limit, scored=scored, floor=floor)
                verdict = decide(index, analysis, ranked)
                if verdict.settled or every:
                    break
                if ranked and verdict.chosen is ranked[0]:
                    floor = max(floor, ranked[0].score - AMBIGUITY)
            if best is None or verdict.chosen is not None and (
                    best[0].chosen is None or verdict.chosen.score > best[0].chosen.score):
                best = (verdict, ranked, normalized)
        return best or (Verdict(None), [], "")

    def _ranked(self, normalized: str, analysis: Analysis, open_now: frozenset[str], recent: str | None,
                limit: int, themes: Collection[str] | None = None,
                scored: retrieval.Scored | None = None, floor: float = THRESHOLD) -> tuple[list[Candidate], bool]:
        """The best `limit` cards that could answer a line: at `floor` (the threshold) or over, and on its
        topic (decide() would refuse every other; /why works the rest out when asked); and
        whether they are all there are."""
        ranked = rank(self.engine.index, normalized, self._may_answer(open_now), recent, limit=limit,
                      analysis=analysis, themes=self._calm() if themes is None else themes, floor=floor,
                      on_topic=True, scored=scored)
        # A recall rule naming someone ({who}) answers only about someone she was told of.
        return [candidate for candidate in ranked
                if "who" not in candidate.slots or memory.knows(self.facts, candidate.slots["who"])], len(ranked) < limit

    def _may_answer(self, open_now: frozenset[str]) -> Callable[[Card], bool]:
        return lambda card: card.id in open_now and not card.urgent and not card.remember

    def _calm(self) -> frozenset[str] | None:
        return self.engine.urgency.calm if self.engine.urgency.themes else None

    def _nearest(self, normalized: str, open_now: frozenset[str], card_id: str,
                 score: float) -> list[tuple[Candidate, str | None]]:
        """The cards nearest a line, under the threshold and off its topic too, other than the
        one that answered; for those that scored better, why they could not answer. What /why
        shows when only the answer was ranked."""
        index = self.engine.index
        analysis = index.analyse(normalized)
        ranked = rank(index, normalized, self._may_answer(open_now), limit=RUNNERS_UP + 1, analysis=analysis,
                      themes=self._calm())
        return [(candidate, evidence_gap(index, analysis, candidate) if candidate.score > score
                 and candidate.score >= THRESHOLD and candidate.via != "rule" else None)
                for candidate in ranked if candidate.card.id != card_id]

    def _about_a_theme(self, raw: str, told: Told, open_now: frozenset[str]) -> bool:
        """Whether a message that tells a fact is plainly about another of her themes too ("my
        friend Amy has an OS too"): then that card answers, after the acknowledgement."""
        chosen = self._judge([raw], open_now, leaning=False)[0].chosen
        return chosen is not None and chosen.score >= TOLD_THEME_SCORE and chosen.theme != told.card.theme

    def _fact_slots(self, told: Candidate, part: str) -> dict[str, str] | None:
        """A card's captured values as the person typed them, or None when they are not what the
        card keeps: a name must read as a name ("I'm tired" gives none). After "my name is" or
        "call me" any word that is not plainly talk is a name; after "I'm", only one no pack uses."""
        tidied = {}
        plainly_named = memory.gives_name(told.example)
        vocabulary = memory.KnownWords(self.engine.index)
        for slot, value in told.slots.items():
            if slot in NAME_SLOTS:
                name = memory.clean_name(value, part, vocabulary, plainly_named,
                                         memory.PET_NAMES if slot == "pet" else frozenset())
                if name is None:
                    return None
                tidied[slot] = name
            elif slot in THING_SLOTS and (ABOUT_HER & set(value.split()) or len(value.split()) > MAX_THING_WORDS):
                return None
            else:
                tidied[slot] = memory.trim(slot, memory.as_spoken(value, part))
                if not tidied[slot]:
                    return None
        return tidied

    def _ack(self, told: Told) -> str:
        """The author's short acknowledgement of something told, said before the answer."""
        if not told.card.ack:
            return ""
        values = {**self.facts, **told.slots}
        return render.fill_sentence(self._pick(f"{told.card.id}/ack", told.card.ack, values), values)

    def followup_to(self, normalized: str) -> tuple[Card, str] | None:
        """The card that spoke last and the follow-up kind, when this input continues that card."""
        kind = context.followup_kind(normalized)
        if kind is None and self.last is not None and context.refers_back(normalized):
            # "does it make you sad?" asks about what she said, unless it is plainly about something else.
            open_now = self.engine.open_cards(self.phase, self.stage, frozenset(self.facts))
            other = self._judge([normalized], open_now, leaning=False)[0].chosen
            kind = "more" if other is None or other.score < PLAINLY_ELSE or other.card.id == self.last[0] else None
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
        # Not after a card that only kept a fact: what comes next is rarely about keeping facts.
        return recent.theme if recent and not recent.is_fallback and not recent.remember else None

    def is_open(self, card: Card) -> bool:
        """Whether a card may answer now: its conditions hold and it has lines for this stage."""
        return card.id in self.engine.open_cards(self.phase, self.stage, frozenset(self.facts))

    def _pool(self, card: Card) -> tuple[str, tuple[str, ...]]:
        return gates.pool(self.engine.stage_order, card, self.stage)

    def _fallback_card(self, normalized: str, heard: dict[str, str]) -> Card:
        """An open fallback card, one that can say the person's words back when there are any;
        drawn by the line too, so fresh sessions do not all fall back the same way."""
        cards = [card for card in self.engine.fallbacks if self.is_open(card)] or [self.engine.last_resort]
        listening = [card for card in cards if any(heard.keys() & render.required_slots(line)
                                                   for line in self._pool(card)[1])]
        cards = listening or [card for card in cards if not any(
            render.required_slots(line) & LISTENING_SLOTS for line in self._pool(card)[1])] or cards
        cards = [card for card in cards if not self._worn(card, None)] or cards  # not what was just said
        return cards[self._draw(f"fallback:{normalized}", len(cards))]

    # --- lines

    def _draw(self, key: str, count: int) -> int:
        """A number below `count`, fixed by the seed, the turn and the pool: reproducible, and no
        generator state needs saving, so to_dict() stays small and restores exactly."""
        digest = hashlib.blake2b(f"{self.seed}:{self.turns}:{key}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % count

    def _lines(self, card: Card, kind: str | None) -> tuple[str, tuple[str, ...]]:
        """The pool a card speaks from: its lines for a follow-up kind, until they are all said
        and other lines of the card are not; else its lines for the stage."""
        key, lines = self._pool(card)
        if kind is not None and kind in card.followups and (
                self._unsaid(f"{card.id}/{kind}", card.followups[kind]) or not self._unsaid(key, lines)):
            return f"{card.id}/{kind}", card.followups[kind]
        # Its lines for the stage all said just now: an earlier stage's, rather than one again.
        return next(((key, lines) for key, lines in gates.pools(self.engine.stage_order, card, self.stage)
                     if not self._all_recent(key, lines)), (key, lines))

    def _unsaid(self, key: str, lines: Sequence[str]) -> bool:
        """Whether a pool has a line not said yet."""
        return len(set(self.used.get(key, ()))) < len(lines)

    def _pick(self, key: str, lines: Sequence[str], values: dict[str, Any] | None = None, salt: str = "") -> str:
        """A line not used yet in this pool, among those that use the most known slots."""
        values = self.facts if values is None else values
        needs = [render.required_slots(line) for line in lines]
        known = [i for i, slots in enumerate(needs) if slots <= values.keys()]
        # Lines that use the most known facts first: "You're {name}" over "Tell me your name".
        most = max((len(needs[i]) for i in known), default=0)
        indices = [i for i in known if len(needs[i]) == most] or list(range(len(lines)))
        used = last = self.used.get(key, ())
        fresh = [i for i in indices if i not in used]
        if not fresh:  # all said: start over
            used, fresh = (), indices
        # Not a line said in the last few turns, and never the one just said, while another is left.
        fresh = [i for i in fresh if f"{key}#{i}" not in self.recent] \
            or [i for i in fresh if not last or i != last[-1]] or fresh
        choice = fresh[self._draw(f"{key}:{salt}" if salt else key, len(fresh))]
        self.used[sys.intern(key)] = used + (choice,)  # one copy of each key, however many sessions
        self.recent = [*self.recent, sys.intern(f"{key}#{choice}")][-RECENT_LINES:]
        return lines[choice]

    def _worn(self, card: Card, kind: str | None) -> bool:
        """Whether every line a card would speak now was said in the last few turns."""
        return self._all_recent(*self._lines(card, kind))

    def _all_recent(self, key: str, lines: Sequence[str]) -> bool:
        return all(f"{key}#{i}" in self.recent for i in range(len(lines)))

    def _said(self, text: str, theme: str, card: str, score: float, via: str,
              candidates: tuple[Candidate, ...] = (), example: str = "",
              refused: tuple[tuple[Candidate, str], ...] = (), notes: tuple[str, ...] = ()) -> Reply:
        text = text.strip() or self.engine.last_resort.lines[0]  # a line whose slots were all empty
        return Reply(text, theme, card, round(min(max(score, 0.0), 100.0), 2), self.phase, self.stage,
                     via, candidates, example, refused, notes)

    # --- persistence

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe state; Engine.restore() rebuilds an identical session from it."""
        place = self.place
        return {"version": STATE_VERSION, "seed": self.seed, "phase": place.phase, "stage": place.stage,
                "step": place.step, "asked": place.asked, "unclear": place.unclear, "turns": self.turns,
                "stage_turns": place.stage_turns, "stage_themes": list(place.stage_themes),
                "facts": {k: (list(v) if isinstance(v, list) else v) for k, v in self.facts.items()},
                "used": {k: list(v) for k, v in self.used.items()},
                "last": {"card": self.last[0], "question": self.last[1]} if self.last else None,
                "recent": list(self.recent),
                "held": {"card": self.held[0], "turns": self.held[1]} if self.held else None}
