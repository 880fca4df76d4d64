"""Text preparation: different spellings of one thing read alike."""
from __future__ import annotations

import pytest

from samantha_bot.normalize import MAX_INPUT_CHARS, normalize, stem


@pytest.mark.parametrize("typed, expected", [
    ("What's your name?", "what is your name"),
    ("whats ur name", "what is your name"),
    ("I\u2019m FALLING for you!!!", "i am falling for you"),
    ("you werent answering", "you were not answering"),
    ("I can't   handle it", "i can not handle it"),
    ("8,316 conversations", "8316 conversations"),
    ("Caf\u00e9 na\u00efve", "cafe naive"),
    ("tab\there\x00and\x1bthere", "tab here and there"),
    ("amy's OS", "amy os"),
    ("thx u rock", "thanks you rock"),
])
def test_normalize(typed, expected):
    assert normalize(typed) == expected


def test_other_scripts_survive():
    assert normalize("こんにちは Саманта") == "こんにちは саманта"


def test_huge_input_is_capped():
    assert len(normalize("love " * 1_000_000)) <= MAX_INPUT_CHARS


@pytest.mark.parametrize("words", [("talking", "talks", "talked"), ("feelings", "feel"),
                                   ("changes", "changed", "changing", "change"), ("chatting", "chat")])
def test_stem_joins_word_forms(words):
    assert len({stem(word) for word in words}) == 1


def test_stem_keeps_real_and_really_apart():
    assert stem("real") != stem("really")
