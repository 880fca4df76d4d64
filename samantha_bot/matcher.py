"""Normalised text + which cards are open -> ranked candidates: rules, then retrieval, then fallback."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Callable, Collection, Mapping

from . import retrieval
from .index import ME, YOU, Analysis, Index, about
from rapidfuzz import fuzz, process

from .model import Card
from .normalize import normalize
from .retrieval import RULE_SCORE

THRESHOLD = 35.0  # below this, nothing matched: the fallback answers (tuned on ../shared/probes/dev.yaml)
CONTEXT_WORDS = 8  # a line this short leans towards the theme she spoke from last
# Evidence: a card answers only when the line is about what the card is about.
MIN_COVERAGE = 0.5  # of a short line's topical weight, the share the card's theme must explain
COVERAGE_EASING = 0.02  # less for each word past SHORT_LINE: a long story holds more than its topic
SHORT_LINE = 8
LEAST_COVERAGE = 0.25
AMBIGUITY = 3.0  # two themes this close are a guess: she falls back (Rasa's ambiguity_threshold)
CONFIDENT = 70.0  # a score this high is not a guess, however close the next theme
SLIP_RATIO = 92.0  # a line this like an example letter by letter (fuzz.ratio) is that example mistyped
SLIP_WORD = 60.0  # a word a line has and its example lacks is a slip when this like one of the example's (fuzz.ratio)
SLIP_LENGTH = 8  # a shorter line is too near too many others to be taken for a slip of one
SLIP_SOURCES = 2  # examples sharing one of the line's rarest this many features are compared with it
SLIP_CANDIDATES = 2000  # examples holding them beyond this: the line's words are too common to tell
COUNTER_FLOOR = 0.35  # a counter-example less like the line than this does not refuse a card
ASKING = frozenset("what who whom whose where when why how which is are was were does do did can could will would "
                   "should name list tell give".split())
ASKS_HER = ASKING | frozenset("have has had am".split())  # "have you ever been to york?" asks too
ABOUT = {"her": "her", "them": "the person", "both": "both of them", "neither": "neither of them"}


@dataclass(frozen=True)
class Candidate:
    """A card that could answer, how well the input matched it, and by which route."""

    card: Card
    score: float
    via: str  # "rule" | "retrieval" | "context" | "slip" | "fallback" | "followup" | "setup"
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
    """Open cards scored by the words they share with the input, best first (the best `limit`)."""
    return _retrieved(index, retrieval.Query.of(index, index.analyse(normalized), allowed), limit)


def rank(index: Index, normalized: str, allowed: Callable[[Card], bool],
         recent_theme: str | None = None, limit: int | None = None,
         analysis: Analysis | None = None, themes: Collection[str] | None = None,
         floor: float = -math.inf, on_topic: bool = False,
         scored: retrieval.Scored | None = None) -> list[Candidate]:
    """Rules first, then retrieval (one candidate per card); the caller handles the fallback.

    A short line leans towards the theme she was just talking about ("why did you pick it?"
    after her name), as people lean on what was just said. With `limit`, only the best `limit`
    candidates scoring `floor` or more, exactly the head of the full list, found without
    scoring the rest. With `themes`, only cards of those themes are read (the urgent ones, say).
    With `on_topic`, only retrieved cards that pass the first test of evidence_gap: those that
    share a word of what the line is about, or score CONFIDENT; no other can answer it.
    With `scored`, a ranking of more cards of the same line, with the same arguments and a floor
    as high or higher, goes on from where the last left off (retrieval.Scored).
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
    analysis = analysis or index.analyse(normalized)
    query = retrieval.Query.of(index, analysis, open_card, {candidate.card.id for candidate in rules},
                               index.theme_ids.get(leaning) if leaning else None,
                               None if themes is None else _theme_numbers(index, frozenset(themes)),
                               topic_of(analysis) if on_topic else None)
    return rules + _retrieved(index, query, None if limit is None else limit - len(rules), floor, scored)


