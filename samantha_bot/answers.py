"""Reading a setup answer in the light of the question just asked: a choice, a captured value, or not."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from rapidfuzz import fuzz, process

from .index import Index
from .matcher import retrieve
from .memory import as_spoken, clean_name
from .model import Card, SetupStep
from .normalize import STOPWORDS, clean, is_question, normalize
from .patterns import compile_all

CHOICE_THRESHOLD = 30.0  # a choice scoring less than this is not what they answered
FREE_MAX_CHARS = 200  # a free answer is kept in their words, this long at most


@dataclass(frozen=True)
class Outcome:
    kind: str  # "answer" | "skip" | "steer"
    value: str = ""
    choice: str = ""  # which `replies` apply ("" = the common ones)
    score: float = 0.0


class StepReader:
    """Built once per setup step: its patterns compiled and its choices indexed."""

    def __init__(self, step: SetupStep, concepts: Mapping[str, tuple[str, ...]],
                 vocabulary: frozenset[str] = frozenset()):
        self.step = step
        self.vocabulary = vocabulary  # words the packs use: "hello" typed alone is not a name
        self.patterns = sorted(compile_all(list(step.patterns), concepts), key=lambda p: p.sort_key)
        self.choices = Index([Card(id=value, theme=value, location=step.location, examples=examples,
                                   lines=(value,)) for value, examples in step.choices.items()],
                             concepts) if step.choices else None
        self.skip = [normalize(text) for text in step.skip]

    def read(self, raw: str, normalized: str) -> Outcome:
        if not normalized:
            return Outcome("steer")
        if self.skip and process.extractOne(normalized, self.skip, scorer=fuzz.ratio, score_cutoff=85):
            return Outcome("skip", score=100.0)
        if self.choices is not None:
            ranked = retrieve(self.choices, normalized, lambda card: True, limit=1)
            if ranked and ranked[0].score >= CHOICE_THRESHOLD:
                return Outcome("answer", ranked[0].card.id, ranked[0].card.id, ranked[0].score)
        asking = is_question(raw, normalized)
        for pattern in self.patterns:
            slots = pattern.match(normalized)
            if slots is None or (asking and not pattern.literal_words):
                continue
            value = slots.get(self.step.remember or "", "")
            if not pattern.literal_words and self._is_just_talk(value, raw):
                continue
            if value and len(value.split()) <= self.step.max_words:
                if self.step.remember == "name":  # a name is a name: "Marcus", not "Marcus here"
                    name = clean_name(value, raw, frozenset() if pattern.literal_words else self.vocabulary)
                    if name is None:
                        continue
                    return Outcome("answer", name, score=100.0)
                return Outcome("answer", as_spoken(value, raw), score=100.0)
        if self.step.free and not asking:
            return Outcome("answer", clean(raw).strip()[:FREE_MAX_CHARS], score=100.0)
        return Outcome("steer")


    def _is_just_talk(self, value: str, raw: str) -> bool:
        """A bare answer that is talk, not a name: "hello", "wow", "i do not know"."""
        words = value.split()
        if len(words) == 1:
            return words[0] in NOT_NAMES
        return all(word in self.vocabulary or word in STOPWORDS for word in words) \
            and not any(word[:1].isupper() for word in clean(raw).split())


# One-word answers that are talk, not a name.
NOT_NAMES = frozenset("hi hello hey yo hiya howdy ok okay yes yeah no nope sure wow hmm um uh huh "
                      "what why who how haha thanks cool nice great fine good whatever idk".split())
