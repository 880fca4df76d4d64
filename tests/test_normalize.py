"""Text preparation: different spellings of one thing read alike."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from samantha_bot.normalize import HEAD_WORDS, MAX_INPUT_CHARS, TAIL_WORDS, excerpt, is_question, normalize, stem


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


def test_a_message_of_ordinary_length_is_read_whole():
    line = " ".join(f"w{n}" for n in range(HEAD_WORDS + TAIL_WORDS))
    assert excerpt(line) == line


@pytest.mark.parametrize("filler", ["la ", "la" * 40 + " ", "x" * 3000 + " "])
def test_a_long_message_is_read_by_its_opening_and_its_close(filler):
    text = "Can you proofread this letter for me? " + filler * 400 + "Anyway. Do you love me?"
    read = excerpt(text).split()
    assert read[:4] == ["Can", "you", "proofread", "this"]
    assert read[-4:] == ["Do", "you", "love", "me?"]
    assert len(read) <= HEAD_WORDS + TAIL_WORDS + 1  # and the mark between them


STORY = "so today I walked to the shops and bought bread and milk and then I came home. " * 30


@pytest.mark.parametrize("text, theme", [
    (STORY + "How many people are you talking to right now?", "bandwidth"),
    (STORY + "Where were you? I panicked when you did not answer.", "availability"),
    ("Can you proofread this letter for me? " + STORY, "secretary"),
])
def test_a_long_message_is_answered_for_what_it_opens_or_closes_with(engine, text, theme):
    assert engine.new_session(seed=0, phase="growth").reply(text).theme == theme


@given(words=st.from_regex(r"[a-z]+(?: [a-z]+){0,6}", fullmatch=True), mark=st.sampled_from(["", ".", "?", "!", "?!", "..."]))
@settings(max_examples=300, deadline=None)
def test_a_plain_line_reads_the_same_by_the_quick_way_and_the_full_one(words, mark):
    """Lower-case words with a closing mark take the quick way; the same with a capital, the full
    one: they read alike, contractions and shorthand included."""
    assert normalize(words + mark) == normalize(words.capitalize() + mark)
    assert normalize(words + mark) == normalize(words + " " + mark)


@pytest.mark.parametrize("words", [("talking", "talks", "talked"), ("feelings", "feel"),
                                   ("changes", "changed", "changing", "change"), ("chatting", "chat")])
def test_stem_joins_word_forms(words):
    assert len({stem(word) for word in words}) == 1


def test_stem_keeps_real_and_really_apart():
    assert stem("real") != stem("really")


@pytest.mark.parametrize("line, asks", [("can you help me plan a lesson", True), ("is it weird", True),
                                        ("what's up", True), ("would they mind", True), ("i can do it", False),
                                        ("do the dishes", False), ("hello", False), ("", False)])
def test_a_verb_before_its_subject_asks(line, asks):
    assert is_question(line, normalize(line)) == asks