@lru_cache(maxsize=4)
def _theme_numbers(index: Index, themes: frozenset[str]) -> frozenset[int]:
    """The index's numbers of these themes: worked out once for a set asked for on every reply
    (every calm theme, with the persona's thousands and a pack's)."""
    return frozenset(index.theme_ids[theme] for theme in themes if theme in index.theme_ids)


def _retrieved(index: Index, query: retrieval.Query, limit: int | None,
               floor: float = -math.inf, scored: retrieval.Scored | None = None) -> list[Candidate]:
    hits = retrieval.scan(index, query) if limit is None else retrieval.top(index, query, limit, floor, scored)
    return [Candidate(index.cards[hit.position], hit.score, hit.via, example=index.example_text[hit.example],
                      example_id=hit.example) for hit in hits]


@dataclass(frozen=True)
class Verdict:
    """Which candidate answers (None: the fallback), and the better-scored ones refused, with why."""

    chosen: Candidate | None
    refused: tuple[tuple[Candidate, str], ...] = ()
    settled: bool = True  # False when more candidates than those read could change it


def slipped(index: Index, normalized: str, analysis: Analysis, allowed: Callable[[Card], bool]) -> Candidate | None:
    """The open card one of whose examples the line is, letter for letter but for a slip or
    two of typing that spelling correction could not mend ("i do not now sound", "this inter"):
    what a line that nothing answered, or a card answered less nearly, may still be. Examples
    sharing one of the line's rarest features are compared with it (rapidfuzz's ratio); the
    words it has that they lack must be slips of theirs, and none of the card's counter-examples
    may be as near."""
    if len(normalized) < SLIP_LENGTH:
        return None
    postings = index.postings
    rarest = sorted((feature for feature in analysis.features if feature in postings),
                    key=lambda feature: len(postings[feature]))[:SLIP_SOURCES]
    while rarest and sum(len(postings[feature]) for feature in rarest) > SLIP_CANDIDATES:
        rarest.pop()  # the rarest alone, if the two together are held by too many examples
    if not rarest:
        return None  # nothing shared, or only words too common to say which example was meant
    examples = sorted({example for feature in rarest for example in postings[feature]})
    found = process.extract(normalized, [index.example_normalized[example] for example in examples],
                            scorer=fuzz.ratio, score_cutoff=SLIP_RATIO, limit=SLIP_CANDIDATES)
    example, likeness = next(((examples[at], likeness) for text, likeness, at in found
                              if _mistyped(normalized, text) and allowed(index.cards[index.example_card[examples[at]]])),
                             (-1, 0.0))
    if example < 0:
        return None
    card = index.cards[index.example_card[example]]
    counters = [normalize(text) for text in card.counter]
    if counters and process.extractOne(normalized, counters, scorer=fuzz.ratio, score_cutoff=likeness) is not None:
        return None
    return Candidate(card, round(likeness, 2), "slip", example=index.example_text[example], example_id=example)


def slip_or(index: Index, normalized: str, answer: Candidate | None,
            allowed: Callable[[Card], bool]) -> Candidate | None:
    """The answer, or the card the line is an example of but for a slip (slipped) when that is
    what it means: nothing answered, or a card retrieved it less nearly than the slip is near
    and has no example as near letter by letter."""
    if answer is not None and (answer.via != "retrieval" or answer.score >= SLIP_RATIO):
        return answer  # a rule, a follow-up, or a card as sure as any slip could be
    slip = slipped(index, normalized, index.analyse(normalized), allowed)
    if slip is None or answer is not None and (slip.card is answer.card or slip.score <= answer.score
                                               or fuzz.ratio(normalized, normalize(answer.example)) >= slip.score):
        return answer
    return slip


