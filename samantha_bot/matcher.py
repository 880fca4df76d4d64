"""Normalised text + which cards are open -> ranked candidates: rules, then retrieval, then fallback."""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Callable, Collection, Mapping

from .index import FAINT, LIGHT_POSTINGS, ME, YOU, Analysis, Index, about
from .model import Card

# Tuned on ../shared/probes/dev.yaml, checked on tests/data/heldout.yaml (tools/accuracy.py).
RECALL_WEIGHT = 0.40  # how much of the card's nearest example the input says
COVERAGE_WEIGHT = 0.30  # how much of the input the theme's examples explain
EVIDENCE_WEIGHT = 0.30  # how much rare-word weight the input shares with the theme, saturating
EVIDENCE_SCALE = 8.0  # shared weight at which evidence reaches 1 - 1/e
THRESHOLD = 35.0  # below this, nothing matched: the fallback answers
RULE_SCORE = 100.0
CONTEXT_BONUS = 12.0  # added to the theme she spoke from last, for a short line
CONTEXT_WORDS = 8
# Evidence: a card answers only when the line is about what the card is about.
MIN_COVERAGE = 0.5  # of a short line's topical weight, the share the card's theme must explain
COVERAGE_EASING = 0.02  # less for each word past SHORT_LINE: a long story holds more than its topic
SHORT_LINE = 8
LEAST_COVERAGE = 0.25
AMBIGUITY = 3.0  # two themes this close are a guess: she falls back (Rasa's ambiguity_threshold)
CONFIDENT = 70.0  # a score this high is not a guess, however close the next theme
COUNTER_FLOOR = 0.35  # a counter-example less like the line than this does not refuse a card
ASKING = frozenset("what who whom whose where when why how which is are was were does do did can could will would "
                   "should name list tell give".split())
ABOUT = {"her": "her", "them": "the person", "both": "both of them", "neither": "neither of them"}
BOUND_MARGIN = 0.01  # a bound exceeds any score it bounds by more than rounding to 0.01 can add
LIGHT_WALK_THEMES = 4  # per wanted card: with more themes in play (big packs), bound them example by example


@dataclass(frozen=True)
class Candidate:
    """A card that could answer, how well the input matched it, and by which route."""

    card: Card
    score: float
    via: str  # "rule" | "retrieval" | "context" | "fallback" | "followup" | "setup"
    slots: Mapping[str, str] = field(default_factory=dict)
    example: str = ""  # the example phrasing or pattern that matched best
    example_id: int = -1  # its number in the index, when it is an example

    @property
    def theme(self) -> str:
        return self.card.theme


def match_rules(index: Index, normalized: str, allowed: Callable[[Card], bool]) -> list[Candidate]:
    """Every open card whose pattern matches the whole input, most specific first."""
    found: list[Candidate] = []
    seen: set[int] = set()
    words = set(normalized.split())
    # A pattern's literal words stand between spaces in its regex: without them, no match.
    keyed = index.rules_by_word
    tried = sorted(chain(index.free_rules, *(keyed[word] for word in words if word in keyed)))
    for position in tried:
        rule = index.rules[position]
        if rule.card in seen or not rule.required <= words or not allowed(index.cards[rule.card]):
            continue
        slots = rule.pattern.match(normalized)
        if slots is not None:
            seen.add(rule.card)
            found.append(Candidate(index.cards[rule.card], RULE_SCORE, "rule", slots, rule.pattern.source))
    return found


def retrieve(index: Index, normalized: str, allowed: Callable[[Card], bool],
             limit: int | None = None) -> list[Candidate]:
    """Open cards scored by the words they share with the input, best first (the best `limit`).

    A theme is judged on all its cards' examples together (coverage and evidence: long,
    rambling lines still find it), a card within it on its nearest example (recall).
    """
    return _retrieve(index, normalized, allowed, limit)


