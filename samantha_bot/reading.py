"""A message read part by part: what it tells her (the cards that remember), and what it asks.

"Hello, my name is Adam. What is your name?" gives a name and asks a question; "I like bananas.
Which is your favourite fruit?" tells a like and asks. Each sentence and clause is tried against
the patterns of the cards that remember; what no such card takes is what she answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping

from .index import Index
from .matcher import Candidate, match_rules
from .model import Card
from .normalize import is_question, normalize

# Sentences end at . ! ? ; and a clause at a comma or ":"; "and I ...", "but ...", "so ..." start one.
_BREAK = re.compile(r"(?<=[,:])\s+|\s+(?=(?:and|but|so|because)\s+(?:i|i'm|im|i've|ive|my|it's|its|just|also|"
                    r"honestly|then|now|recently|a|an)\b)"
                    r"|\s+(?=(?:but|because)\s)|\n+", re.IGNORECASE)
# A sentence ends at . ! ? or ; (not after a title: "Dr. Aisha Khan" is one name), or a new line.
_SENTENCE = re.compile(r"(?<!\b[Dd]r\.)(?<!\b[Mm]r\.)(?<!\b[Mm]s\.)(?<!\b[Mm]rs\.)(?<!\b[Ss]t\.)"
                       r"(?<=[.!?;])\s+|\n+")
_QUOTED = re.compile(r"(?<!\w)(['\"\u2018\u201c]).+?(['\"\u2019\u201d])(?!\w)")
# What "and you?" looks like after something told: she is asked the same of herself.
_ASKED_BACK = {"and you", "you", "what about you", "how about you", "and yours", "what is yours", "yours",
               "what about yours", "how about yours", "wbu", "hbu", "and u", "what about u", "how about u",
               "you too", "what is your", "and what about you", "what is yours then", "same question",
               "and what is yours", "your turn"}
# "and I love hiking" tells a like
_LEADING = re.compile(r"^(?:(?:and|but|so|also|plus|oh|ugh|um|hmm|well|ok|okay|honestly|lol|omg|tbh)\s+)+", re.IGNORECASE)
SHORT_REST = 3  # words: a rest this short beside a told fact ("hi", "lol") is not a thing of its own


@dataclass(frozen=True)
class Told:
    """One part of a message that tells her something a card remembers."""

    card: Card
    slots: Mapping[str, str]
    part: str  # as typed


@dataclass(frozen=True)
class Reading:
    """A message as she reads it: the parts that tell, and the rest."""

    told: tuple[Told, ...] = ()
    rest: tuple[str, ...] = ()  # as typed, in order
    question: str = ""  # the last part of the rest that asks something, as typed
    asked_back: bool = False  # the question is "and you?" after something told
    quoted: bool = False  # part of it was quoted material ("translate 'my name is Anna'")

    def target(self) -> str:
        """What she answers, as typed: the question, else the rest ("" when it told only)."""
        if self.asked_back and self.told and self.told[-1].card.ask_back:
            return self.told[-1].card.ask_back
        if self.question:
            return self.question
        rest = " ".join(self.rest)
        return "" if self.told and len(normalize(rest).split()) <= SHORT_REST else rest


def sentence_parts(text: str) -> list[list[str]]:
    """A message's sentences, each as its clauses, as typed; quoted text stays whole."""
    shielded: dict[str, str] = {}

    def shield(found: re.Match[str]) -> str:
        key = f"\x00{len(shielded)}\x00"
        shielded[key] = found.group(0)
        return key

    def unshield(piece: str) -> str:
        for key, value in shielded.items():
            piece = piece.replace(key, value)
        return _LEADING.sub("", piece.strip())

    masked = _QUOTED.sub(shield, text)
    found = []
    for sentence in _SENTENCE.split(masked):
        pieces = [unshield(piece) for piece in _BREAK.split(sentence) if piece and piece.strip()]
        pieces = [piece for piece in pieces if any(char.isalnum() for char in piece)]
        if pieces:
            found.append(pieces)
    return found


def parts(text: str) -> list[str]:
    """A message's sentences and clauses, as typed, in order."""
    return [piece for sentence in sentence_parts(text) for piece in sentence]


def read(text: str, index: Index, may_tell: Callable[[Card], bool],
         accept: Callable[[Candidate, str], Mapping[str, str] | None]) -> Reading:
    """Read a message: each part whose whole is a pattern of a card that remembers (and that
    `may_tell`), with slots `accept` takes (and tidies), is told; the others are the rest, and
    the last sentence that asks, less what it told, is the question. Nothing inside quotes, or
    after a request that ends in ':', is taken as told: it is text to work on."""
    told: list[Told] = []
    rest: list[str] = []
    question = ""
    quoted = False
    material = False  # what follows "translate to french:" is material, not a fact
    for sentence in sentence_parts(text):
        untold = []
        for part in sentence:
            normalized = normalize(part)
            holds_quote = bool(_QUOTED.search(part))
            quoted = quoted or holds_quote or material
            taken = []  # a part may tell several things ("I live in Berlin with my dog Fritz")
            if not (holds_quote or material):
                for candidate in match_rules(index, normalized, lambda card: bool(card.remember) and may_tell(card)):
                    slots = accept(candidate, part)
                    if slots is not None:
                        taken.append(Told(candidate.card, slots, part))
            told += taken
            if not taken:
                untold.append(part)
            material = material or part.rstrip().endswith(":")
        rest += untold
        whole = " ".join(sentence)
        if untold and is_question(whole, normalize(whole)):
            question = " ".join(untold)
    if quoted:  # the whole message is a request about some text: read it whole, as said
        return Reading(rest=(text,), question=text if is_question(text, normalize(text)) else "", quoted=True)
    back = bool(told) and normalize(question).strip() in _ASKED_BACK
    return Reading(tuple(told), tuple(rest), question, back)
