"""Built once per Engine: rules in specificity order, and weighted features of every example."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

from rapidfuzz import fuzz, process

from .model import Card
from .normalize import STOPWORDS, normalize, stem
from .patterns import Pattern, compile_all

# Spelling correction: only words this long, and only to a pack word at least this close.
CORRECT_MIN_LENGTH = 4
CORRECT_CUTOFF = 80.0
BIGRAM_WEIGHT = 0.6  # word pairs ("my name" vs "your name") count, less than single words
CONCEPT_WEIGHT = 1.2  # a concept names an idea the author grouped on purpose
UNKNOWN_DF = 1.0
NEGATORS = frozenset(stem(word) for word in ("not", "never", "no", "nobody", "nothing", "without", "hardly"))
NEGATION_SCOPE = 3  # words after a negator that it applies to  # a word no pack uses weighs like a word used by one theme


@dataclass(frozen=True)
class Rule:
    pattern: Pattern
    card: int  # position of the card in Index.cards


@dataclass(frozen=True)
class Analysis:
    """What matching needs to know of one normalised input."""

    words: tuple[str, ...]  # after spelling correction
    features: Mapping[str, float]  # feature -> weight


class Index:
    """Immutable once built; shared by every session of an Engine."""

    def __init__(self, cards: Sequence[Card], concepts: Mapping[str, tuple[str, ...]]):
        self.cards = tuple(cards)
        self.concepts = concepts
        self._concept_phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for name, phrases in concepts.items():
            for phrase in phrases:
                self._concept_phrases[tuple(stem(word) for word in phrase.split())].add(name)
        self._longest_phrase = max((len(key) for key in self._concept_phrases), default=1)

        self.rules = sorted(
            (Rule(pattern, position) for position, card in enumerate(self.cards)
             for pattern in compile_all(list(card.patterns), concepts)),
            key=lambda rule: rule.pattern.sort_key)

        vocabulary = {word for card in self.cards for text in card.examples + card.patterns
                      for word in _plain_words(text)}
        vocabulary |= {word for phrases in concepts.values() for phrase in phrases for word in phrase.split()}
        self.vocabulary = frozenset(vocabulary)
        self._vocabulary = sorted(vocabulary)
        self._stems = frozenset(stem(word) for word in vocabulary)
        self.correct = lru_cache(maxsize=4096)(self._correct)

        # Examples: which card each belongs to, and its feature set (weights come from the idf).
        self.example_card: list[int] = []
        self.example_text: list[str] = []  # as the author wrote it, for /why
        example_features: list[set[str]] = []
        for position, card in enumerate(self.cards):
            for example in card.examples:
                words = _normalized_words(example)
                self.example_card.append(position)
                self.example_text.append(example)
                example_features.append(set(self._raw_features(words)))

        # Rare words weigh more: document frequency counted over themes, not examples, so a
        # theme with many examples does not make its own words look common.
        themes_of: dict[str, set[str]] = defaultdict(set)
        for features, position in zip(example_features, self.example_card):
            for feature in features:
                themes_of[feature].add(self.cards[position].theme)
        self.theme_count = max(1, len({card.theme for card in self.cards if card.examples}))
        self.idf = {feature: self._idf(len(themes)) for feature, themes in themes_of.items()}
        self.unknown_idf = self._idf(UNKNOWN_DF)

        self.example_weights: list[dict[str, float]] = [
            {feature: self.weight(feature) for feature in features} for features in example_features]
        self.example_total = [sum(weights.values()) for weights in self.example_weights]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for example, features in enumerate(example_features):
            for feature in features:
                self.postings[feature].append(example)
        self.theme_features: dict[str, set[str]] = defaultdict(set)
        for example, features in enumerate(example_features):
            self.theme_features[self.cards[self.example_card[example]].theme] |= features

    def _idf(self, document_frequency: float) -> float:
        return math.log((self.theme_count + 1) / (document_frequency + 0.5))

    def weight(self, feature: str) -> float:
        base = self.idf.get(feature, self.unknown_idf)
        if feature.startswith("~"):
            return base * CONCEPT_WEIGHT
        if " " in feature:
            return base * BIGRAM_WEIGHT
        return base

    def _correct(self, word: str) -> str:
        """The pack word a misspelt word was meant to be; the word itself when it is known."""
        if (len(word) < CORRECT_MIN_LENGTH or not word.isalpha() or stem(word) in self._stems
                or word in STOPWORDS):
            return word
        best = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=CORRECT_CUTOFF)
        return best[0] if best else word

    def _raw_features(self, words: Sequence[str]) -> list[str]:
        stems = [stem(word) for word in words]
        features = list(stems)
        # Negation: "not very social" also yields "!social", so it is far from "very social".
        scope = 0
        for word in stems:
            if word in NEGATORS:
                scope = NEGATION_SCOPE
            elif scope:
                scope -= 1
                if word not in STOPWORDS:
                    features.append("!" + word)
        features += [f"{a} {b}" for a, b in zip(stems, stems[1:])]
        for size in range(1, min(self._longest_phrase, len(stems)) + 1):
            for start in range(len(stems) - size + 1):
                for name in self._concept_phrases.get(tuple(stems[start:start + size]), ()):
                    features.append("~" + name)
        return features

    def analyse(self, normalized: str) -> Analysis:
        words = tuple(self.correct(word) for word in normalized.split()[:200])
        features = {feature: self.weight(feature) for feature in self._raw_features(words)}
        return Analysis(words, features)


def _normalized_words(text: str) -> list[str]:
    return normalize(text).split()


def _plain_words(text: str) -> list[str]:
    return [word for word in _normalized_words(text) if word.isalpha()]
