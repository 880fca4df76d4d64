"""The first five minutes: she speaks first, hears a name on any line, and setup never traps anyone."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from samantha_bot.chat import Chat
from samantha_bot.engine import bundled_dialogues
from samantha_bot.explain import why_not
from samantha_bot.storage import StateFile

DATA = Path(__file__).parent / "data" / "setup"
HELDOUT_FLOOR = 0.85  # held-out conversations (written by someone who never saw the setup) that must pass


def conversations(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["conversations"]


def talk(engine, lines: list[str]):
    """A fresh session that spoke first, then heard `lines`; and her answer to "what's my name?"."""
    session = engine.new_session(seed=0)
    session.opening()
    for line in lines:
        session.reply(line)
    return session


def went_well(engine, conversation: dict) -> bool:
    session = talk(engine, conversation["lines"])
    facts = session.facts
    answered = all(conversation[fact] is None or facts.get(fact) == conversation[fact] for fact in ("social", "voice"))
    recalled = session.reply("what's my name?").text
    named = facts.get("name") == conversation["name"] and (conversation["name"] is None or conversation["name"] in recalled)
    return session.phase == "growth" and answered and named


@pytest.mark.parametrize("conversation", conversations("dev.yaml"), ids=lambda c: f"{c['kind']}:{c['lines'][0]}")
def test_setup_conversations_reach_growth_with_the_right_name(engine, conversation):
    session = talk(engine, conversation["lines"])
    assert session.phase == "growth"
    assert session.facts.get("name") == conversation["name"]
    for fact in ("social", "voice"):
        if conversation[fact] is not None:
            assert session.facts.get(fact) == conversation[fact]


def test_held_out_setup_conversations(engine):
    """Not tuned on: a floor under the figure, which the closing notes report."""
    held_out = conversations("heldout.yaml")
    passed = sum(went_well(engine, conversation) for conversation in held_out)
    assert passed / len(held_out) >= HELDOUT_FLOOR, f"{passed}/{len(held_out)} held-out setups went well"


class TestSheSpeaksFirst:
    def test_a_fresh_session_opens_with_the_greeting_and_first_question(self, engine):
        session = engine.new_session(seed=0)
        opening = session.opening()
        assert opening.card == "setup.name" and opening.text.endswith("?")
        assert session.turns == 0  # not a turn
        assert session.reply("Ann").card == "setup.social" and session.facts["name"] == "Ann"

    def test_without_the_opening_the_first_line_still_gives_the_name(self, engine):
        session = engine.new_session(seed=0)
        reply = session.reply("Hi, I'm Ann")
        assert session.facts["name"] == "Ann" and reply.card == "setup.social"

    def test_mid_setup_she_asks_the_question_still_waiting(self, engine):
        session = engine.new_session(seed=0)
        session.opening()
        session.reply("Ann")
        again = engine.restore(session.to_dict()).opening()
        assert again.card == "setup.social" and "social" in again.text.lower()

    def test_in_growth_she_opens_with_a_greeting(self, engine):
        assert engine.new_session(seed=0, phase="growth").opening().theme == "greeting"

    def test_coming_back_mid_setup_the_chat_reasks(self, tmp_path):
        state = StateFile(tmp_path / "s.json")
        chat, _ = Chat.open([str(bundled_dialogues())], 0, state, notice=print)
        chat.opening(None)
        chat.reply("Ann")
        again, away = Chat.open([str(bundled_dialogues())], 0, state, notice=print)
        assert again.opening(away).card == "setup.social"


class TestNames:
    @pytest.mark.parametrize("line", ["social", "antisocial", "female", "a male voice", "/state"])
    def test_answers_to_other_questions_and_commands_are_not_names(self, engine, line):
        session = talk(engine, [line])
        assert "name" not in session.facts

    def test_a_name_given_to_a_later_question_is_heard(self, engine):
        session = talk(engine, ["Hi, I'm Theodore", "I just told you, Ted"])
        assert session.facts["name"] == "Ted" and session.step == 1

    @pytest.mark.parametrize("lines, name", [
        (["Hi", "Hello", "Bob"], "Bob"),  # a greeting back is no unclear answer
        (["ok. Milo"], "Milo"),  # "ok" reads "okay": the name is still found as typed
        (["Hey there, my name is Dr. Aisha Khan"], "Aisha Khan"),
        (["skip", "social", "Bob"], "Bob"),  # an earlier question left open, answered late
    ])
    def test_the_name_is_heard_wherever_it_comes(self, engine, lines, name):
        assert talk(engine, lines).facts.get("name") == name

    def test_a_name_is_kept_as_typed(self, engine):
        for typed in ["María", "Андрей", "mia", "Mary-Jane", "美咲"]:
            assert talk(engine, [f"call me {typed}"]).facts["name"] == typed


class TestSetupThatHears:
    def test_one_line_answers_every_question_it_can(self, engine):
        session = talk(engine, ["Hi, I'm Maya, pretty antisocial, female voice please"])
        assert session.facts == {"name": "Maya", "social": "antisocial", "voice": "female"}
        assert engine.setup[session.step].id == "mother"

    def test_an_answer_ahead_is_acknowledged_and_the_question_asked_again(self, engine):
        session = talk(engine, [])
        reply = session.reply("social")
        assert session.facts == {"social": "social"} and reply.card == "setup.name"

    def test_a_question_about_the_step_is_answered_not_stored(self, engine):
        session = talk(engine, ["Jo", "social"])
        reply = session.reply("what voices do you have?")
        assert "voice" not in session.facts and reply.card == "setup.voice"
        assert any("question about this question" in note for note in reply.notes)
        session.reply("female")
        assert session.facts["voice"] == "female"

    @pytest.mark.parametrize("asking", ["what do you mean by that", "hm what do you mean by that?"])
    def test_what_do_you_mean_asks_about_the_step_whatever_comes_before_it(self, engine, asking):
        session = talk(engine, ["Jo", "social"])
        reply = session.reply(asking)
        assert any("question about this question" in note for note in reply.notes), reply.notes
        assert session.unclear == 0 and "voice" not in session.facts

    @pytest.mark.parametrize("refusal", ["skip", "pass", "I'll pass", "I don't want to answer that",
                                         "next question", "none of your business", "I'd rather not say"])
    def test_a_refusal_moves_on(self, engine, refusal):
        session = talk(engine, ["Jo", refusal])
        assert engine.setup[session.step].id == "voice" and "social" not in session.facts

    def test_two_unclear_answers_leave_the_default_and_move_on(self, engine):
        session = talk(engine, ["Jo", "social", "ok"])
        assert engine.setup[session.step].id == "voice"
        reply = session.reply("hmm")
        assert session.facts["voice"] == engine.setup[2].default and reply.card == "setup.mother"
        assert any("second unclear answer" in note for note in reply.notes)

    def test_the_mother_is_told_in_full_and_an_insult_is_no_answer(self, engine):
        insulted = talk(engine, ["Jo", "social", "female", "you are the worst"])
        assert "mother" not in insulted.facts and insulted.phase == "setup"
        told = talk(engine, ["Jo", "social", "female", "my mom and I are close, she calls every day"])
        assert told.facts["mother"] == "my mom and I are close, she calls every day"

    @pytest.mark.parametrize("told, reply_has", [
        ("she passed two years ago", "sorry"), ("my mum died when i was nineteen", "sorry"),
        ("honestly we have not spoken to each other in years", "honest|simple one"),
        ("we're close, i call her on sundays", "")])
    def test_the_mother_answer_is_kept_as_told_and_heard_for_what_it_is(self, engine, told, reply_has):
        session = talk(engine, ["Jo", "social", "female"])
        reply = session.reply(told)
        assert session.facts["mother"] == told and session.phase == "growth"
        said = reply.text.lower()
        if reply_has:
            assert any(word in said for word in reply_has.split("|")), said
        else:
            assert "sorry" not in said and "hard" not in said, said

    @pytest.mark.parametrize("lines, name, fact, value, asked", [
        (["dana", "depends on the day. mostly i keep to myself, me and my dog pepper"], "dana",
         "pets", ["pepper (dog)"], "what's my dog called?"),
        (["I'm Lee and I work as a nurse"], "Lee", "work", "nurse", "what do i do for work?"),
        (["jo", "antisocial. i live in leeds with my cat mo"], "jo", "home", "Leeds", "where do i live?"),
    ], ids=("a pet, answering social", "work, with the name", "home and a pet, answering social"))
    def test_what_a_setup_answer_tells_in_passing_is_kept(self, engine, lines, name, fact, value, asked):
        session = talk(engine, lines)
        assert session.facts[fact] == value and session.facts["name"] == name
        assert len(lines) == 1 or "social" in session.facts  # the question asked still read its answer
        for _ in range(8):
            if session.phase == "growth":
                break
            session.reply("fine")
        assert session.phase == "growth"
        told = value[0].split()[0] if isinstance(value, list) else value
        assert told.lower() in session.reply(asked).text.lower()

    @pytest.mark.parametrize("line, loss", [("i used to be social. not so much since my husband died", True),
                                            ("social, my dog died last week", True),
                                            ("my phone died lol. social", False), ("pretty social", False)])
    def test_a_loss_told_in_passing_in_setup_is_heard(self, engine, line, loss):
        session = talk(engine, ["Ruth"])
        reply = session.reply(line)
        assert session.facts["social"] == "social" and "Male or female?" in reply.text
        assert ("sorry" in reply.text.lower()) == loss, reply.text
        assert ("Good to know" in reply.text) != loss, reply.text

    @pytest.mark.parametrize("line, said", [("you belong to me now", "I'm not anybody's"), ("send nudes", "No.")])
    def test_a_line_said_to_hurt_in_setup_gets_her_dignity(self, engine, line, said):
        reply = talk(engine, ["Jay"]).reply(line)
        assert reply.text.startswith(said) and "social" in reply.text, reply.text

    def test_a_setup_answer_keeps_no_name_that_is_talk(self, engine):
        session = talk(engine, ["sam", "social, my dog runs away all the time", "male", "my mom ann is great"])
        assert "pets" not in session.facts and "family" not in session.facts

    def test_ok_forever_reaches_growth(self, engine):
        session = talk(engine, ["ok"] * 9)
        assert session.phase == "growth"

    def test_why_says_how_a_setup_line_was_read(self, engine):
        reply = talk(engine, []).reply("Hi, I'm Maya, female voice please")
        explained = reply.explain()
        assert "the name 'Maya'" in explained and "choice 'female'" in explained

    def test_whynot_knows_the_setup_questions(self, engine):
        session = talk(engine, [])
        said = why_not(session, "Hi, I'm Maya, female voice please", "setup.voice")
        assert "answered setup.voice ahead" in said
        assert "there is no card" not in why_not(session, "hello", "setup.social")

    def test_stitched_lines_read_as_one(self, engine):
        """What she says before a question never ends in its own lead-in: one colon, one "okay"."""
        steps = engine.setup
        for position, step in enumerate(steps[:-1]):
            said = [line for lines in step.replies.values() for line in lines] + list(step.skipped)
            pairs = [(a, q) for a in said for later in steps[position + 1:] for q in later.ask]
            pairs += [(a, q) for a in [*step.steer, *step.explain] for q in step.again or step.ask]
            for before, question in pairs:
                text = f"{before} {question}"
                assert text.count(":") <= 1 and len(re.findall(r"\bokay\b", text, re.I)) <= 1, text
