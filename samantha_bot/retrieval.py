"""Cards scored by the words they share with a line: the score, an exhaustive scan, and a top-k
search that finds what the scan would put first without scoring the rest.

A theme is judged on all its cards' examples together (coverage and evidence: long, rambling
lines still find it), a card within it on its nearest example (recall). The top-k search is
MaxScore over impact-ordered lists, as search engines run it for BM25: each feature lists the
themes holding it, those its weight lifts most first; the line's rarest features are walked
first, and a list is left once no theme met further down it could reach the best `limit` found
so far. Every theme met is bounded, then scored exactly in the order of its bound until the
bound falls below the `limit`-th best score: the cards left unscored could not enter the list.
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Collection

from .index import FAINT, Analysis, Index
from .model import Card

# Tuned on ../shared/probes/dev.yaml, checked on tests/data/heldout.yaml (tools/accuracy.py).
RECALL_WEIGHT = 0.40  # how much of the card's nearest example the input says
COVERAGE_WEIGHT = 0.30  # how much of the input the theme's examples explain
EVIDENCE_WEIGHT = 0.30  # how much rare-word weight the input shares with the theme, saturating
EVIDENCE_SCALE = 8.0  # shared weight at which evidence reaches 1 - 1/e
RULE_SCORE = 100.0
CONTEXT_BONUS = 12.0  # added to the theme she spoke from last, for a short line
BOUND_MARGIN = 0.01  # a bound exceeds any score it bounds by more than rounding to 0.01 can add


def score(recall: float, covered: float, total: float) -> float:
    """The score of a card, 0..100: its nearest example's share said (recall), and the weight of
    the line its theme holds (`covered`, of the line's `total`) as coverage and as evidence."""
    return 100 * (RECALL_WEIGHT * recall + COVERAGE_WEIGHT * covered / total
                  + EVIDENCE_WEIGHT * (1 - math.exp(-covered / EVIDENCE_SCALE)))


@dataclass(frozen=True)
class Hit:
    """One card's exact score; hits sort best first, then by card id."""

    negative_score: float
    card_id: str
    position: int  # of the card in Index.cards
    example: int  # its nearest example
    via: str  # "retrieval" | "context"

    @property
    def score(self) -> float:
        return -self.negative_score


@dataclass(frozen=True)
class Query:
    """What the search needs of a line, and of the caller."""

    items: tuple[tuple[str, float], ...]  # the features the packs know, weight FAINT or more, as the line has them
    total: float  # the weight of all its features of weight FAINT or more, known or not
    allowed: Callable[[Card], bool]
    ruled: Collection[str] = ()  # cards already answered by a rule
    leaning: int | None = None  # the theme she spoke from last, for a short line
    only: Collection[int] | None = None  # when given, only these themes
    # When given, a card counts only if one of its examples holds one of these features, or it
    # scores `sure` or more: what a line is about, which a card must share to answer it.
    needs: Collection[str] | None = None
    sure: float = 0.0

    @classmethod
    def of(cls, index: Index, analysis: Analysis, allowed: Callable[[Card], bool], ruled: Collection[str] = (),
           leaning: int | None = None, only: Collection[int] | None = None,
           needs: Collection[str] | None = None, sure: float = 0.0) -> Query:
        # Words in nearly every theme ("you", "is") say almost nothing and have the longest lists.
        features = {feature: weight for feature, weight in analysis.features.items() if weight >= FAINT}
        items = tuple((feature, weight) for feature, weight in features.items() if feature in index.postings)
        if needs is not None:
            needs = frozenset(feature for feature in needs if feature in index.postings)
            if not needs <= features.keys():
                needs = None  # one is in nearly every theme (FAINT): nearly every card holds it
        return cls(items, sum(features.values()), allowed, ruled, leaning, only, needs, sure)


def scan(index: Index, query: Query) -> list[Hit]:
    """Every open card of every theme holding one of the line's features, scored, best first."""
    if not query.total:
        return []
    theme_of = index.example_theme
    themes = {theme_of[example] for feature, _ in query.items for example in index.postings[feature]}
    hits: list[Hit] = []
    for theme in sorted(themes):
        if query.only is None or theme in query.only:
            hits += score_theme(index, query, theme)
    return sorted(hits, key=_order)


def top(index: Index, query: Query, limit: int, floor: float = -math.inf) -> list[Hit]:
    """The first `limit` of the hits `scan` gives that score `floor` or more, exactly, without
    scoring most cards."""
    if not query.total or limit < 1:
        return []
    return _Search(index, query, limit, floor).run()


def score_theme(index: Index, query: Query, theme: int) -> list[Hit]:
    """Every open card of one theme that shares a feature with the line, scored exactly.

    Sums are made in the order of the line's features, whichever way the theme was reached, so
    a search and a scan agree to the last bit."""
    start, end = index.theme_range[theme]
    postings = index.postings
    covered = 0.0
    shared: defaultdict[int, float] = defaultdict(float)  # in the order examples are first reached
    needs, holding = query.needs, set[int]()  # the cards holding a feature they need
    for feature, weight in query.items:
        found = postings[feature]
        low = bisect_left(found, start)
        if low == len(found) or found[low] >= end:
            continue
        high = bisect_left(found, end, low)
        covered += weight
        for example in found[low:high]:
            shared[example] += weight
        if needs is not None and feature in needs:
            holding.update(map(index.example_card.__getitem__, found[low:high]))
    recall: dict[int, float] = {}
    nearest: dict[int, int] = {}
    totals, example_card = index.example_total, index.example_card
    for example, weight in shared.items():
        number = example_card[example]
        ratio = weight / totals[example]
        if ratio > recall.get(number, -1.0):  # the first example reached wins a tie, as it always has
            recall[number], nearest[number] = ratio, example
    leaning = theme == query.leaning
    hits = []
    for position, card_recall in recall.items():
        card = index.cards[position]
        if card.id in query.ruled or not query.allowed(card):
            continue
        value, via = round(score(card_recall, covered, query.total), 2), "retrieval"
        if leaning:
            value, via = min(RULE_SCORE - 1, value + CONTEXT_BONUS), "context"
        if needs is not None and position not in holding and value < query.sure:
            continue
        hits.append(Hit(-value, card.id, position, nearest[position], via))
    return hits


def _order(hit: Hit) -> tuple[float, str]:
    return hit.negative_score, hit.card_id


class _Search:
    """One line's top-k search: the themes met, what each could still score, and the bar."""

    def __init__(self, index: Index, query: Query, limit: int, floor: float):
        self.index, self.query, self.limit, self.floor = index, query, limit, floor
        self.bar = floor  # a card must score this much to be among the best `limit`
        self.best: list[Hit] = []
        self.scored: set[int] = set()  # themes scored exactly
        self.raised_at = 0  # how many themes had been met when the bar was last raised
        # theme -> [weight of the line it holds, recall it can reach, how many lists of what the cards need it is on]
        self.met: dict[int, list[float]] = {}
        self.lists = [index.impact(feature, weight) for feature, weight in query.items]
        # What is not yet walked: the weight of the features whose lists are not finished, and
        # the most each can still lift a theme's recall (its next entry's reach).
        self.rest_weight = sum(weight for _, weight in query.items)
        self.rest_reach = sum(reaches[0] for _, reaches in self.lists)
        # The lists of features the cards need not yet walked to their end: once none are, a
        # theme met after holds none of them, and needs `sure`.
        needs = query.needs
        self.needs_left = sum(feature in needs for feature, _ in query.items) if needs is not None else -1

    def run(self) -> list[Hit]:
        if self.query.leaning is not None:
            self._settle(self.query.leaning)  # its bonus is in no bound: scored first
        # The rarest features first: the shortest lists, and the most weight.
        items, needs = self.query.items, self.query.needs
        for at in sorted(range(len(items)), key=lambda at: -items[at][1]):
            needed = needs is None or items[at][0] in needs
            if self._walk(at, needed) and needed:
                self.needs_left -= 1
        self._settle_met()
        return sorted(self.best, key=_order)[:self.limit]

    def _walk(self, at: int, needed: bool) -> bool:
        """Meet the themes of one feature's list, best lifted first, while one met for the first
        time could still reach the bar; whether the list was walked to its end."""
        weight = self.query.items[at][1]
        themes, reaches = self.lists[at]
        self.rest_reach -= reaches[0]
        met = self.met
        if len(themes) > len(met) > self.raised_at:  # walking it costs more than raising the bar first
            self._raise_bar()
        cutoff = self._cutoff(self._bar_for(needed))
        flag = 1.0 if needed else 0.0
        for theme, reach in zip(themes, reaches):
            if reach < cutoff:
                self.rest_reach += reach  # the list is left here: what is below may still lift a theme met
                return False
            entry = met.get(theme)
            if entry is None:
                met[theme] = [weight, reach, flag]
            else:
                entry[0] += weight
                entry[1] += reach
                entry[2] += flag
        self.rest_weight -= weight
        return True

    def _bar_for(self, needed: bool) -> float:
        """The bar for a theme met on a list of what the cards need, or not."""
        return self.bar if needed or self.needs_left else max(self.bar, self.query.sure)

    def _cutoff(self, bar: float) -> float:
        """The reach below which a theme met for the first time on the list being walked could
        not reach the bar, holding all the rest of the lists at best (the score is linear in recall)."""
        unlifted = score(0.0, self.rest_weight, self.query.total) + BOUND_MARGIN
        needed = (bar - unlifted) / (100 * RECALL_WEIGHT)  # the recall such a theme would need
        return math.inf if needed > 1.0 else needed - self.rest_reach

    def _bound(self, theme: int, entry: list[float]) -> float:
        """The most any card of a theme met could score: what it holds, and all it might of the rest."""
        covered = entry[0] + self.rest_weight
        recall = min(1.0, entry[1] + self.rest_reach, covered / self.index.theme_min_total[theme])
        return score(recall, covered, self.query.total) + BOUND_MARGIN

    def _raise_bar(self) -> None:
        """Score the most promising themes met, so the bar rises before the long lists are walked."""
        self.raised_at = len(self.met)
        total = self.query.total
        promising = heapq.nlargest(self.limit, ((entry[1] + entry[0] / total, theme)
                                                for theme, entry in self.met.items() if theme not in self.scored))
        for _, theme in promising:
            self._settle(theme)

    def _settle_met(self) -> None:
        """Score every theme met whose bound reaches its bar, best bound first, until none can."""
        bounds = sorted(((self._bound(theme, entry), entry[2] > 0, theme) for theme, entry in self.met.items()
                         if theme not in self.scored), reverse=True)
        for ceiling, needed, theme in bounds:
            if ceiling < self.bar:
                break
            if ceiling >= self._bar_for(needed):
                self._settle(theme)

    def _settle(self, theme: int) -> None:
        """Score one theme exactly, and raise the bar to the `limit`-th best score once there are that many."""
        if theme in self.scored:
            return
        self.scored.add(theme)
        only = self.query.only
        if only is not None and theme not in only:
            return
        found = [hit for hit in score_theme(self.index, self.query, theme) if hit.score >= self.floor]
        if not found:
            return
        self.best += found
        if len(self.best) >= self.limit:
            self.best.sort(key=_order)
            del self.best[self.limit:]
            self.bar = max(self.bar, self.best[-1].score)
