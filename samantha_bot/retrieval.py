"""Cards scored by the words they share with a line: the score, an exhaustive scan, and a top-k
search that finds what the scan would put first without scoring the rest.

A theme is judged on all its cards' examples together (coverage and evidence: long, rambling
lines still find it), a card within it on its nearest example (recall). The top-k search is
MaxScore over impact-ordered lists, as search engines run it for BM25: each feature lists the
themes holding it, those its weight lifts most first; the line's rarest features are walked
first, and a list is left once no theme met further down it could reach the best `limit` found
so far. Every theme met is bounded, then scored exactly in the order of its bound until the
bound falls below the `limit`-th best score: the cards left unscored could not enter the list.
A theme is first bounded exactly (theme_ceiling: what it holds, before any card is asked whether
it may answer), and scored card by card only when that reaches the bar.
"""
from __future__ import annotations

import heapq
import math
import operator
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Collection, Mapping, NamedTuple, Sequence

from .index import FAINT, Analysis, Index
from .model import Card

# Tuned on ../shared/probes/dev.yaml, checked on tests/data/heldout.yaml (tools/accuracy.py).
RECALL_WEIGHT = 0.40  # how much of the card's nearest example the input says
COVERAGE_WEIGHT = 0.30  # how much of the input the theme's examples explain
EVIDENCE_WEIGHT = 0.30  # how much rare-word weight the input shares with the theme, saturating
EVIDENCE_SCALE = 8.0  # shared weight at which evidence reaches 1 - 1/e
RULE_SCORE = 100.0
CONTEXT_BONUS = 12.0  # added to the theme she spoke from last, for a short line
FEW_THEMES = 16  # a search among so few themes scores each of them
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
class Topic:
    """What a line is about, and what a card must share of it to be about it too (the evidence
    test's first steps, matcher.evidence_gap): at least the `needed` share of the weight of its
    topical features; a line with none is answered only by a card that scores `sure`."""

    weights: Mapping[str, float]  # the line's topical features, in its order
    needed: float
    sure: float
    unseen: float = 0.0  # topical weight a search does not read (features in nearly every theme): taken as held
    total: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", sum(self.weights.values()))

    def least(self) -> float:
        """Just under the topical weight a card must hold (0 for a line with no topic): what a
        bound must reach, with room for sums made in another order."""
        return max(0.0, self.needed * self.total * (1 - 1e-9) - 1e-9 - self.unseen) if self.weights else 0.0

    def covered(self, held: Collection[str]) -> float:
        """The topical weight a card holding these features shares with the line."""
        return sum(weight for feature, weight in self.weights.items() if feature in held)

    def shared_enough(self, covered: float) -> bool:
        total = self.total
        return not total or covered / total >= self.needed

    def about(self, held: Collection[str], value: float) -> bool:
        """Whether a card holding these topical features, scoring `value`, is about the line."""
        if not self.weights:
            return value >= self.sure
        return bool(held or self.unseen) and self.shared_enough(self.covered(held) + self.unseen)


@dataclass(frozen=True)
class Query:
    """What the search needs of a line, and of the caller."""

    items: tuple[tuple[str, float], ...]  # the features the packs know, weight FAINT or more, as the line has them
    total: float  # the weight of all its features of weight FAINT or more, known or not
    allowed: Callable[[Card], bool]
    ruled: Collection[str] = ()  # cards already answered by a rule
    leaning: int | None = None  # the theme she spoke from last, for a short line
    only: Collection[int] | None = None  # when given, only these themes
    topic: Topic | None = None  # when given, only cards about the line count
    positions: Mapping[str, int] = field(default_factory=dict)  # feature -> its place in `items`

    @classmethod
    def of(cls, index: Index, analysis: Analysis, allowed: Callable[[Card], bool], ruled: Collection[str] = (),
           leaning: int | None = None, only: Collection[int] | None = None, topic: Topic | None = None) -> Query:
        # Words in nearly every theme ("you", "is") say almost nothing and have the longest lists.
        features = {feature: weight for feature, weight in analysis.features.items() if weight >= FAINT}
        items = tuple((feature, weight) for feature, weight in features.items() if feature in index.postings)
        if topic is not None:  # topical, yet in nearly every theme (FAINT): not searched, so any card may hold it
            unseen = sum(weight for feature, weight in topic.weights.items()
                         if feature in index.postings and feature not in features)
            topic = replace(topic, unseen=unseen) if unseen else topic
        return cls(items, sum(features.values()), allowed, ruled, leaning, only, topic,
                   {feature: at for at, (feature, _) in enumerate(items)})

    @cached_property
    def topical(self) -> dict[int, str]:
        """Position in `items` -> feature, for the line's topical features."""
        weights = self.topic.weights if self.topic is not None else {}
        return {at: feature for at, (feature, _) in enumerate(self.items) if feature in weights}

    @property
    def needs(self) -> Mapping[str, float]:
        """The topical features the packs know, by weight: those a card must share."""
        topic = self.topic
        return {} if topic is None else {feature: weight for feature, weight in self.items if feature in topic.weights}


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


