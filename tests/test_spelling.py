"""Spelling: slips are read as the pack word meant, in context, and real words are left alone."""
from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from samantha_bot.normalize import STOPWORDS, stem
from samantha_bot.spelling import CUTOFF, MIN_LENGTH, Speller


@pytest.fixture(scope="module")
def speller(engine) -> Speller:
    return engine.index.speller


def scanned(speller: Speller, word: str) -> set[str]:
    """What comparing the word with every pack word would find: the letter-pair filter must agree."""
    near = {found: OSA.distance(word, found) for found in speller.vocabulary
            if OSA.distance(word, found) <= 1 or fuzz.ratio(word, found) >= CUTOFF}
    return {found for found, slips in near.items() if slips == min(near.values())} if near else set()


def slipped(word: str, at: int, slip: int, letter: str) -> str:
    at %= len(word)
    if slip == 0:
        return word[:at] + letter + word[at + 1:]
    if slip == 1:
        return word[:at] + word[at + 1:]
    if slip == 2:
        return word[:at] + letter + word[at:]
    return word[:at] + word[at + 1:at + 2] + word[at] + word[at + 2:]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_pair_filter_finds_what_a_full_scan_finds(speller, data):
    word = data.draw(st.sampled_from([w for w in speller.vocabulary if len(w) >= 3]))
    typo = slipped(word, data.draw(st.integers(0, 30)), data.draw(st.integers(0, 3)),
                   data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz")))
    assume(len(typo) >= MIN_LENGTH and typo.isalpha() and typo not in STOPWORDS and stem(typo) not in speller.vocabulary_stems)
    assert set(speller.nearest(typo)) == scanned(speller, typo)


@pytest.mark.parametrize("typo", ["abotu", "remembr", "rember", "lnoely", "jelous", "beautful"])
def test_a_slip_finds_the_pack_word_a_scan_finds(speller, typo):
    assert set(speller.nearest(typo)) == scanned(speller, typo)
    assert speller.nearest(typo)


@pytest.mark.parametrize("typed, meant", [
    ("do you remember my nale", "name"),  # "male", "nail" are as near; "remember" decides
    ("i lmve you", "love"),  # "i love" is a pair the packs use
    ("back agan", "again"),  # not "alan": "back again" is
    ("are you tere", "there"),
])
def test_a_short_slip_is_read_from_the_words_around_it(engine, typed, meant):
    assert meant in engine.index.analyse(typed).words


@pytest.mark.parametrize("typed, kept", [
    ("how do i fix a flat tyre", ("flat", "tyre")),  # not "flag", "type": nothing around them says so
    ("men are all alike", ("men",)),  # two small words side by side vouch for nothing
])
def test_a_real_word_is_not_corrected_without_support(engine, typed, kept):
    words = engine.index.analyse(typed).words
    assert all(word in words for word in kept)


def test_a_long_unknown_word_is_corrected_on_its_own(engine):
    assert engine.index.analyse("beautful").words == ("beautiful",)


def test_known_and_small_words_are_never_corrected(speller):
    assert speller.nearest("love") == speller.nearest("loving") == ()
    assert speller.nearest("you") == speller.nearest("ok") == ()
