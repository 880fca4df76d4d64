"""Reading a setup line: the answer to the question just asked, and any question it answers ahead.

A line is read part by part ("Hi, I'm Maya, pretty antisocial, female voice please"): each part
that plainly answers a question (a choice it is close to, a pattern with words of its own such as
"i am {name}") is taken for that question; what is left is read as the answer to the question
asked, where a bare word may be a name and any statement may be a free answer.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Collection, Mapping, Sequence

from rapidfuzz import fuzz, process

from .context import followup_kind
from .index import Index
from .matcher import retrieve
from .memory import FIRST_PERSON, as_spoken, clean_name, gives_name, not_a_name, talk_sound, without_talk_before
from .model import Card, SetupStep
from .normalize import STOPWORDS, clean, is_question, normalize, stem
from .patterns import Pattern, compile_all
from .reading import parts

CHOICE_THRESHOLD = 30.0  # a choice scoring less than this is not what they answered
SURE_CHOICE = 50.0  # a part of a line plainly answers a question when it is this close to a choice,
SURE_MARGIN = 15.0  # and this much closer than to any other
NAMED_CHOICE = 80.0  # the score of a choice the line names outright ("female, please")
FREE_CHOICE = 45.0  # a free answer picks a choice's replies only this close to it (and SURE_MARGIN clear)
SHORT_WHY = 6  # "why do you want to know?" asks about the question; a longer why may be a tangent
NEGATIONS = frozenset({"not", "no", "never", "nor", "neither"})
SKIP_MATCH = 85.0  # how close a line must be to one of a step's ways of declining,
DECLINE_EXTRA_WORDS = 3  # or how many words it may have besides one it holds whole
FREE_MAX_CHARS = 200  # a free answer is kept in their words, this long at most
QUESTION_WORDS = frozenset("what why who where when how which can could do does did is are "
                           "will would should may".split())


@dataclass(frozen=True)
class Outcome:
    kind: str  # "answer" | "skip" | "explain" (a question about the step) | "steer" | "none"
    value: str = ""
    choice: str = ""  # which `replies` apply ("" = the common ones)
    score: float = 0.0
    how: str = ""  # how the line was read, for /why
    counted: bool = True  # a steer that counts as an unclear answer


class StepReader:
    """Built once per setup step: its patterns compiled and its choices indexed."""

    def __init__(self, step: SetupStep, concepts: Mapping[str, tuple[str, ...]],
                 vocabulary: Collection[str] = frozenset(), answers: Collection[str] = frozenset()):
        self.step = step
        self.vocabulary = vocabulary  # words the packs use: "I'm tired" gives no name, unasked
        self.answers = answers  # words that answer setup questions: "I'm social" gives none, even asked
        # For a name, the patterns that plainly give one come first: "call me Owen" over "this is strange".
        self.patterns = sorted(compile_all(list(step.patterns), concepts),
                               key=lambda p: (step.remember == "name" and not naming(p), p.sort_key))
        self.choices = Index([Card(id=value, theme=value, location=step.location, examples=examples,
                                   lines=(value,)) for value, examples in step.choices.items()],
                             concepts) if step.choices else None
        self.skip = [normalize(text) for text in step.skip]
        self.topic = frozenset(stem(word) for text in step.topic for word in normalize(text).split())

    def read(self, raw: str, normalized: str) -> Outcome:
        """The line as the answer to this step's question, asked just now."""
        if not normalized:
            return Outcome("steer", how="an empty line is no answer")
        declined = self.declined(normalized)
        if declined is not None:
            return declined
        if self.step.explain and self.about_the_step(raw, normalized):
            return Outcome("explain", score=100.0, how="a question about this question: answered, then asked again")
        # A free answer is kept as said; a choice near it only picks her reply ("she passed away").
        chosen = self._choice(normalized, FREE_CHOICE, SURE_MARGIN) if self.step.free else \
            self._choice(normalized, CHOICE_THRESHOLD)
        if chosen is not None:
            return replace(chosen, value=clean(raw).strip()[:FREE_MAX_CHARS]) if self.step.free else chosen
        captured = self._captured(raw, normalized, self.patterns, is_question(raw, normalized), asked=True)
        if captured is not None:
            return captured
        if self.step.free and not is_question(raw, normalized) and normalized not in NO_ANSWER \
                and normalized.split(" ", 1)[0] not in ABOUT_HER:  # "you are the worst" is about her
            return Outcome("answer", clean(raw).strip()[:FREE_MAX_CHARS], score=100.0,
                           how="kept as said: any statement answers this question")
        if normalized in GREETINGS:  # "hi" back to her hello: not yet an unclear answer
            return Outcome("steer", how="a greeting: the question asked again, not counted as unclear", counted=False)
        return Outcome("steer", how="not an answer to this question")

    def declined(self, normalized: str) -> Outcome | None:
        """A skip when the line is one of the step's ways of declining ("pass", "I'd rather not
        say"), or holds one whole with a few words around it ("I'll pass", "pass, for now")."""
        if not self.skip:
            return None
        found = process.extractOne(normalized, self.skip, scorer=fuzz.ratio, score_cutoff=SKIP_MATCH)
        padded = f" {normalized} "
        at = found[2] if found else next(
            (n for n, way in enumerate(self.skip) if way and f" {way} " in padded
             and len(normalized.split()) - len(way.split()) <= DECLINE_EXTRA_WORDS), None)
        return None if at is None else Outcome("skip", score=100.0, how=f"declined: {self.step.skip[at]!r}")

    def read_sure(self, raw: str, asked: bool = False, literal_only: bool = False) -> Outcome | None:
        """A plain answer in one part of a line: a choice it is close to that uses a word of the
        step's topic, or a pattern with words of its own ("call me {name}"); None when it is not
        plainly one."""
        normalized = normalize(raw)
        if not normalized:
            return None
        on_topic = bool(self.topic & {stem(word) for word in normalized.split()})
        if not literal_only and on_topic and (chosen := self._choice(normalized, SURE_CHOICE, SURE_MARGIN)):
            return replace(chosen, value=clean(raw).strip()[:FREE_MAX_CHARS]) if self.step.free else chosen
        literal = [pattern for pattern in self.patterns if pattern.literal_words]
        return self._captured(raw, normalized, literal, is_question(raw, normalized), asked)

    def _choice(self, normalized: str, threshold: float, margin: float = 0.0) -> Outcome | None:
        if self.choices is None:
            return None
        named = self._named_choice(normalized)
        if named is not None:
            return named
        ranked = retrieve(self.choices, normalized, lambda card: True, limit=2)
        if not ranked or ranked[0].score < threshold or len(ranked) > 1 and ranked[0].score - ranked[1].score < margin:
            return None
        best = ranked[0]
        return Outcome("answer", best.card.id, best.card.id, best.score,
                       how=f"choice {best.card.id!r}, nearest {best.example!r}, score {best.score:.0f}")

    def _captured(self, raw: str, normalized: str, patterns: Sequence[Pattern], asking: bool,
                  asked: bool = False) -> Outcome | None:
        """The value the first fitting pattern captures, as the person typed it. Asked for a
        name, "im sam" gives one though the packs use the word; unasked, it takes a capital."""
        unpadded = without_talk_before(normalized)  # "oh and btw i am Lena"
        for pattern in patterns:
            slots = pattern.match(normalized)
            slots = pattern.match(unpadded) if slots is None and unpadded != normalized else slots
            if slots is None or (asking and not pattern.literal_words):
                continue
            value = slots.get(self.step.remember or "", "")
            if not value and self.step.free and pattern.literal_words:
                value = clean(raw).strip()  # a pattern that only says what it is about: the part is the answer
            is_name = self.step.remember == "name"
            if not value or not is_name and len(value.split()) > self.step.max_words or (
                    not pattern.literal_words and self._is_just_talk(value, raw)):
                continue
            how = f"captured by pattern {pattern.source!r}"
            if is_name:  # a name is a name: "Marcus", not "Marcus here"
                plainly = naming(pattern)
                name = clean_name(value, raw, self.answers if asked else self.vocabulary, plainly)
                if name is not None and len(name.split()) <= self.step.max_words:
                    return Outcome("answer", name, score=100.0 if plainly else 90.0,
                                   how=f"the name {name!r}, {how}")
                continue
            return Outcome("answer", as_spoken(value, raw)[:FREE_MAX_CHARS], score=100.0, how=how)
        return None

    def _named_choice(self, normalized: str) -> Outcome | None:
        """The choice a line names outright, with no "not" to turn it round: "antisocial these days"."""
        words = set(normalized.replace("anti social", "antisocial").split())
        named = [value for value in self.step.choices if value in words]
        if len(named) != 1 or words & NEGATIONS:
            return None
        return Outcome("answer", named[0], named[0], NAMED_CHOICE, how=f"choice {named[0]!r}, named outright")

    def about_the_step(self, raw: str, normalized: str) -> bool:
        """A question about what she asked: "what do you mean?", "what voices do you have?"."""
        words = normalized.split()
        if words and words[0] in QUESTION_WORDS and self.topic & {stem(word) for word in words}:
            return True
        if words[:1] == ["why"] and len(words) <= SHORT_WHY:
            return True  # "why do you ask?"
        # "why?" and "(hm,) what do you mean?" ask about it too; "both, really" answers it.
        return followup_kind(without_talk_before(normalized)) in ("why", "more") and self._named_choice(normalized) is None

    def _is_just_talk(self, value: str, raw: str) -> bool:
        """A bare answer that is talk, not a name: "hello", "wow", "i do not know"."""
        words = value.split()
        if len(words) == 1:
            return not_a_name(words[0])
        return all(word in self.vocabulary or word in STOPWORDS or talk_sound(word) for word in words) \
            and not any(word[:1].isupper() and not FIRST_PERSON.fullmatch(word.strip(".,!?")) for word in clean(raw).split())


