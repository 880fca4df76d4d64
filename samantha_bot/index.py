"""Built once per Engine: rules in specificity order, and every example's weighted features, by theme."""
from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterator, Mapping, Sequence

from rapidfuzz.distance import OSA

from .model import Card
from .normalize import STOPWORDS, normalize, stem
from .patterns import Pattern, compile_all, tokenize
from .spelling import Speller, english_words

SHORT_ENGLISH = 3  # an English word this short is as often a slip ("now" for "know") as meant
SURE_LENGTH = 6  # shorter words are near many others ("flat", "flag"): corrected only with support in context
CONTEXT_WINDOW = 6  # words either side of a slip that can vouch for what it was meant to be
CONTEXT_WORDS = 4  # of those, the rarest this many
MEET_LIMIT = 64  # two words both in more examples than this are not checked for meeting in one
BIGRAM_WEIGHT = 0.6  # word pairs ("my name" vs "your name") count, less than single words
CONCEPT_WEIGHT = 1.2  # a concept names an idea the author grouped on purpose
UNKNOWN_DF = 1.0  # a word no pack uses weighs like a word used by one theme
NEGATORS = frozenset(stem(word) for word in ("not", "never", "no", "nobody", "nothing", "without", "hardly"))
NEGATION_SCOPE = 3  # words after a negator that it applies to
_NAMES = ""  # in the phrase tree, the key of the concepts a phrase ending there names (no stem is empty)
SHORT_POSTINGS = 8  # a feature in more examples than this has its themes listed by impact; fewer, read off them
# Whom a line is about, by its pronouns: her ("you"), the person ("I"), both, or neither.
YOU = frozenset("you your yours yourself".split())
ME = frozenset("i me my mine myself we us our ourselves".split())
PERSON_EVIDENCE = 6  # examples a card needs before "every example is about her" means something
ANALYSED = 256  # lines whose analysis is kept
FAINT = 0.1  # a feature weighing less than this (found in nearly every theme) is not read


@dataclass(frozen=True)
class Rule:
    pattern: Pattern
    card: int  # position of the card in Index.cards
    required: frozenset[str] = frozenset()  # words the input must hold for the pattern to match


@dataclass(frozen=True)
class Analysis:
    """What matching needs to know of one normalised input."""

    words: tuple[str, ...]  # after spelling correction
    features: Mapping[str, float]  # feature -> weight
    topical: Mapping[str, float]  # the features that say what it is about (Index.topical)