def rank(index: Index, normalized: str, allowed: Callable[[Card], bool],
         recent_theme: str | None = None, limit: int | None = None,
         analysis: Analysis | None = None, themes: Collection[str] | None = None) -> list[Candidate]:
    """Rules first, then retrieval (one candidate per card); the caller handles the fallback.

    A short line leans towards the theme she was just talking about ("why did you pick it?"
    after her name), as people lean on what was just said. With `limit`, only the best
    `limit` candidates, the head of the full list, found without scoring the rest (in a pack
    with common features, a card too weak to answer that shares only those may be left out).
    With `themes`, only cards of those themes are read (the urgent ones, say).
    """
    memo: dict[int, bool] = {}

    def open_card(card: Card) -> bool:
        if id(card) not in memo:
            memo[id(card)] = allowed(card)
        return memo[id(card)]

    rules = match_rules(index, normalized, open_card)
    if limit is not None and len(rules) >= limit:
        return rules[:limit]
    leaning = recent_theme if recent_theme and len(normalized.split()) <= CONTEXT_WORDS else None
    return rules + _retrieve(index, normalized, open_card, None if limit is None else limit - len(rules),
                             {candidate.card.id for candidate in rules}, leaning, analysis,
                             None if themes is None else {index.theme_ids[t] for t in themes if t in index.theme_ids})


def _retrieve(index: Index, normalized: str, allowed: Callable[[Card], bool], limit: int | None,
              ruled: Collection[str] = (), leaning: str | None = None,
              analysis: Analysis | None = None, only: Collection[int] | None = None) -> list[Candidate]:
    """Score themes, then the cards of the most promising themes first.

    Every card of a theme shares its theme's coverage and evidence; only its recall differs,
    and that is bounded too (by 1, by what the input's features can lift it to in the theme,
    by the theme's lightest example). So a theme's coverage bounds what any of its cards can
    score. Themes are read in the order of that bound, and reading stops once the `limit`-th
    best score beats the next bound: the cards left unread could not enter the list. Sums are
    made in the order of the input's features, as an exhaustive scan makes them, so scores
    agree with one to the last bit. Without `limit`, every theme is read.
    """
    # Words in nearly every theme ("you", "is") say almost nothing and have the longest lists.
    query = {feature: weight for feature, weight in (analysis or index.analyse(normalized)).features.items()
             if weight >= FAINT}
    query_total = sum(query.values())
    if not query_total or limit is not None and limit < 1:
        return []
    items = list(query.items())
    common = index.common if limit is not None else frozenset()
    # Per theme: [covered weight, recall reach, positions in `items` of the features it holds].
    shares: dict[int, list] = {}
    common_weight = common_reach = heavy_weight = 0.0
    common_positions: list[int] = []
    light_features: list[tuple[str, float]] = []
    postings, theme_lists, theme_share = index.postings, index.theme_lists, index.theme_share
    for position, (feature, weight) in enumerate(items):
        found = postings.get(feature)
        if found is None:
            continue
        if feature in common:
            common_weight += weight
            common_reach += index.reach[feature]
            common_positions.append(position)
            continue
        if common:
            if len(found) > LIGHT_POSTINGS:
                heavy_weight += weight
            else:
                light_features.append((feature, weight))
        themes, reaches = theme_lists.get(feature) or theme_share(feature, weight)
        for theme, reach in zip(themes, reaches):
            share = shares.get(theme)
            if share is None:
                shares[theme] = [weight, reach, position]
            else:
                share[0] += weight
                share[1] += reach
                share.append(position)
    reaches_by_theme = {theme: share[1] + common_reach for theme, share in shares.items()}
    if common and limit is not None and len(shares) > limit * LIGHT_WALK_THEMES:
        # Many themes to choose from: bound each more tightly. An example's recall is at most
        # what its light features give plus all the heavy ones could add; the best of that
        # over a theme's examples bounds the theme.
        heavy_weight += common_weight
        light: dict[int, float] = {}
        for feature, weight in light_features:
            for example in postings[feature]:
                light[example] = light.get(example, 0.0) + weight
        totals, heavy_mass, example_theme = index.example_total, index.heavy_mass, index.example_theme
        best_light: dict[int, float] = {}
        for example, weight in light.items():
            theme = example_theme[example]
            recall = (weight + min(heavy_mass[example], heavy_weight)) / totals[example]
            if recall > best_light.get(theme, 0.0):
                best_light[theme] = recall
        for theme in reaches_by_theme:
            unlit = min(index.theme_heavy_share[theme], heavy_weight / index.theme_min_total[theme])
            reaches_by_theme[theme] = min(reaches_by_theme[theme], max(best_light.get(theme, 0.0), unlit))
    leaning_theme = index.theme_ids.get(leaning) if leaning else None

    def bound(theme: int | None, covered: float, recall: float = 1.0) -> float:
        if theme is not None:
            recall = min(recall, covered / index.theme_min_total[theme])
        score = 100 * (RECALL_WEIGHT * recall + COVERAGE_WEIGHT * covered / query_total
                       + EVIDENCE_WEIGHT * (1 - math.exp(-covered / EVIDENCE_SCALE))) + BOUND_MARGIN
        return min(RULE_SCORE, score + CONTEXT_BONUS) if theme is not None and theme == leaning_theme else score

    best: list[tuple[float, str, int, int, str]] = []  # (-score, card id, card, nearest example, via)
    floor = -math.inf  # the limit-th best score so far, once there are `limit`

    def read(theme: int, positions: list[int]) -> None:
        nonlocal floor
        _score_theme(index, theme, items, positions, query_total, allowed, ruled, theme == leaning_theme,
                     best, floor)
        if limit is not None and len(best) >= limit:
            best.sort()
            del best[limit:]
            floor = -best[-1][0]

    ordered = sorted(((bound(theme, share[0] + common_weight, reaches_by_theme[theme]), theme)
                      for theme, share in shares.items()), reverse=True)
    for ceiling, theme in ordered:
        if ceiling < floor:
            break
        if only is not None and theme not in only:
            continue
        positions = shares[theme][2:]
        if common_positions:
            masks = index.common_masks
            positions = sorted(positions + [at for at in common_positions if masks[items[at][0]] >> theme & 1])
        read(theme, positions)

    if common_positions:
        # Themes reached only through common features: an example's recall there is at most
        # the common share of its weight. Cards that cannot reach the threshold could only be
        # low runners-up, and finding them would mean walking the long lists, so they are left.
        first = [leaning_theme] if leaning_theme is not None and leaning_theme not in shares else []
        rest = (theme for theme in index.themes_by_heavy_share if theme not in shares and theme != leaning_theme)
        for theme in chain(first, rest):
            if only is not None and theme not in only:
                continue
            common_share = min(index.theme_heavy_share[theme], common_reach)
            if theme != leaning_theme and bound(None, common_weight, common_share) < max(floor, THRESHOLD):
                break  # themes come by common share: no later one can do better
            if bound(theme, common_weight, common_share) >= max(floor, THRESHOLD):
                read(theme, [at for at in common_positions if index.common_masks[items[at][0]] >> theme & 1])

    best.sort()
    if limit is not None:
        del best[limit:]
    return [Candidate(index.cards[card], -negative, via, example=index.example_text[example], example_id=example)
            for negative, _, card, example, via in best]


