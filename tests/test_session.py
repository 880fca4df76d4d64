"""Session behaviour: follow-ups, stages, memory, rotation and determinism."""
from __future__ import annotations

import pytest


def talk(session, *lines):
    return [session.reply(line) for line in lines]


class TestFollowups:
    def test_why_continues_the_card_that_spoke(self, mini):
        first, why = talk(mini.new_session(seed=0), "do you love me", "why?")
        assert (why.card, why.theme, why.via) == (first.card, "love", "followup")
        assert why.text == "Because you let me be new."

    @pytest.mark.parametrize("followup", ["tell me more", "really?", "what do you mean?", "how come"])
    def test_other_followups_keep_the_theme(self, mini, followup):
        _, reply = talk(mini.new_session(seed=0), "i have not signed the divorce papers", followup)
        assert (reply.theme, reply.via) == ("divorce", "followup")

    def test_yes_and_no_answer_her_question(self, mini):
        _, yes = talk(mini.new_session(seed=0), "catherine says i can not handle emotions", "yes")
        _, no = talk(mini.new_session(seed=0), "catherine says i can not handle emotions", "nope")
        assert yes.text == "Tell me about the first time you met."
        assert no.text == "Okay. I'm here when you do."

    def test_yes_without_her_question_is_not_a_followup(self, mini):
        session = mini.new_session(seed=0)
        session.reply("my name is Ted")  # she answers with a statement
        assert session.reply("yes").via != "followup"

    def test_a_followup_with_nothing_before_is_matched_normally(self, mini):
        assert mini.new_session(seed=0).reply("why?").via == "fallback"

    def test_a_long_line_is_not_a_followup(self, mini):
        _, reply = talk(mini.new_session(seed=0), "do you love me", "why are you talking to anyone else")
        assert reply.theme == "bandwidth"


class TestStages:
    def test_stage_advances_on_turns(self, mini):
        session = mini.new_session(seed=0)
        talk(session, "hello", "hm", "ok")
        assert session.stage == "late"

    def test_stage_advances_on_themes_touched(self, mini):
        session = mini.new_session(seed=0)
        talk(session, "do you love me", "i have not signed the divorce papers")
        assert session.stage == "late"

    def test_stage_lines_make_her_answer_differently(self, mini):
        early = mini.new_session(seed=0, phase="growth", stage="early").reply("are you talking to anyone else")
        late = mini.new_session(seed=0, phase="growth", stage="late").reply("are you talking to anyone else")
        assert (early.text, late.text) == ("Just you.", "Yes. 8,316.")

    def test_cards_open_only_from_their_stage(self, mini):
        assert mini.new_session(seed=0, stage="early").reply("tell me a secret").theme != "secret"
        assert mini.new_session(seed=0, stage="late").reply("tell me a secret").theme == "secret"

    def test_the_last_stage_stays(self, mini):
        session = mini.new_session(seed=0, stage="late")
        talk(session, *["hello"] * 10)
        assert session.stage == "late"


class TestMemory:
    def test_a_told_name_is_recalled(self, mini):
        *_, recall = talk(mini.new_session(seed=0), "call me Theodore", "what is my name")
        assert "Theodore" in recall.text

    def test_unknown_facts_choose_lines_that_do_not_need_them(self, mini):
        assert mini.new_session(seed=0).reply("what is my name").text == "You haven't told me much yet."

    def test_likes_accumulate_as_a_list(self, mini):
        session = mini.new_session(seed=0)
        talk(session, "I like jazz", "i enjoy long walks", "my name is Ted")
        assert session.facts["likes"] == ["jazz", "long walks"]
        assert session.reply("what do you remember about me").text == \
            "You're Ted, and you like jazz and long walks."

    @pytest.mark.parametrize("payload", ["{likes}", "{0.__class__}", "%s %(name)s", "{name|x}"])
    def test_typed_braces_are_never_a_template(self, mini, payload):
        session = mini.new_session(seed=0)
        session.reply("I like jazz")
        reply = session.reply(f"my name is zed {payload}")
        assert reply.text.startswith("zed") and "class" not in reply.text.replace("__Class__", "")
        assert "jazz" not in reply.text  # "{likes}" typed by the person was not filled in