class Index:
    """Immutable once built; shared by every session of an Engine.

    Examples are numbered theme by theme (cards in order within a theme), so one theme's
    examples are one run of numbers and any feature's postings list, sorted, holds each
    theme's examples together: the matcher reads one theme's share with two bisections.
    """

    def __init__(self, cards: Sequence[Card], concepts: Mapping[str, tuple[str, ...]], frames: Sequence[str] = ()):
        self.cards = tuple(cards)
        self.concepts = concepts
        self.positions = {card.id: position for position, card in enumerate(self.cards)}
        self._analysed: dict[str, Analysis] = {}
        # Words that only frame a request ("can you write", "how many"): never evidence on their own.
        self.frame_stems = frozenset(stem(word) for phrase in frames for word in phrase.split()) \
            | frozenset(stem(word) for word in STOPWORDS) | STOPWORDS
        self._file_concepts(concepts)
        self._file_rules(concepts)
        normalized = {text: normalize(text) for card in self.cards for text in card.examples + card.patterns}
        vocabulary = {word for text in normalized.values() for word in text.split() if word.isalpha()}
        vocabulary |= {word for phrases in concepts.values() for phrase in phrases for word in phrase.split()}
        self.vocabulary = frozenset(vocabulary)
        example_features = self._number_examples(normalized)
        self._file_postings(example_features)
        self.speller = Speller(vocabulary, {word: len(self.postings.get(stem(word), ())) for word in vocabulary})
        self._weigh_examples(example_features)
        # Each example's features, one run each in one flat tuple: a theme of few examples is
        # scored by reading them, rather than by searching every feature of a long line.
        self.example_features = tuple(feature for features in example_features for feature in features)
        self.feature_start = array("i", [0])
        for features in example_features:
            self.feature_start.append(self.feature_start[-1] + len(features))
        del example_features
        self._order_by_impact()
        self._file_counters()
        self._file_whom(normalized)

    def _file_concepts(self, concepts: Mapping[str, tuple[str, ...]]) -> None:
        """Each concept's phrases as stems, to be found in a line's words."""
        self._concept_phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for name, phrases in concepts.items():
            for phrase in phrases:
                self._concept_phrases[tuple(stem(word) for word in phrase.split())].add(name)
        # The same as a tree of stems, word by word: a line's phrases are found without trying every length.
        self._phrase_tree: dict[str, Any] = {}
        for key, names in self._concept_phrases.items():
            node = self._phrase_tree
            for word in key:
                node = node.setdefault(word, {})
            node[_NAMES] = names

    def _file_rules(self, concepts: Mapping[str, tuple[str, ...]]) -> None:
        """Rules in specificity order, each filed under one of the words it needs (the one fewest
        rules need), so a line is tried only against the rules whose word it has, and those that
        need no word."""
        self.rules = sorted(
            (Rule(pattern, position, _required_words(pattern.source)) for position, card in enumerate(self.cards)
             for pattern in compile_all(list(card.patterns), concepts)),
            key=lambda rule: rule.pattern.sort_key)
        needing: defaultdict[str, int] = defaultdict(int)
        for rule in self.rules:
            for word in rule.required:
                needing[word] += 1
        keyed: defaultdict[str, list[int]] = defaultdict(list)
        free = []
        for position, rule in enumerate(self.rules):
            if rule.required:
                keyed[min(rule.required, key=lambda word: (needing[word], word))].append(position)
            else:
                free.append(position)
        self.rules_by_word = {word: tuple(positions) for word, positions in keyed.items()}
        self.free_rules = tuple(free)

    def _number_examples(self, normalized: Mapping[str, str]) -> list[dict[str, None]]:
        """Themes in order of first appearance, each theme's examples (cards in order within it)
        one run of numbers; each example's features once each, in the order they occur (sums over
        them come out the same in every process: a set's order follows string hashes)."""
        self.themes: tuple[str, ...] = tuple(dict.fromkeys(card.theme for card in self.cards if card.examples))
        self.theme_ids = {theme: number for number, theme in enumerate(self.themes)}
        self.theme_count = max(1, len(self.themes))
        by_theme: dict[str, list[int]] = defaultdict(list)
        for position, card in enumerate(self.cards):
            if card.examples:
                by_theme[card.theme].append(position)
        example_card: list[int] = []
        example_theme: list[int] = []
        self.example_text: list[str] = []  # as the author wrote it, for /why
        theme_starts = array("i")
        self.card_range = Spans(len(self.cards))  # a card without examples has an empty one
        card_starts, card_ends = self.card_range.starts, self.card_range.ends
        for number, theme in enumerate(self.themes):
            theme_starts.append(len(example_card))
            for position in by_theme[theme]:
                examples = self.cards[position].examples
                card_starts[position] = len(example_card)
                example_card += [position] * len(examples)
                card_ends[position] = len(example_card)
                self.example_text += examples
            example_theme += [number] * (len(example_card) - theme_starts[-1])
        theme_starts.append(len(example_card))
        self.example_card, self.example_theme = array("i", example_card), array("i", example_theme)
        self.theme_range = Runs(theme_starts)
        self.example_normalized: list[str] = [normalized[text] for text in self.example_text]  # as a line is read
        stems: dict[str, str] = {}
        example_features: list[dict[str, None]] = []
        for text in self.example_normalized:
            roots = [stems.get(word) or stems.setdefault(word, stem(word)) for word in text.split()]
            example_features.append(dict.fromkeys(self._raw_features(roots)))
        return example_features

    def _file_postings(self, example_features: Sequence[Mapping[str, None]]) -> None:
        """Each feature's examples, in order, and its weight. Rare words weigh more: document
        frequency is counted over themes, not examples, so a theme with many examples does not
        make its own words look common."""
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for example, features in enumerate(example_features):
            for feature in features:
                postings[feature].append(example)
        self.unknown_idf = self.idf(UNKNOWN_DF)
        self.postings: dict[str, Sequence[int]] = {}  # compact arrays: a big pack has millions of entries
        self.weights: dict[str, float] = {}
        theme_of = self.example_theme.__getitem__
        idf = [self.idf(count) for count in range(self.theme_count + 1)]
        for feature, found in postings.items():
            self.postings[feature] = array("i", found)
            # Examples come theme by theme; most features are in one example only.
            themes = 1 if len(found) == 1 else len(dict.fromkeys(map(theme_of, found)))
            self.weights[feature] = self._kind_weight(feature, idf[themes])

    def _weigh_examples(self, example_features: Sequence[Mapping[str, None]]) -> None:
        """Each example's total weight, and each theme's lightest: what recall is a share of; and
        the weight each theme holds in all.
        Features in nearly every theme are not read (FAINT), so they weigh nothing here either."""
        weights = self.weights
        read: list[float] = []  # each example's weight of the features read
        self.example_total = array("d")
        for features in example_features:
            found = [weights[feature] for feature in features]
            read.append(sum([weight for weight in found if weight >= FAINT]))
            self.example_total.append(read[-1] or sum(found) or 1.0)
        totals = self.example_total
        self.theme_min_total = [(totals[start] if totals[start] > 0 else 1.0) if end - start == 1 else
                                min((totals[e] for e in range(start, end) if totals[e] > 0), default=1.0)
                                for start, end in self.theme_range]
        # The most of any line a theme can hold: the weight of all its features read, once each.
        self.theme_weight = array("d", (read[start] if end - start == 1 else self._weight_read(example_features, start, end)
                                        for start, end in self.theme_range))

    def _weight_read(self, example_features: Sequence[Mapping[str, None]], start: int, end: int) -> float:
        """The weight of the features read (FAINT or more) of a run of examples, once each."""
        features = dict.fromkeys(feature for example in range(start, end) for feature in example_features[example])
        weights = self.weights
        return sum(weight for weight in map(weights.__getitem__, features) if weight >= FAINT)

    def _order_by_impact(self) -> None:
        """Of features in many examples, the themes holding them, those the feature lifts most
        first, with how far (its weight over the lightest example holding it there): the lists a
        top-k search walks from the top and leaves early. Shorter lists are made when asked (impact)."""
        self._impact: dict[str, tuple[array, array]] = {}
        for feature, found in self.postings.items():
            if len(found) > SHORT_POSTINGS:
                themes, reaches = self._reaches(found, self.weights[feature])
                ordered = sorted(range(len(themes)), key=reaches.__getitem__, reverse=True)
                self._impact[feature] = (array("i", map(themes.__getitem__, ordered)),
                                         array("d", map(reaches.__getitem__, ordered)))

    def _file_counters(self) -> None:
        """What each card is not about: its counter-examples' features, weighed like an input's,
        and which of them hold each feature, so a line is compared only with those it shares one with."""
        self.counters: dict[int, tuple[tuple[str, Mapping[str, float]], ...]] = {
            position: tuple((text, self.analyse(normalize(text)).features) for text in card.counter)
            for position, card in enumerate(self.cards) if card.counter}
        self.counter_postings: dict[int, dict[str, tuple[int, ...]]] = {}
        for position, counters in self.counters.items():
            holding: defaultdict[str, list[int]] = defaultdict(list)
            for number, (_, counter_features) in enumerate(counters):
                for feature in counter_features:
                    holding[feature].append(number)
            self.counter_postings[position] = {feature: tuple(found) for feature, found in holding.items()}
        self.counter_totals = {position: tuple(sum(features.values()) for _, features in counters)
                               for position, counters in self.counters.items()}

    def _file_whom(self, normalized: Mapping[str, str]) -> None:
        """Whom each example is about, and each card, when every one of its examples says so: the
        person ("what do I like?") or her ("do you dream?"). A line about the other is not for it."""
        self.example_about = [about(set(normalized[text].split())) for text in self.example_text]
        self.card_person: dict[int, tuple[bool, bool]] = {}
        for position, card in enumerate(self.cards):
            if len(card.examples) >= PERSON_EVIDENCE:
                said = [about(set(normalized[example].split())) for example in card.examples]
                self.card_person[position] = (all(who in ("them", "both") for who in said),
                                              all(who in ("her", "both") for who in said))

    # The analyses kept are a cache: not part of what is saved.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_analysed"] = {}
        return state

    def impact(self, feature: str, weight: float) -> tuple[Sequence[int], Sequence[float]]:
        """The themes holding a known feature, and how far it can lift recall in each (its weight
        over the lightest example holding it there), the most lifted first."""
        listed = self._impact.get(feature)
        if listed is not None:
            return listed
        themes, reaches = self._reaches(self.postings[feature], weight)
        if len(themes) == 1:
            return themes, reaches
        ordered = sorted(range(len(themes)), key=reaches.__getitem__, reverse=True)
        return [themes[at] for at in ordered], [reaches[at] for at in ordered]

    def _reaches(self, found: Sequence[int], weight: float) -> tuple[list[int], list[float]]:
        """The themes of a feature's examples, in order, and its most lift in each."""
        if self.theme_count == len(self.example_card):  # a theme an example: nothing to take the most of
            return list(map(self.example_theme.__getitem__, found)), \
                [weight / total for total in map(self.example_total.__getitem__, found)]
        themes, reaches = [self.example_theme[found[0]]], [0.0]
        for example in found:
            lift = weight / self.example_total[example]
            if self.example_theme[example] != themes[-1]:
                themes.append(self.example_theme[example])
                reaches.append(lift)
            elif lift > reaches[-1]:
                reaches[-1] = lift
        return themes, reaches

    def idf(self, document_frequency: float) -> float:
        """The weight of a word found in this many themes."""
        return math.log((self.theme_count + 1) / (document_frequency + 0.5))

    @staticmethod
    def _kind_weight(feature: str, base: float) -> float:
        if feature.startswith("~"):
            return base * CONCEPT_WEIGHT
        if " " in feature:
            return base * BIGRAM_WEIGHT
        return base

    def is_frame(self, feature: str) -> bool:
        """Whether a feature is made only of frame words (and small words): not evidence of a theme."""
        if feature.startswith("~"):
            return False
        if " " not in feature:
            return feature.lstrip("!") in self.frame_stems
        return all(word.lstrip("!") in self.frame_stems for word in feature.split())

    def topical(self, features: Mapping[str, float]) -> dict[str, float]:
        """The features that say what a line is about: none, for a line made only of frame and
        small words ("who made you?", "ok"), which only a near-exact match answers."""
        # Word pairs are left out: each word of the line is weighed once, by itself.
        frames = self.frame_stems
        found = {feature: weight for feature, weight in features.items()
                 if " " not in feature and (feature[0] == "~" or feature.lstrip("!") not in frames)}
        return found

    def nearest_counter(self, position: int, features: Mapping[str, float]) -> tuple[float, str]:
        """The card's counter-example most like a line, and how alike (Dice over weights)."""
        counters = self.counters.get(position)
        if not counters:
            return 0.0, ""
        postings = self.counter_postings[position]
        shared: dict[int, float] = {}
        for feature, weight in features.items():
            for number in postings.get(feature, ()):
                shared[number] = shared.get(number, 0.0) + weight
        total = sum(features.values())
        best, text = 0.0, ""
        totals = self.counter_totals[position]
        for number, weight in shared.items():
            likeness = 2 * weight / (total + totals[number])
            if likeness > best:
                best, text = likeness, counters[number][0]
        return best, text

    def likeness(self, features: Mapping[str, float], example: int) -> float:
        """How alike a line and one example are (Dice over weights, 0..1), read off the postings."""
        shared = 0.0
        for feature, weight in features.items():
            found = self.postings.get(feature)
            if found:
                at = bisect_left(found, example)
                if at < len(found) and found[at] == example:
                    shared += weight
        return 2 * shared / (sum(features.values()) + self.example_total[example])

    def features_of(self, theme: str) -> set[str]:
        """Every feature some example of a theme has."""
        number = self.theme_ids.get(theme)
        if number is None:
            return set()
        start, end = self.theme_range[number]
        found = set()
        for feature, examples in self.postings.items():
            at = bisect_left(examples, start)
            if at < len(examples) and examples[at] < end:
                found.add(feature)
        return found

    def nearest_in(self, theme: str, features: Mapping[str, float], at_least: float = 0.0) -> tuple[float, int]:
        """The example of a theme most like a line, and how alike (Dice over weights, 0..1):
        the whole line against the whole example, so a few shared words in a long line, or a
        long example sharing a few of the line's words, do not make them alike. With `at_least`,
        (0.0, -1) unless some example is that alike, and only examples that could be are read."""
        number = self.theme_ids.get(theme)
        if number is None:
            return 0.0, -1
        start, end = self.theme_range[number]
        total = sum(features.values())
        if at_least > 0.0:
            return self._nearest_reaching(number, features, total, at_least)
        shared: dict[int, float] = {}
        for feature, weight in features.items():
            found = self.postings.get(feature, ())
            low = bisect_left(found, start)
            for example in found[low:bisect_left(found, end, low)]:
                if example in shared:
                    shared[example] += weight
                else:
                    shared[example] = weight
        return self._most_alike(shared, total)

    def _most_alike(self, shared: Mapping[int, float], total: float) -> tuple[float, int]:
        """Of examples with their shared weight, in the order met, the first most like the line."""
        best, nearest = 0.0, -1
        for example, weight in shared.items():
            likeness = 2 * weight / (total + self.example_total[example])
            if likeness > best:
                best, nearest = likeness, example
        return best, nearest

    def _nearest_reaching(self, theme: int, features: Mapping[str, float], total: float,
                          at_least: float) -> tuple[float, int]:
        """nearest_in for examples at least `at_least` alike (MaxScore): such an example shares
        at least `need` of the line's weight, so holds one of the features left once the lightest,
        which together weigh less than that, are set aside."""
        start, end = self.theme_range[theme]
        need = at_least * (total + self.theme_min_total[theme]) / 2
        light, left_out = 0.0, set()
        for feature, weight in sorted(features.items(), key=lambda item: item[1]):
            if light + weight >= need * (1 - 1e-9):
                break
            light += weight
            left_out.add(feature)
        reached: dict[int, float] = {}  # the examples holding a feature not set aside: what they share of those
        for feature, weight in features.items():
            if feature not in left_out:
                found = self.postings.get(feature, ())
                low = bisect_left(found, start)
                for example in found[low:bisect_left(found, end, low)]:
                    reached[example] = reached.get(example, 0.0) + weight
        bounds, flat, totals = self.feature_start, self.example_features, self.example_total
        met = []
        for example, most in reached.items():
            if 2 * (most + light) < at_least * (total + totals[example]) * (1 - 1e-9):  # with all set aside
                continue  # cannot be so alike
            holds = set(flat[bounds[example]:bounds[example + 1]])
            weight, first = 0.0, -1
            for at, (feature, value) in enumerate(features.items()):  # summed in the line's order, as nearest_in sums
                if feature in holds:
                    weight += value
                    first = at if first < 0 else first
            met.append((first, example, weight))
        met.sort()  # in the order nearest_in meets them (by the first feature each holds), so a tie goes the same way
        shared = {example: weight for _, example, weight in met}
        best, nearest = self._most_alike(shared, total)
        return (best, nearest) if best >= at_least else (0.0, -1)

    def card_holds(self, card_id: str, feature: str) -> bool:
        """Whether any example of a card has the feature."""
        position = self.positions.get(card_id)
        if position is None:
            return False
        found = self.postings.get(feature, ())
        start, end = self.card_range[position]
        at = bisect_left(found, start)
        return at < len(found) and found[at] < end

    def correct(self, word: str) -> str:
        """The pack word a misspelt word was most likely meant to be, out of context; the word
        itself when it is known or nothing is near."""
        nearest = self.speller.nearest(word)
        return nearest[0] if nearest else word

    def _in_context(self, typed: str, options: Sequence[str], words: Sequence[str], at: int,
                    unsure: Sequence[bool]) -> str | None:
        """Of near pack words for words[at], the one found in examples with most of the input's
        other words, and next to its neighbours (by weight), as a reader guesses a slip from the
        words around it; None when no option has any support there."""
        near = range(max(0, at - CONTEXT_WINDOW), min(len(words), at + CONTEXT_WINDOW + 1))
        around = {stem(words[other]) for other in near
                  if other != at and not unsure[other] and words[other] not in STOPWORDS}
        # The rarest say the most, and are the quickest to compare.
        others = sorted((other for other in around if other in self.postings),
                        key=lambda other: len(self.postings[other]))[:CONTEXT_WORDS]
        before = words[at - 1] if at > 0 and not unsure[at - 1] else None
        after = words[at + 1] if at + 1 < len(words) and not unsure[at + 1] else None
        best, best_weight = None, 0.0
        for option in options:
            root = stem(option)
            holding = self.postings.get(root, ())  # the examples that use it
            weight = sum(self.weights[other] for other in others if _meet(self.postings[other], holding))
            for first, second in ((before, option), (option, after)):
                # Two small words together ("are you there") vouch only for a slip of four letters
                # or more: a three-letter one is too often a word of its own ("men are" is not "me are").
                small = first in STOPWORDS and second in STOPWORDS
                if first and second and not (small and len(typed) < 4):
                    pair = f"{stem(first)} {stem(second)}"
                    # A pair many examples use is likelier what was meant than a rare one.
                    weight += self.weights.get(pair, 0.0) * math.log1p(len(self.postings.get(pair, ())))
            if weight > best_weight:
                best, best_weight = option, weight
        return best

    def _raw_features(self, stems: Sequence[str]) -> list[str]:
        """Stems, negated stems, stem pairs and concepts: what an example and an input share."""
        features = list(stems)
        # Negation: "not very social" also yields "!social", so it is far from "very social".
        if not NEGATORS.isdisjoint(stems):
            scope = 0
            for word in stems:
                if word in NEGATORS:
                    scope = NEGATION_SCOPE
                elif scope:
                    scope -= 1
                    if word not in STOPWORDS:
                        features.append("!" + word)
        features += [f"{a} {b}" for a, b in zip(stems, stems[1:])]
        found = []  # (length, start, names) of each phrase in the line
        tree, length = self._phrase_tree, len(stems)
        for start in range(length):
            node, end = tree.get(stems[start]), start + 1
            while node is not None:
                if _NAMES in node:
                    found.append((end - start, start, node[_NAMES]))
                node, end = (node.get(stems[end]), end + 1) if end < length else (None, end)
        found.sort(key=lambda phrase: phrase[:2])  # shortest first, then in the line's order
        for _, _, names in found:
            features += ["~" + name for name in names]
        return features

    def analyse(self, normalized: str) -> Analysis:
        """Spelling corrected (in context where a slip could be several words), then featured.
        Remembered for the last few lines: one reply reads the same text more than once."""
        found = self._analysed.get(normalized)
        if found is None:
            if len(self._analysed) >= ANALYSED:
                self._analysed.clear()
            found = self._analysed[normalized] = self._analyse(normalized)
        return found

    def rough(self, normalized: str) -> dict[str, float]:
        """A line's features without spelling correction: quick, for bounds that need not be exact."""
        return self._weigh([stem(word) for word in normalized.split()[:200]])

    def _weigh(self, stems: Sequence[str]) -> dict[str, float]:
        """Stems' features, each with its weight (a feature no pack has weighs as an unknown word)."""
        weights, unknown = self.weights, self.unknown_idf
        features: dict[str, float] = {}
        for feature in self._raw_features(stems):
            if feature not in features:
                found = weights.get(feature)
                features[feature] = found if found is not None else self._kind_weight(feature, unknown)
        return features

    def _analyse(self, normalized: str) -> Analysis:
        typed = normalized.split()[:200]
        # A real English word ("spider", "wifi") is meant as typed, never a slip for a pack word
        # ("side", "wife"); a word of three letters ("now" for "know") or one more than one slip
        # from its nearest pack word is corrected only where the line supports it.
        english = english_words()
        options = [() if len(word) > SHORT_ENGLISH and word in english else self.speller.nearest(word) for word in typed]
        words = [found[0] if found else word for found, word in zip(options, typed)]
        unsure = [len(found) > 1 or bool(found) and (len(word) < SURE_LENGTH or OSA.distance(word, found[0]) > 1)
                  for found, word in zip(options, typed)]
        for at, found in enumerate(options):
            if unsure[at]:
                words[at] = self._in_context(typed[at], found, words, at, unsure) or typed[at]
        features = self._weigh([stem(word) for word in words])
        return Analysis(tuple(words), features, self.topical(features))


