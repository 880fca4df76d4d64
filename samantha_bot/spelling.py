"""Spelling: the pack words that a word the packs do not know could be a slip for."""
from __future__ import annotations

import functools

import math
from bisect import bisect_left
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .normalize import STOPWORDS, stem

MIN_LENGTH = 3  # shorter words are not corrected
CUTOFF = 80.0  # a pack word at least this close by fuzz.ratio is near too ("rember": "remember")
SLIP_PAIRS = 3  # one slip breaks at most this many of a word's letter pairs (a swap: "ab|bc|cd")


@lru_cache(maxsize=1)
@functools.cache
def english_words() -> frozenset[str]:
    """The commonest English words (english.txt, shipped with the package): real words, not slips."""
    text = (Path(__file__).resolve().parent / "english.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


class Speller:
    """Immutable once built. Finds near words through an index of letter pairs, so a word is
    compared with the few pack words that could be near it, however big the packs are.

    The vocabulary is ordered by length, so each pair's list of words holds them by length too,
    and the words of the lengths that could be near are one slice of it.
    """

    def __init__(self, vocabulary: Iterable[str], usage: Mapping[str, int]):
        self.vocabulary = tuple(sorted(vocabulary, key=lambda word: (len(word), word)))
        lengths = [len(word) for word in self.vocabulary]
        self._from_length = [bisect_left(lengths, length) for length in range(max(lengths, default=0) + 2)]
        self._usage = usage  # how many examples use each pack word
        self.vocabulary_stems = frozenset(stem(word) for word in self.vocabulary)
        self._grams = _gram_index(self.vocabulary)
        self.nearest = lru_cache(maxsize=4096)(self._nearest)

    def _nearest(self, word: str) -> tuple[str, ...]:
        """The pack words nearest a word the packs do not know: all those the fewest slips away
        (optimal string alignment: a letter replaced, dropped, added, or two swapped), the most
        used first. Near means one slip, or fuzz.ratio >= CUTOFF. None for a word the packs use
        (in any form) and for small words."""
        if len(word) < MIN_LENGTH or not word.isalpha() or word in STOPWORDS or stem(word) in self.vocabulary_stems:
            return ()
        keys = _gram_keys(word)
        # One slip changes the length by one at most, and breaks at most SLIP_PAIRS pairs.
        slipped = self._holding(keys, len(word) - 1, len(word) + 1, len(keys) - SLIP_PAIRS)
        slips = {hit[0]: hit[1] for hit in process.extract(word, slipped, scorer=OSA.distance, score_cutoff=1,
                                                               limit=None)}
        # fuzz.ratio >= 80 allows an insert/delete distance d <= 0.2 * (la + lb), so a length
        # from 2/3 to 3/2 of the word's. Each deleted letter breaks at most two of the word's
        # pairs and each insertion one, so at least (la + lb - 3d) / 2 + 1 >= 0.2 * (la + lb)
        # of them survive (with half a unit of slack for rounding).
        shortest = max(1, math.floor((0.8 * len(word) - 0.5) / 1.2))
        needed = max(1, math.ceil(0.2 * (len(word) + shortest) + 0.25 - 1e-9))
        close = self._holding(keys, math.ceil(len(word) * 2 / 3), math.floor(len(word) * 3 / 2), needed)
        for hit in process.extract(word, close, scorer=fuzz.ratio, score_cutoff=CUTOFF, limit=None):
            slips.setdefault(hit[0], OSA.distance(word, hit[0]))
        if not slips:
            return ()
        fewest = min(slips.values())
        return tuple(sorted((found for found, slip in slips.items() if slip == fewest),
                            key=lambda found: (-self._usage.get(found, 0), found)))

    def _holding(self, keys: list[tuple[str, int]], shortest: int, longest: int, needed: int) -> list[str]:
        """Every pack word from `shortest` to `longest` letters that could hold `needed` of the
        word's pairs. One lacking more than len(keys) - needed of them lacks one of the rarest
        ones, so the union of the rarest pairs' lists (those lengths' slices) holds them all."""
        start = self._from_length[min(max(shortest, 0), len(self._from_length) - 1)]
        end = self._from_length[min(longest + 1, len(self._from_length) - 1)]
        lists = []
        for key in keys:
            found = self._grams.get(key, ())
            low = bisect_left(found, start)
            lists.append(found[low:bisect_left(found, end, low)])
        lists.sort(key=len)
        held: set[int] = set()
        for positions in lists[:max(1, len(keys) - needed + 1)]:
            held.update(positions)
        return [self.vocabulary[position] for position in sorted(held)]

    # The lru_cache is rebuilt, not pickled (a load cache may pickle a Speller).
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["nearest"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.nearest = lru_cache(maxsize=4096)(self._nearest)


def _gram_keys(word: str) -> list[tuple[str, int]]:
    """The padded letter pairs of a word, each numbered by occurrence (a multiset as a set)."""
    padded = f"\x02{word}\x03"
    seen: dict[str, int] = {}
    keys = []
    for start in range(len(padded) - 1):
        pair = padded[start:start + 2]
        seen[pair] = seen.get(pair, -1) + 1
        keys.append((pair, seen[pair]))
    return keys


def _gram_index(vocabulary: Sequence[str]) -> dict[tuple[str, int], tuple[int, ...]]:
    grams: dict[tuple[str, int], list[int]] = defaultdict(list)
    for position, word in enumerate(vocabulary):
        for key in _gram_keys(word):
            grams[key].append(position)
    return {key: tuple(positions) for key, positions in grams.items()}