def naming(pattern: Pattern) -> bool:
    """Whether a pattern plainly gives a name ("call me {name}"), not only maybe ("i am {name}")."""
    return gives_name(pattern.source)


def hear(readers: Sequence[StepReader], position: int, raw: str,
         known: Collection[str] = frozenset()) -> tuple[Outcome, dict[int, Outcome]]:
    """What one setup line says: its reading as the answer to step `position`, and the plain
    answers it gives to other steps (by position): later ones answered ahead, an earlier one
    corrected ("I just told you, Theodore") by a pattern with words of its own, and an earlier
    one left open (its fact not `known`) answered late, when the line answers nothing else."""
    asked, normalized = readers[position], normalize(raw)
    declined = asked.declined(normalized)
    if declined is not None:
        return declined, {}
    if asked.step.explain and asked.about_the_step(raw, normalized):
        return asked.read(raw, normalized), {}
    pieces = parts(raw) or [raw]
    found, claimed = _plain_answers(readers, position, raw, pieces)
    current = found.pop(position, None)
    if current is not None and asked.step.free and not found:  # "my mom and I are close": all of it
        current = replace(current, value=clean(raw).strip()[:FREE_MAX_CHARS])
    if current is not None:
        return current, found
    current = _read_rest(asked, raw, [piece for n, piece in enumerate(pieces) if n not in claimed], bool(claimed))
    if current.kind == "steer" and not found:
        found.update(_answered_late(readers[:position], raw, known))
    if current.kind == "steer" and found:
        current = Outcome("none")  # it answered other questions: not an unclear answer to this one
    return current, found


