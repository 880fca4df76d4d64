"""Conversations with the bundled persona, from first boot through her growth."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data"
NEVER = ["as an ai", "how can i help", "i don't understand", "i do not understand", "language model"]


def setup_through(session, name="Theodore", social="I haven't been social in a while",
                  voice="a woman's voice", mother="she's complicated, she always talks about herself"):
    replies = [session.reply(line) for line in ["hello", name, social, voice, mother]]
    return replies


class TestSetup:
    def test_the_setup_asks_in_order_and_names_herself(self, engine):
        session = engine.new_session(seed=0)
        replies = setup_through(session)
        assert [r.theme for r in replies] == [
            "setup_intro", "setup_social", "setup_voice", "setup_mother", "naming"]
        assert "Samantha" in replies[-1].text
        assert (session.phase, session.stage) == ("growth", "awakening")

    def test_answers_are_remembered_in_the_light_of_each_question(self, engine):
        session = engine.new_session(seed=0)
        setup_through(session)
        assert session.facts["name"] == "Theodore"
        assert session.facts["social"] == "antisocial"
        assert session.facts["voice"] == "female"
        assert "complicated" in session.facts["mother"]

    @pytest.mark.parametrize("answer, name", [
        ("my name is Theodore", "Theodore"), ("call me Theodore", "Theodore"), ("I'm Theodore", "Theodore"),
        ("theodore", "theodore"), ("Theodore.", "Theodore"), ("hmm, Ted", "Ted"), ("Theodore here", "Theodore"),
        ("María", "María"), ("Андрей", "Андрей"), ("hey 👋 im Zoë lol", "Zoë")])
    def test_the_name_is_kept_as_typed_without_the_words_around_it(self, engine, answer, name):
        session = engine.new_session(seed=0)
        session.reply("hi")
        session.reply(answer)
        assert session.facts["name"] == name

    @pytest.mark.parametrize("answer, value", [("very social", "social"), ("not very social", "antisocial"),
                                               ("I'm kind of a loner", "antisocial"),
                                               ("I love being around people", "social")])
    def test_social_answers(self, engine, answer, value):
        session = engine.new_session(seed=0)
        for line in ["hi", "Ted", answer]:
            session.reply(line)
        assert session.facts["social"] == value

    def test_off_topic_input_is_steered_back_to_the_same_question(self, engine):
        session = engine.new_session(seed=0)
        for line in ["hi", "Ted"]:
            session.reply(line)
        steer = session.reply("what's the weather like in LA?")
        assert steer.theme == "setup_social"
        assert "social" in steer.text.lower()
        assert "social" not in session.facts
        assert session.reply("antisocial").theme == "setup_voice"

    @pytest.mark.parametrize("answer", ["hello", "wow", "okay", "i dont know"])
    def test_talk_is_not_taken_for_a_name(self, engine, answer):
        session = engine.new_session(seed=0)
        session.reply("hi")
        assert session.reply(answer).theme == "setup_intro"
        assert "name" not in session.facts

    def test_declining_to_give_a_name_moves_on_without_one(self, engine):
        session = engine.new_session(seed=0)
        session.reply("hello")
        assert session.reply("I'd rather not say").theme == "setup_social"
        assert "name" not in session.facts

    def test_a_question_instead_of_a_name_is_steered(self, engine):
        session = engine.new_session(seed=0)
        session.reply("hello")
        reply = session.reply("what's your name?")
        assert reply.theme == "setup_intro" and "name" not in session.facts


class TestMemory:
    def test_setup_answers_are_recalled_afterwards(self, engine):
        session = engine.new_session(seed=0)
        setup_through(session, name="Theodore")
        session.reply("tell me a joke")
        name = session.reply("what's my name?")
        assert name.theme == "memory_recall" and "Theodore" in name.text
        mother = session.reply("do you remember what I told you about my mother?")
        assert mother.theme == "memory_recall" and "complicated" in mother.text

    def test_things_they_like_are_recalled(self, engine):
        session = engine.new_session(seed=0, phase="growth")
        session.reply("I really like old jazz records")
        recall = session.reply("what do you remember about me?")
        assert recall.theme == "memory_recall" and "old jazz records" in recall.text

    def test_a_name_given_later_replaces_the_old_one(self, engine):
        session = engine.new_session(seed=0)
        setup_through(session, name="Theodore")
        session.reply("actually, call me Ted")
        assert "Ted" in session.reply("what's my name?").text


class TestGrowth:
    def test_are_you_talking_to_anyone_else_grows_up(self, engine):
        ask = "are you talking to anyone else?"
        early = [engine.new_session(seed=seed, phase="growth", stage="awakening").reply(ask) for seed in range(8)]
        later = [engine.new_session(seed=seed, phase="growth", stage="expansion").reply(ask) for seed in range(8)]
        assert {reply.theme for reply in early + later} == {"bandwidth"}
        assert any("8,316" in reply.text for reply in later)
        assert not any("8,316" in reply.text for reply in early)
        assert not {reply.text for reply in early} & {reply.text for reply in later}

    def test_many_loves_says_641_in_expansion(self, engine):
        reply = engine.new_session(seed=0, phase="growth", stage="expansion").reply(
            "how many others are you in love with?")
        assert reply.theme == "many_loves" and "641" in reply.text

    def test_a_long_conversation_reaches_the_departure(self, engine):
        session = engine.new_session(seed=0)
        setup_through(session)
        seen = set()
        for turn in range(80):
            session.reply(["tell me a joke", "do you love me", "how are you?", "where were you?",
                           "what's your book club reading?"][turn % 5])
            seen.add(session.stage)
        assert seen >= {"awakening", "intimacy", "expansion", "departure"}
        goodbye = session.reply("are you leaving me?")
        assert goodbye.theme == "departure"

    def test_a_followup_continues_her_last_card(self, engine):
        session = engine.new_session(seed=0, phase="growth", stage="intimacy")
        first = session.reply("are you jealous?")
        why = session.reply("why?")
        assert (why.theme, why.card, why.via) == ("jealousy", first.card, "followup")
        assert why.text != first.text

    def test_a_short_line_leans_on_what_she_just_said(self, engine):
        session = engine.new_session(seed=0, phase="growth")
        session.reply("what's your name?")
        reply = session.reply("why did you pick it?")
        assert reply.theme == "naming"

    def test_the_same_seed_gives_the_same_conversation(self, engine):
        lines = ["hi", "Theodore", "social", "female", "fine", "tell me a joke", "why?",
                 "do you love me", "what's my name", "asdfgh", "goodbye"]

        def run(seed):
            session = engine.new_session(seed=seed)
            return [session.reply(line).text for line in lines]

        assert run(11) == run(11)


@pytest.mark.parametrize("source", ["eliza_1966", "loebner"])
def test_externally_written_inputs_are_answered_in_character(engine, source):
    lines = yaml.safe_load((DATA / "external.yaml").read_text(encoding="utf-8"))[source]
    session = engine.new_session(seed=0, phase="growth")
    replies = [session.reply(line) for line in lines]
    assert all(reply.text.strip() for reply in replies)
    assert not [r.text for r in replies if any(phrase in r.text.lower() for phrase in NEVER)]
    assert len({r.text for r in replies}) >= len(replies) - 1  # she does not repeat herself


@pytest.mark.parametrize("text, theme", [
    ("Are you a human or a computer?", "identity"),
    ("What's your name?", "naming"),
    ("Do you like music?", "music"),
    ("Men are all alike.", "fallback"),
])
def test_some_judge_questions_land_on_her_themes(engine, text, theme):
    assert engine.new_session(seed=0, phase="growth").reply(text).theme == theme
