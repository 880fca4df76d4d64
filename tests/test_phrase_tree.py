"""Concept phrases are found in a line by a tree of stems: exactly those, in the same order, that
trying every length at every word finds."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


def every_length(index, stems: list[str]) -> list[str]:
    """The concepts of a line's phrases the slow way: every length at every word, shortest first."""
    longest = max(len(key) for key in index._concept_phrases)
    found = []
    for size in range(1, longest + 1):
        for start in range(len(stems) - size + 1):
            found += ["~" + name for name in index._concept_phrases.get(tuple(stems[start:start + size]), ())]
    return found


def test_the_phrase_tree_finds_what_every_length_finds(engine):
    index = engine.index
    phrases = sorted(key for key in index._concept_phrases if key)
    words = sorted({word for key in phrases for word in key}) + ["zzz", "the"]
    # Lines made of whole phrases and loose words, so that phrases overlap and nest.
    pieces = st.one_of(st.sampled_from(phrases), st.sampled_from(words).map(lambda word: (word,)))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=12).map(lambda found: [word for piece in found for word in piece]))
    def check(stems):
        concepts = [feature for feature in index._raw_features(stems) if feature.startswith("~")]
        assert concepts == every_length(index, stems)

    check()
    phrase = max(index._concept_phrases, key=len)
    assert every_length(index, ["x", *phrase, "y"])  # the slow way finds a phrase, so the check is not empty