class Scored:
    """The themes of one line scored exactly so far, and all their hits at the floor or over:
    where a search for more of the same line's cards starts (a reply asks for one card, then
    two only when one does not settle it)."""

    def __init__(self) -> None:
        self.themes: set[int] = set()
        self.hits: list[Hit] = []
        self.ceilings: dict[int, float] = {}  # themes not scored, each with the most a card of it scores


def top(index: Index, query: Query, limit: int, floor: float = -math.inf, scored: Scored | None = None) -> list[Hit]:
    """The first `limit` of the hits `scan` gives that score `floor` or more, exactly, without
    scoring most cards. With `scored`, the themes it holds are not scored again, and those this
    search scores are added to it: give it only to searches of the same query, each with a floor
    as high as the last's or higher (what was kept then holds all that reaches it)."""
    if not query.total or limit < 1:
        return []
    if query.only is not None and len(query.only) <= FEW_THEMES:  # a search would walk lists to find these few
        topic = query.topic
        floor = max(floor, topic.sure) if topic is not None and not topic.weights else floor
        hits = [hit for theme in sorted(query.only) for hit in score_theme(index, query, theme, floor)]
        return sorted(hits, key=_order)[:limit]
    return _Search(index, query, limit, floor, scored or Scored()).run()


def score_theme(index: Index, query: Query, theme: int, bar: float = -math.inf, held: Held | None = None) -> list[Hit]:
    """Every open card of one theme that shares a feature with the line and scores `bar` or
    more, scored exactly.

    Each example's shared weight, and the theme's, are summed in the order of the line's
    features, and examples are met in the order of their first shared feature, whichever way
    the theme was read, so a search and a scan agree to the last bit."""
    held = held_in_theme(index, query, theme) if held is None else held
    if not held.shared:
        return []
    example_card, totals = index.example_card, index.example_total
    covered = _covered(query, held.positions)
    recall: dict[int, float] = {}
    nearest: dict[int, int] = {}
    for example, shared in held.shared.items():
        number = example_card[example]
        ratio = shared / totals[example]
        if ratio > recall.get(number, -1.0):  # the first example met wins a tie, as it always has
            recall[number], nearest[number] = ratio, example
    leaning = theme == query.leaning
    hits = []
    for position, card_recall in recall.items():
        value, via = round(score(card_recall, covered, query.total), 2), "retrieval"
        if leaning:
            value, via = min(RULE_SCORE - 1, value + CONTEXT_BONUS), "context"
        if value < bar:
            continue
        card = index.cards[position]
        if card.id in query.ruled or not query.allowed(card) or not _about(query, index, held.positions, position, value):
            continue
        hits.append(Hit(-value, card.id, position, nearest[position], via))
    return hits


class Held(NamedTuple):
    """What one theme's examples share with a line: example -> the positions in the line of the
    features it shares, in order, and -> their weight summed in that order; examples in the order
    of their first shared feature."""

    positions: dict[int, list[int]]
    shared: dict[int, float]


def held_in_theme(index: Index, query: Query, theme: int) -> Held:
    """What one theme's examples share with the line."""
    start, end = index.theme_range[theme]
    if index.feature_start[end] - index.feature_start[start] <= 2 * len(query.items):
        return _held_by_reading(index, query, start, end)  # fewer features in the theme than searches
    return _held_by_searching(index, query, start, end)


def _covered(query: Query, positions: Mapping[int, list[int]]) -> float:
    """The weight of the line a theme holds, summed in the line's order."""
    items, covered = query.items, 0.0
    for at in sorted(set().union(*positions.values())):
        covered += items[at][1]
    return covered


def theme_ceiling(index: Index, query: Query, theme: int, held: Held) -> float:
    """The score of a theme's best card before it is asked whether it may answer and is about the
    line (`held`: what held_in_theme finds): what none of its hits exceeds. No card is looked at."""
    if not held.shared:
        return -math.inf
    totals = index.example_total
    recall = max(shared / totals[example] for example, shared in held.shared.items())
    value = round(score(recall, _covered(query, held.positions), query.total), 2)
    return min(RULE_SCORE - 1, value + CONTEXT_BONUS) if theme == query.leaning else value