def _plain_answers(readers: Sequence[StepReader], position: int, raw: str,
                   pieces: list[str]) -> tuple[dict[int, Outcome], set[int]]:
    """The steps the parts of a line plainly answer, the asked one first, then later ones, then
    earlier ones (by patterns with words of their own); and which parts were taken."""
    claimed: set[int] = set()
    found: dict[int, Outcome] = {}
    for at in [position, *range(position + 1, len(readers)), *range(position)]:
        reader = readers[at]
        if not reader.step.remember:
            continue
        readings = [(outcome.score, -number, number, outcome) for number, piece in enumerate(pieces)
                    if number not in claimed
                    and (outcome := reader.read_sure(piece, at == position, at < position)) is not None]
        if readings:  # the plainest of the parts that answer it: "call me Owen" over "this is strange"
            *_, number, found[at] = max(readings)
            claimed.add(number)
        elif len(pieces) > 1 and not claimed and (outcome := reader.read_sure(raw, literal_only=True)):
            found[at] = outcome  # "i just told you, Theodore": a pattern over the whole line
            claimed.update(range(len(pieces)))
    return found, claimed


def _read_rest(asked: StepReader, raw: str, left: list[str], some_taken: bool) -> Outcome:
    """What the line has left, read as the answer to the question asked: the whole of it, or
    else a part of it alone ("nice, Jo")."""
    rest = " ".join(left) if some_taken else raw
    if not rest.strip():
        return Outcome("none")
    current = asked.read(rest, normalize(rest))
    if current.kind == "steer" and len(left) > 1:
        current = next((outcome for piece in left
                        if (outcome := asked.read(piece, normalize(piece))).kind == "answer"), current)
    return current


def _answered_late(earlier: Sequence[StepReader], raw: str, known: Collection[str]) -> dict[int, Outcome]:
    """An earlier step left open answered now ("Bob", to the question after the name)."""
    for at, reader in enumerate(earlier):
        if reader.step.remember and reader.step.remember not in known:
            outcome = reader.read(raw, normalize(raw))
            if outcome.kind == "answer":
                return {at: outcome}
    return {}


GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "yo", "sup", "hi there", "hello there",
                       "hey there", "good morning", "good afternoon", "good evening", "morning", "hey you"})
ABOUT_HER = frozenset({"you", "your", "youre", "ur", "u"})  # a line that starts so speaks of her
# Lines that answer nothing, even a question any statement answers.
NO_ANSWER = frozenset("ok okay k kk hmm hm um uh huh what idk yes yeah yep no nope sure lol haha".split())