def _score_theme(index: Index, theme: int, items: list[tuple[str, float]], positions: list[int],
                 query_total: float, allowed: Callable[[Card], bool], ruled: Collection[str], leaning: bool,
                 best: list[tuple[float, str, int, int, str]], floor: float) -> None:
    """Every open card of one theme, scored exactly, added to `best` when it can matter."""
    start, end = index.theme_range[theme]
    postings = index.postings
    covered = 0.0
    shared: defaultdict[int, float] = defaultdict(float)  # in the order examples are first reached
    for position in positions:  # ascending: the input's feature order
        feature, weight = items[position]
        found = postings[feature]
        low = bisect_left(found, start)
        high = bisect_left(found, end, low)
        if low == high:
            continue
        covered += weight
        for example in found[low:high]:
            shared[example] += weight
    recall: dict[int, float] = {}
    nearest: dict[int, int] = {}
    totals, example_card = index.example_total, index.example_card
    for example, weight in shared.items():
        number = example_card[example]
        ratio = weight / totals[example]
        if ratio > recall.get(number, -1.0):  # the first example reached wins a tie, as it always has
            recall[number], nearest[number] = ratio, example
    coverage = COVERAGE_WEIGHT * covered / query_total
    evidence = EVIDENCE_WEIGHT * (1 - math.exp(-covered / EVIDENCE_SCALE))
    cards = index.cards
    for position, card_recall in recall.items():
        card = cards[position]
        score = round(100 * (RECALL_WEIGHT * card_recall + coverage + evidence), 2)
        via = "retrieval"
        if leaning:
            score, via = min(RULE_SCORE - 1, score + CONTEXT_BONUS), "context"
        if score < floor or card.id in ruled or not allowed(card):
            continue
        best.append((-score, card.id, position, nearest[position], via))


@dataclass(frozen=True)
class Verdict:
    """Which candidate answers (None: the fallback), and the better-scored ones refused, with why."""

    chosen: Candidate | None
    refused: tuple[tuple[Candidate, str], ...] = ()