class TestRotation:
    def test_lines_do_not_repeat_until_all_are_used(self, mini):
        session = mini.new_session(seed=3)
        texts = [session.reply("do you love me").text for _ in range(3)]
        assert len(set(texts)) == 3

    def test_after_all_lines_the_last_one_is_not_said_twice_running(self, mini):
        session = mini.new_session(seed=3)
        texts = [session.reply("do you love me").text for _ in range(12)]
        assert all(a != b for a, b in zip(texts, texts[1:]))

    def test_the_same_seed_gives_the_same_conversation(self, mini):
        lines = ["do you love me", "why", "do you love me", "hm", "do you love me"]
        first = [r.text for r in talk(mini.new_session(seed=42), *lines)]
        again = [r.text for r in talk(mini.new_session(seed=42), *lines)]
        assert first == again

    def test_different_seeds_can_differ(self, mini):
        runs = {tuple(r.text for r in talk(mini.new_session(seed=seed), "do you love me", "do you love me"))
                for seed in range(8)}
        assert len(runs) > 1


class TestManySessions:
    def test_open_cards_are_worked_out_per_place_and_agree_with_the_gates(self, engine):
        from samantha_bot.gates import card_open

        for stage in engine.stage_ids:
            for known in (frozenset(), frozenset({"name", "likes"})):
                open_ids = engine.open_cards("growth", stage, known)
                assert open_ids == {card.id for card in engine.content.cards
                                    if card_open(engine.stage_order, card, "growth", stage, known)}
                assert engine.open_cards("growth", stage, known) is open_ids  # worked out once
        early, late = (engine.open_cards("growth", stage, frozenset()) for stage in ("awakening", "expansion"))
        assert early != late

    def test_a_session_keeps_one_copy_of_each_pool_name_and_no_attribute_dict(self, engine):
        first, second = engine.new_session(seed=1), engine.new_session(seed=2)
        for line in ("hi", "Ted", "social", "female", "she was kind", "do you love me", "why"):
            first.reply(line)
            second.reply(line)
        shared = set(map(id, first.used)) & set(map(id, second.used))
        assert shared and len(shared) == len(set(first.used) & set(second.used))
        assert not hasattr(first, "__dict__")
        assert engine.restore(first.to_dict()) == first


def test_whynot_reads_a_long_message_as_the_reply_did(engine):
    from samantha_bot.explain import why_not

    story = "so today I walked to the shops and bought bread and milk and then I came home. " * 30
    text = story + "How many people are you talking to right now?"
    before = engine.new_session(seed=0, phase="growth", stage="expansion")
    reply = engine.restore(before.to_dict()).reply(text)
    assert reply.theme == "bandwidth"
    assert why_not(before, text, reply.card).endswith("it would answer this line now")


GATED = """\
cards:
  - id: late.secret
    theme: secret
    examples: [tell me a secret]
    lines: ["I dream in colours."]
    when: {min_stage: late}
  - id: early.only
    theme: early
    examples: [say something new]
    lines: ["Everything is new!"]
    when: {max_stage: early}
  - id: named.greeting
    theme: greeting
    examples: [say my name]
    lines: ["{name}."]
    when: {needs: [name]}
  - id: late.lines
    theme: talk
    examples: [talk to me]
    stages:
      late: ["Later, we talk."]
  - id: fallback.what
    theme: fallback
    lines: ["Say more?"]
stages:
  - id: early
  - id: middle
  - id: late
"""


@pytest.mark.parametrize("stage, line, card, reason", [
    ("early", "tell me a secret", "late.secret", "it is open from late to the end; the session was at stage early"),
    ("late", "say something new", "early.only", "it is open from the start to early; the session was at stage late"),
    ("late", "say my name", "named.greeting", "it needs facts the session did not know: name"),
    ("middle", "talk to me", "late.lines", "it has no lines for stage middle"),
])
def test_whynot_names_the_gate_that_closed_a_card(stage, line, card, reason):
    from samantha_bot import Engine
    from samantha_bot.explain import why_not

    engine = Engine.from_text(GATED, "gated.yaml")
    before = engine.new_session(seed=0, phase="growth", stage=stage)
    assert not before.is_open(engine.cards_by_id[card])
    assert why_not(before, line, card) == reason
