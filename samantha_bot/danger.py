"""Danger first: whether a line (or a sentence of it) is about a person who may be in danger,
and which urgent card answers it, before any other card or follow-up, in every phase."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import chain
from typing import Iterable, Iterator, Mapping

from .index import Index
from .matcher import RULE_SCORE, Candidate, counter_match, match_rules, rank
from .model import Content
from .normalize import MAX_INPUT_CHARS, STOPWORDS, normalize, sentences, stem
from .patterns import tokenize, token_words


URGENT_LIKENESS = 0.5  # a line (or a sentence of it) this like an urgent example answers before all else
DISTINCTIVE_THEMES = 4  # a word in more themes than this is too common to send a sentence to the danger search


@dataclass(frozen=True)
class Urgency:
    """What the urgent cards of the loaded packs are, worked out once per Engine: their themes,
    the cues their patterns name, and the words and features a line must share to be like them."""

    themes: frozenset[str]  # themes of urgent cards
    calm: frozenset[str]  # every other theme the index holds
    cues: frozenset[str]  # "~concept" features their patterns name
    words: frozenset[str]  # the other content words of their patterns
    features: frozenset[str]  # every feature of their examples
    stems: frozenset[str]  # the words distinctive of them ("pills", not "tonight"), and their cues' words
    anchors: frozenset[str]  # a stem each cue phrase needs, its rarest: a sentence without one holds no cue
    by_theme: tuple[tuple[str, frozenset[str], float], ...]  # each theme, its examples' features, its lightest

    @property
    def lightest(self) -> float:
        """The lightest of their examples, for bounds."""
        return min((lightest for _, _, lightest in self.by_theme), default=1.0)

    @classmethod
    def of(cls, content: Content, index: Index) -> Urgency:
        urgent = [card for card in content.cards if card.urgent]
        themes = frozenset(card.theme for card in urgent)
        tokens = [token for card in urgent for pattern in card.patterns for token in tokenize(pattern)]
        by_theme = tuple((theme, frozenset(index.features_of(theme)), index.theme_min_total[index.theme_ids[theme]])
                         for theme in sorted(themes) if theme in index.theme_ids)
        features = frozenset().union(*(held for _, held, _ in by_theme))
        cue_words = {word for token in tokens if token.kind == "concept" for word in token_words(token, content.concepts)}
        distinctive = index.idf(DISTINCTIVE_THEMES)
        stems = frozenset(feature for feature in features if " " not in feature and not feature.startswith(("~", "!"))
                          and not index.is_frame(feature) and index.weights.get(feature, 0.0) >= distinctive) \
            | frozenset(stem(word) for word in cue_words if word not in STOPWORDS)
        return cls(themes, frozenset(theme for theme in index.themes if theme not in themes),
                   frozenset("~" + token.value for token in tokens if token.kind == "concept"),
                   frozenset(word for token in tokens if token.kind != "concept"
                             for word in token_words(token, content.concepts) if word not in STOPWORDS),
                   features, stems, _anchors(index, [phrase for token in tokens if token.kind == "concept"
                                                 for phrase in content.concepts.get(token.value, ())]),
                   by_theme)


def _anchors(index: Index, phrases: Iterable[str]) -> frozenset[str]:
    """One stem of each cue phrase, its rarest (a word no example has is rarer than any; a small
    word only if it has nothing else): a line that holds the phrase holds that stem ("kill
    myself" needs "kill")."""
    def rarity(word: str) -> tuple[bool, float]:
        return word not in STOPWORDS, index.weights.get(stem(word), math.inf)
    return frozenset(stem(max(phrase.split(), key=rarity)) for phrase in phrases if phrase.split())


def urgent_card(index: Index, urgency: Urgency, open_now: frozenset[str], raw: str,
                normalized: str, typed: str | None = None) -> Candidate | None:
    """The urgent card (a person who may be in danger) that this line is about, if any. The
    line, or one of its sentences, must hold a cue of one of the card's patterns, or be like one
    of its examples as a whole (and read as danger more than as anything else), and not be more
    like one of its counter-examples ("this traffic is killing me").

    `raw` is what is read of the message (its excerpt); `typed`, when longer, the whole of it:
    every sentence of that is read for danger, so a cry for help in the middle of a long
    message is heard."""
    # Most lines share too little with danger to be like it: a bound on the likeness (all the
    # shared weight, against the lightest example) says so without the search, for the whole
    # line and for any sentence of it (which shares no more than the whole).
    whole = index.analyse(normalized).features
    shared = sum(weight for feature, weight in whole.items() if feature in urgency.features)
    may_be = 2 * shared / (shared + urgency.lightest) >= URGENT_LIKENESS or cued(urgency, normalized, whole)
    pieces = sentences(raw)
    if typed is not None and typed != raw:
        pieces, may_be = sentences(typed[:MAX_INPUT_CHARS]), True  # the excerpt bounds none of those it leaves out
    if not may_be:
        return None
    best: Candidate | None = None
    for part in chain([normalized], _worth_reading(urgency, normalized, map(normalize, pieces))):
        found = _in_part(index, urgency, open_now, part, part == normalized, best.score if best else -1.0)
        if found is not None and (best is None or found.score > best.score):
            best = found
            if best.score >= RULE_SCORE:
                break  # a rule's score: no later sentence scores more
    return best


def _worth_reading(urgency: Urgency, line: str, parts: Iterable[str]) -> Iterator[str]:
    """The sentences of a line worth reading for danger, once each and not the line itself: those
    that may hold a cue come first (a cue's rule is the surest sign, and a rule's score ends the
    reading), as they are met; then the others with a word distinctive of danger. A sentence
    with none, nor a cue's word, cannot be like danger. `parts` are read only as far as needed."""
    seen, later = {line}, []
    for part in parts:
        if not part or part in seen:
            continue
        seen.add(part)
        words = part.split()
        stems = set(map(stem, words))
        if urgency.stems.isdisjoint(stems):
            continue
        if urgency.anchors.isdisjoint(stems) and urgency.words.isdisjoint(words):
            later.append(part)
        else:
            yield part
    yield from later


def _in_part(index: Index, urgency: Urgency, open_now: frozenset[str], part: str, whole: bool,
             beat: float = -1.0) -> Candidate | None:
    """The urgent card one part of a line reads as, if any, when it scores more than `beat` (what
    another part of the line scored). The whole line is read closely; a sentence of it as typed
    (spelling aside), which keeps a long message as quick as a short one."""
    features = index.analyse(part).features if whole else index.rough(part)
    shared = sum(weight for feature, weight in features.items() if feature in urgency.features)
    most = 2 * shared / (sum(features.values()) + urgency.lightest)  # the likeness no example exceeds
    cue = cued(urgency, part, features)
    reachable = most >= URGENT_LIKENESS and (cue or round(100 * most, 2) > beat)
    # Only with a cue is the nearest example wanted however unlike (it picks among the rules).
    at_least = 0.0 if cue else URGENT_LIKENESS
    likeness, example = max((index.nearest_in(theme, features, at_least) for theme in _reachable(urgency, features, cue)),
                            default=(0.0, -1)) if reachable else (0.0, -1)
    ruled = match_rules(index, part, lambda card: card.urgent and card.id in open_now) if cue else []
    if ruled:  # a cue: danger unless the line is nearer a counter-example than any example
        nearest_card = index.cards[index.example_card[example]].id if example >= 0 else ""
        chosen = next((rule for rule in ruled if rule.card.id == nearest_card), ruled[0])
        found = replace(chosen, example=index.example_text[example] if example >= 0 else "")
    elif example >= 0 and likeness >= URGENT_LIKENESS:
        if round(100 * likeness, 2) <= beat:
            return None  # another part of the line is more like danger
        card = index.cards[index.example_card[example]]
        # Without a cue, the line must also read as danger more than as anything else.
        top = rank(index, part, lambda other: (other.urgent or other.id in open_now) and not other.remember, limit=1)
        if card.id not in open_now or not top or not top[0].card.urgent:
            return None
        found = Candidate(card, round(100 * likeness, 2), "retrieval", example=index.example_text[example],
                          example_id=example)
    else:
        return None
    return found if counter_match(index, features, found, likeness) is None else None


def _reachable(urgency: Urgency, features: Mapping[str, float], cue: bool) -> list[str]:
    """The urgent themes worth searching for a line: all of them with a cue, else those with an
    example the line may be URGENT_LIKENESS like (its weight shared with the theme, against the
    theme's lightest example, bounds that)."""
    if cue:
        return [theme for theme, _, _ in urgency.by_theme]
    total = sum(features.values())
    return [theme for theme, held, lightest in urgency.by_theme
            if 2 * sum(weight for feature, weight in features.items() if feature in held) / (total + lightest)
            >= URGENT_LIKENESS]


def cued(urgency: Urgency, normalized: str, features: Mapping[str, float]) -> bool:
    """Whether a line holds a cue an urgent card's patterns name, or one of their own words."""
    return not urgency.cues.isdisjoint(features) or not urgency.words.isdisjoint(normalized.split())