def _about(query: Query, index: Index, held: Mapping[int, list[int]], position: int, value: float) -> bool:
    """Whether a card is about the line, by the topical features its examples hold (Query.topic)."""
    topic = query.topic
    if topic is None:
        return True
    start, end = index.card_range[position]
    topical = query.topical
    holding = {topical[at] for example in range(start, end) for at in held.get(example, ()) if at in topical}
    return topic.about(holding, value)


def _held_by_searching(index: Index, query: Query, start: int, end: int) -> Held:
    """What examples start..end share with the line, each of the line's features searched for among them."""
    positions: dict[int, list[int]] = {}
    shared: dict[int, float] = {}
    postings = index.postings
    for at, (feature, weight) in enumerate(query.items):
        found = postings[feature]
        low = bisect_left(found, start)
        if low == len(found) or found[low] >= end:
            continue
        for example in found[low:bisect_left(found, end, low)]:
            if example in shared:
                positions[example].append(at)
                shared[example] += weight
            else:
                positions[example] = [at]
                shared[example] = weight
    return Held(positions, shared)


def _held_by_reading(index: Index, query: Query, start: int, end: int) -> Held:
    """As _held_by_searching, by reading the examples' own features."""
    position, flat, bounds, items = query.positions, index.example_features, index.feature_start, query.items
    met = []
    for example in range(start, end):
        found = sorted(position[feature] for feature in flat[bounds[example]:bounds[example + 1]]
                       if feature in position)
        if found:
            met.append((found[0], example, found))
    met.sort()
    positions: dict[int, list[int]] = {}
    shared: dict[int, float] = {}
    for _, example, found in met:
        positions[example] = found
        total = 0.0
        for at in found:
            total += items[at][1]
        shared[example] = total
    return Held(positions, shared)


def _order(hit: Hit) -> tuple[float, str]:
    return hit.negative_score, hit.card_id


