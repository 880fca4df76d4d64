"""Normalised text + which cards are open -> ranked candidates: rules, then retrieval, then fallback."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

from .index import Index
from .model import Card

# Tuned on ../shared/probes/dev.yaml, checked on tests/data/heldout.yaml (tools/accuracy.py).
RECALL_WEIGHT = 0.20  # how much of the card's nearest example the input says
COVERAGE_WEIGHT = 0.35  # how much of the input the theme's examples explain
EVIDENCE_WEIGHT = 0.45  # how much rare-word weight the input shares with the theme, saturating
EVIDENCE_SCALE = 8.0  # shared weight at which evidence reaches 1 - 1/e
THRESHOLD = 35.0  # below this, nothing matched: the fallback answers
RULE_SCORE = 100.0
CONTEXT_BONUS = 12.0  # added to the theme she spoke from last, for a short line
CONTEXT_WORDS = 8


@dataclass(frozen=True)
class Candidate:
    """A card that could answer, how well the input matched it, and by which route."""

    card: Card
    score: float
    via: str  # "rule" | "retrieval" | "context" | "fallback" | "followup" | "setup"
    slots: Mapping[str, str] = field(default_factory=dict)
    example: str = ""  # the example phrasing or pattern that matched best

    @property
    def theme(self) -> str:
        return self.card.theme


def match_rules(index: Index, normalized: str, allowed: Callable[[Card], bool]) -> list[Candidate]:
    """Every open card whose pattern matches the whole input, most specific first."""
    found: list[Candidate] = []
    seen: set[int] = set()
    for rule in index.rules:
        if rule.card in seen or not allowed(index.cards[rule.card]):
            continue
        slots = rule.pattern.match(normalized)
        if slots is not None:
            seen.add(rule.card)
            found.append(Candidate(index.cards[rule.card], RULE_SCORE, "rule", slots, rule.pattern.source))
    return found


def retrieve(index: Index, normalized: str, allowed: Callable[[Card], bool]) -> list[Candidate]:
    """Open cards scored by the words they share with the input, best first.

    A theme is judged on all its cards' examples together (coverage and evidence: long,
    rambling lines still find it), a card within it on its nearest example (recall).
    """
    query = index.analyse(normalized).features
    query_total = sum(query.values())
    if not query_total:
        return []
    shared: dict[int, float] = {}
    for feature, weight in query.items():
        for example in index.postings.get(feature, ()):
            shared[example] = shared.get(example, 0.0) + weight
    recall: dict[int, float] = {}
    nearest: dict[int, int] = {}
    for example, weight in shared.items():
        card = index.example_card[example]
        if weight / index.example_total[example] > recall.get(card, -1.0):
            recall[card], nearest[card] = weight / index.example_total[example], example
    theme_weight: dict[str, float] = {}
    candidates = []
    for position, card_recall in recall.items():
        card = index.cards[position]
        if not allowed(card):
            continue
        if card.theme not in theme_weight:
            features = index.theme_features[card.theme]
            theme_weight[card.theme] = sum(w for f, w in query.items() if f in features)
        covered = theme_weight[card.theme]
        score = 100 * (RECALL_WEIGHT * card_recall + COVERAGE_WEIGHT * covered / query_total
                       + EVIDENCE_WEIGHT * (1 - math.exp(-covered / EVIDENCE_SCALE)))
        candidates.append(Candidate(card, round(score, 2), "retrieval",
                                    example=index.example_text[nearest[position]]))
    candidates.sort(key=lambda candidate: (-candidate.score, candidate.card.id))
    return candidates


def rank(index: Index, normalized: str, allowed: Callable[[Card], bool],
         recent_theme: str | None = None) -> list[Candidate]:
    """Rules first, then retrieval (one candidate per card); the caller handles the fallback.

    A short line leans towards the theme she was just talking about ("why did you pick it?"
    after her name), as people lean on what was just said.
    """
    rules = match_rules(index, normalized, allowed)
    ruled = {candidate.card.id for candidate in rules}
    retrieved = [c for c in retrieve(index, normalized, allowed) if c.card.id not in ruled]
    if recent_theme and len(normalized.split()) <= CONTEXT_WORDS:
        retrieved = [Candidate(c.card, min(RULE_SCORE - 1, c.score + CONTEXT_BONUS), "context",
                               example=c.example)
                     if c.theme == recent_theme else c for c in retrieved]
        retrieved.sort(key=lambda candidate: (-candidate.score, candidate.card.id))
    return rules + retrieved
