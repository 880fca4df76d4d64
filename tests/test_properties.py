"""What no input may ever do: raise, or leave her without a reply."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samantha_bot.normalize import normalize

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
ASSISTANT_PHRASES = ("as an ai", "how can i help", "i don't understand", "i do not understand",
                     "language model")

settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("ci")


@given(text=ANY_TEXT)
def test_any_text_gets_a_non_empty_reply_in_growth(engine, text):
    for stage in engine.stage_ids:
        reply = engine.new_session(seed=0, phase="growth", stage=stage).reply(text)
        assert reply.text.strip()
        assert 0 <= reply.score <= 100
        assert not any(phrase in reply.text.lower() for phrase in ASSISTANT_PHRASES)


@given(lines=st.lists(ANY_TEXT, min_size=1, max_size=12), seed=st.integers(0, 2**31))
def test_any_conversation_from_first_boot_never_breaks(engine, lines, seed):
    session = engine.new_session(seed=seed)
    for text in lines:
        reply = session.reply(text)
        assert reply.text.strip()
        assert reply.phase == session.phase
    assert engine.restore(session.to_dict()).to_dict() == session.to_dict()


@given(text=st.binary(max_size=200))
def test_binary_junk_decoded_loosely_is_still_answered(engine, text):
    reply = engine.new_session(seed=0, phase="growth").reply(text.decode("utf-8", errors="replace"))
    assert reply.text.strip()


@given(text=ANY_TEXT)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_a_megabyte_of_text_is_answered(engine):
    assert engine.new_session(seed=0, phase="growth").reply("I love you " * 100_000).text


def test_empty_and_blank_lines_are_answered(engine):
    session = engine.new_session(seed=0)
    for text in ["", "   ", "\n", "\x00\x1b[2J"]:
        assert session.reply(text).text.strip()