class Runs:
    """Consecutive runs of numbers, by where each starts (the last start ends the last run):
    run n is (starts[n], starts[n + 1])."""

    def __init__(self, starts: array):
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, number: int) -> tuple[int, int]:
        return self.starts[number], self.starts[number + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        starts = self.starts
        return zip(islice(starts, 0, len(starts) - 1), islice(starts, 1, None))


class Spans:
    """A (start, end) span for each of so many things, empty until set: compact for big packs."""

    def __init__(self, count: int):
        self.starts = array("i", [0]) * count
        self.ends = array("i", [0]) * count

    def set(self, number: int, start: int, end: int) -> None:
        self.starts[number], self.ends[number] = start, end

    def __getitem__(self, number: int) -> tuple[int, int]:
        return self.starts[number], self.ends[number]


def about(words: set[str]) -> str:
    """Whom words are about, by their pronouns: "her" (you), "them" (I), "both", or "neither"."""
    her, them = not YOU.isdisjoint(words), not ME.isdisjoint(words)
    return "both" if her and them else "her" if her else "them" if them else "neither"


def _required_words(source: str) -> frozenset[str]:
    """The literal words a pattern always needs: each stands between spaces in its regex."""
    return frozenset(word for token in tokenize(source) if token.kind == "word" for word in token.value.split())


def _meet(found: Sequence[int], other: Sequence[int]) -> bool:
    """Whether two sorted lists of examples share one; two words that are both in many
    examples are taken not to (meeting by chance says little, and checking would be slow)."""
    if len(found) > len(other):
        found, other = other, found
    if len(found) > MEET_LIMIT:
        return False
    for example in found:
        at = bisect_left(other, example)
        if at < len(other) and other[at] == example:
            return True
    return False