def _mistyped(line: str, example: str) -> bool:
    """Whether the words a line has and an example lacks are slips of the example's own
    ("inter" for "winter", "tie" for "the"), not other words ("humans" for "me")."""
    said, meant = line.split(), example.split()
    theirs = [word for word in meant if word not in said]
    return all(any(fuzz.ratio(word, other) >= SLIP_WORD for other in theirs) for word in said if word not in meant)


def topic_of(analysis: Analysis) -> retrieval.Topic:
    """What a line is about, and how much of it a card must share (less for a long line: a long
    story holds more than its topic)."""
    words = sum(1 for feature in analysis.features
                if " " not in feature and not feature.startswith(("~", "!")))
    needed = max(LEAST_COVERAGE, MIN_COVERAGE - COVERAGE_EASING * max(0, words - SHORT_LINE))
    return retrieval.Topic(analysis.topical, needed, CONFIDENT)


def evidence_gap(index: Index, analysis: Analysis, candidate: Candidate) -> str | None:
    """Why a retrieved card is not about the line (None when it is): it matched only frame
    words, most of what the line is about lies outside its theme, or the line reads like one of
    the card's counter-examples."""
    if candidate.via == "rule":
        return None
    features, topic = analysis.features, topic_of(analysis)
    if not topic.weights:  # nothing but frame and small words ("what do i do?"): only a near-exact match is about it
        return None if candidate.score >= CONFIDENT else "the line has only frame and small words, and matched none closely"
    held = [feature for feature in topic.weights if index.card_holds(candidate.card.id, feature)]
    if not held:
        framing = [feature for feature in features if " " not in feature and index.is_frame(feature)
                   and index.card_holds(candidate.card.id, feature)]
        return f"only frame words matched: {' '.join(repr(word) for word in framing[:4]) or 'none'}"
    covered = topic.covered(held)
    if not topic.shared_enough(covered):
        outside = [feature for feature in topic.weights if feature not in held and " " not in feature
                   and not feature.startswith(("~", "!"))]
        return (f"most of the line is about something else ({100 * covered / topic.total:.0f}% of it is "
                f"{candidate.card.theme}): {', '.join(repr(word) for word in outside[:3])}")
    if candidate.score < CONFIDENT and candidate.example_id >= 0:
        line, example = about(set(features)), index.example_about[candidate.example_id]
        asks = bool(analysis.words) and analysis.words[0] in ASKING  # "what colour is grass": trivia
        if line != example and (line == "neither" and asks or {line, example} == {"her", "them"}):
            return f"the line is about {ABOUT[line]}, the card's example about {ABOUT[example]}"
        # "the house is too big now" tells; "do you have a house?" asks her: answering it would answer nobody.
        if line == "neither" and example == "her" and not asks \
                and index.example_normalized[candidate.example_id].partition(" ")[0] in ASKS_HER:
            return "the line tells something, the card's example asks about her"
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
    settled = False  # whether candidates after these could change nothing
    for candidate in ranked:
        if candidate.via != "rule" and candidate.score < THRESHOLD:
            settled = True
            break
        if best is not None and (candidate.theme == best.theme or best.score >= CONFIDENT
                                 or best.score - candidate.score >= AMBIGUITY):
            if best.score >= CONFIDENT or best.score - candidate.score >= AMBIGUITY:
                settled = True
                break  # no later candidate can make it a guess
            continue
        gap = evidence_gap(index, analysis, candidate)
        if gap:
            refused.append((candidate, gap))
        elif best is None:
            best = candidate
        else:
            rival, settled = candidate, True
            break
    settled = settled or best is not None and best.score >= CONFIDENT
    if best is None:
        return Verdict(None, tuple(refused), settled)
    if (best.via != "rule" and rival is not None and best.score < CONFIDENT
            and best.score - rival.score < AMBIGUITY):
        refused.append((best, f"too close to call: {rival.card.id} ({rival.theme}) scored {rival.score:.1f}, "
                              f"within {AMBIGUITY:.0f} of {best.score:.1f}"))
        return Verdict(None, tuple(refused), settled)
    return Verdict(best, tuple(refused), settled)