def evidence_gap(index: Index, analysis: Analysis, candidate: Candidate) -> str | None:
    """Why a retrieved card is not about the line (None when it is): it matched only frame
    words, most of what the line is about lies outside its theme, or the line reads like one of
    the card's counter-examples."""
    if candidate.via == "rule":
        return None
    features, topical = analysis.features, analysis.topical
    if not topical:  # nothing but frame and small words ("what do i do?"): only a near-exact match is about it
        return None if candidate.score >= CONFIDENT else "the line has only frame and small words, and matched none closely"
    total = sum(topical.values())
    held = [feature for feature in topical if index.card_holds(candidate.card.id, feature)]
    covered = sum(topical[feature] for feature in held)
    if not held:
        framing = [feature for feature in features if " " not in feature and index.is_frame(feature)
                   and index.card_holds(candidate.card.id, feature)]
        return f"only frame words matched: {' '.join(repr(word) for word in framing[:4]) or 'none'}"
    words = sum(1 for feature in features if " " not in feature and not feature.startswith(("~", "!")))
    needed = max(LEAST_COVERAGE, MIN_COVERAGE - COVERAGE_EASING * max(0, words - SHORT_LINE))
    if total and covered / total < needed:
        outside = [feature for feature in topical if feature not in held and " " not in feature
                   and not feature.startswith(("~", "!"))]
        return (f"most of the line is about something else ({100 * covered / total:.0f}% of it is "
                f"{candidate.card.theme}): {', '.join(repr(word) for word in outside[:3])}")
    if candidate.score < CONFIDENT and candidate.example_id >= 0:
        line, example = about(set(features)), index.example_about[candidate.example_id]
        asks = bool(analysis.words) and analysis.words[0] in ASKING  # "what colour is grass": trivia
        if line != example and (line == "neither" and asks or {line, example} == {"her", "them"}):
            return f"the line is about {ABOUT[line]}, the card's example about {ABOUT[example]}"
    position = index.positions.get(candidate.card.id)
    me, you = index.card_person.get(position, (False, False)) if position is not None else (False, False)
    if me and ME.isdisjoint(features) or you and YOU.isdisjoint(features):
        return f"every example of it is about {'the person' if me else 'her'}, and the line is not"
    return counter_match(index, features, candidate)


def counter_match(index: Index, features: Mapping[str, float], candidate: Candidate,
                  mine: float | None = None) -> str | None:
    """The card's counter-example the line is as near to as to the card's own example (or to
    `mine`, a likeness already known), if any."""
    position = index.positions.get(candidate.card.id)
    if position is None or position not in index.counters:
        return None
    likeness, text = index.nearest_counter(position, features)
    if not text or likeness < COUNTER_FLOOR:
        return None
    if mine is None:
        mine = index.likeness(features, candidate.example_id) if candidate.example_id >= 0 else 0.0
    return f"it reads like the card's counter-example {text!r}" if likeness >= mine else None


def decide(index: Index, analysis: Analysis, ranked: list[Candidate]) -> Verdict:
    """The best candidate that is about the line and not a guess between two themes, else None.

    Below the threshold nothing answers. A retrieved card must rest on the line's topical
    words (evidence_gap); when the best two themes that do are about equally good and neither
    is sure, she falls back rather than guess (as Rasa's FallbackClassifier's ambiguity_threshold).
    """
    refused: list[tuple[Candidate, str]] = []
    best: Candidate | None = None
    rival: Candidate | None = None
    for candidate in ranked:
        if candidate.via != "rule" and candidate.score < THRESHOLD:
            break
        if best is not None and (candidate.theme == best.theme or best.score >= CONFIDENT
                                 or best.score - candidate.score >= AMBIGUITY):
            if best.score >= CONFIDENT or best.score - candidate.score >= AMBIGUITY:
                break  # no later candidate can make it a guess
            continue
        gap = evidence_gap(index, analysis, candidate)
        if gap:
            refused.append((candidate, gap))
        elif best is None:
            best = candidate
        else:
            rival = candidate
            break
    if best is None:
        return Verdict(None, tuple(refused))
    if (best.via != "rule" and rival is not None and best.score < CONFIDENT
            and best.score - rival.score < AMBIGUITY):
        refused.append((best, f"too close to call: {rival.card.id} ({rival.theme}) scored {rival.score:.1f}, "
                              f"within {AMBIGUITY:.0f} of {best.score:.1f}"))
        return Verdict(None, tuple(refused))
    return Verdict(best, tuple(refused))