class _Search:
    """One line's top-k search: the themes met, what each could still score, and the bar."""

    def __init__(self, index: Index, query: Query, limit: int, floor: float, scored: Scored):
        self.index, self.query, self.limit, self.floor = index, query, limit, floor
        topic = query.topic
        # A card must score this much to be among the best `limit` (a line with no topic: `sure`).
        self.floor = max(floor, topic.sure) if topic is not None and not topic.weights else floor
        self.bar = self.floor
        self.kept = scored.hits
        self.scored = scored.themes  # themes scored exactly
        self.ceilings = scored.ceilings
        self.best: list[Hit] = []
        self._add(scored.hits)
        self.raised_at = 0  # how many themes had been met when the bar was last raised
        # theme -> [weight of the line it holds, recall it can reach, topical weight it holds]
        self.met: dict[int, list[float]] = {}
        self.lists = [index.impact(feature, weight) for feature, weight in query.items]
        # What is not yet walked: the weight of the features whose lists are not finished, the
        # most each can still lift a theme's recall (its next entry's reach), and the topical
        # weight among them.
        self.rest_weight = sum(weight for _, weight in query.items)
        self.rest_reach = sum(reaches[0] for _, reaches in self.lists)
        self.needs = query.needs
        self.rest_topical = sum(self.needs.values())
        self.least = topic.least() if topic is not None else 0.0  # the topical weight a card must hold

    def run(self) -> list[Hit]:
        if not self._unmet_may_hold_enough():
            return []  # no card can share enough of what the line is about
        if self.query.leaning is not None:
            self._settle(self.query.leaning)  # its bonus is in no bound: scored first
        # The rarest features first: the shortest lists, where a theme met is likeliest the answer.
        items = self.query.items
        for at in sorted(range(len(items)), key=lambda at: len(self.lists[at][0])):
            self._walk(at)
        self._settle_met()
        return sorted(self.best, key=_order)[:self.limit]

    def _unmet_may_hold_enough(self) -> bool:
        """Whether a theme not met yet could hold enough of what the line is about: all the
        topical weight of the lists not walked to their end."""
        return self.rest_topical >= self.least

    def _walk(self, at: int) -> None:
        """Meet the themes of one feature's list, best lifted first, while one met for the first
        time could still reach the bar and be about the line."""
        feature, weight = self.query.items[at]
        themes, reaches = self.lists[at]
        self.rest_reach -= reaches[0]
        met = self.met
        if len(themes) > len(met) > self.raised_at:  # walking it costs more than raising the bar first
            self._raise_bar()
        topical = self.needs.get(feature, 0.0)
        if not self._unmet_may_hold_enough():
            # No theme met from now on could hold enough of what the line is about: a topical
            # feature is still read for the themes met, so that what they hold is known.
            if topical:
                self._update_met(themes, reaches, weight, topical)
            else:
                self.rest_reach += reaches[0]
            return
        cutoff = self._cutoff()
        # The entries lifting a theme to the cutoff or more: the head of the list.
        walked = bisect_right(reaches, -cutoff, key=operator.neg) if cutoff > -math.inf else len(reaches)
        capacity, least = self.index.theme_weight, self.least
        for theme, reach in zip(themes[:walked], reaches[:walked]):
            entry = met.get(theme)
            if entry is None:
                if capacity[theme] < least:
                    continue  # too small a theme to hold enough of what the line is about
                met[theme] = [weight, reach, topical]
            else:
                entry[0] += weight
                entry[1] += reach
                entry[2] += topical
        if walked < len(reaches):
            self.rest_reach += reaches[walked]  # the list is left here: what is below may still lift a theme met
            return
        self.rest_weight -= weight
        self.rest_topical -= topical

    def _update_met(self, themes: Sequence[int], reaches: Sequence[float], weight: float, topical: float) -> None:
        """Add one feature to the themes met that hold it, walking its whole list."""
        met = self.met
        for theme, reach in zip(themes, reaches):
            entry = met.get(theme)
            if entry is not None:
                entry[0] += weight
                entry[1] += reach
                entry[2] += topical
        self.rest_weight -= weight
        self.rest_topical -= topical

    def _cutoff(self) -> float:
        """The reach below which a theme met for the first time on the list being walked could
        not reach the bar, holding all the rest of the lists at best (the score is linear in recall)."""
        unlifted = score(0.0, self.rest_weight, self.query.total) + BOUND_MARGIN
        needed = (self.bar - unlifted) / (100 * RECALL_WEIGHT)  # the recall such a theme would need
        return math.inf if needed > 1.0 else needed - self.rest_reach

    def _raise_bar(self) -> None:
        """Score the most promising themes met, so the bar rises before the long lists are walked."""
        self.raised_at = len(self.met)
        total = self.query.total
        promising = heapq.nlargest(self.limit, ((entry[1] + entry[0] / total, theme)
                                                for theme, entry in self.met.items() if theme not in self.scored))
        for _, theme in promising:
            self._settle(theme)

    def _settle_met(self) -> None:
        """Score every theme met that could be about the line and reach the bar, best bound first."""
        for ceiling, theme in sorted(self._bounds(), reverse=True):
            if ceiling < self.bar:
                break
            self._settle(theme)

    def _bounds(self) -> list[tuple[float, int]]:
        """Each theme met and not yet scored that could hold enough of what the line is about,
        with the most any of its cards could score (what it holds, and all it might of the
        rest), when that reaches the bar."""
        capacity, lightest, scored = self.index.theme_weight, self.index.theme_min_total, self.scored
        rest_weight, rest_reach, total, bar = self.rest_weight, self.rest_reach, self.query.total, self.bar
        least_walked = self.least - self.rest_topical  # of the lists walked, the topical weight a theme must hold
        found = []
        for theme, (held, reach, topical) in self.met.items():
            room = capacity[theme]
            if topical < least_walked or room < self.least or theme in scored:
                continue
            covered = min(held + rest_weight, room)
            ceiling = score(min(1.0, reach + rest_reach, covered / lightest[theme]), covered, total) + BOUND_MARGIN
            if ceiling >= bar:
                found.append((ceiling, theme))
        return found

    def _settle(self, theme: int) -> None:
        """Score one theme exactly, and raise the bar to the `limit`-th best score once there are that many."""
        if theme in self.scored:
            return
        only = self.query.only
        if only is not None and theme not in only:
            self.scored.add(theme)
            return
        # Most themes met under the bar's bound are not over it: a theme's ceiling costs half its score.
        held = None
        ceiling = self.ceilings.get(theme)
        if ceiling is None:
            held = held_in_theme(self.index, self.query, theme)
            ceiling = self.ceilings[theme] = theme_ceiling(self.index, self.query, theme, held)
        if ceiling < self.bar:
            return  # not scored: a later search of the line, with a lower bar, may score it
        self.scored.add(theme)
        found = score_theme(self.index, self.query, theme, self.floor, held)
        self.kept += found
        self._add(found)

    def _add(self, found: Sequence[Hit]) -> None:
        """Take the hits that reach the bar, and raise it to the `limit`-th best once there are that many."""
        bar = self.bar
        self.best += [hit for hit in found if hit.score >= bar]
        if len(self.best) >= self.limit:
            self.best.sort(key=_order)
            del self.best[self.limit:]
            self.bar = max(self.bar, self.best[-1].score)
