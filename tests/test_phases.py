"""The setup/growth state machine, walked step by step; an illegal move raises and changes nothing."""
from __future__ import annotations

import dataclasses

import pytest

from samantha_bot import phases
from samantha_bot.errors import Location
from samantha_bot.model import AdvanceRule, Stage
from samantha_bot.phases import GROWTH, SETUP, Asked, IllegalMove, Place, SetupDone, Turn, Unclear, advance

STAGES = (Stage("one", Location("t"), (AdvanceRule(turns=3), AdvanceRule(turns=1, themes=("love", "music")))),
          Stage("two", Location("t"), (AdvanceRule(turns=2),)),
          Stage("three", Location("t")))


def walk(place: Place, *events: phases.Event, stages: tuple[Stage, ...] = STAGES) -> list[Place]:
    """Every place `place` passes through on `events`, the last one last."""
    passed = []
    for event in events:
        place = advance(place, event, stages)
        passed.append(place)
    return passed


# --- setup


def test_setup_walks_question_by_question_into_growth():
    first, unclear, again, second, third, done = walk(
        Place(), Asked(0), Unclear(), Asked(0), Asked(1), Asked(2), SetupDone())
    assert first == Place(SETUP, step=0, asked=True)
    assert unclear == Place(SETUP, step=0, asked=True, unclear=1)
    assert again == unclear  # asked again in its plain form: the unclear answer still counts
    assert second == Place(SETUP, step=1, asked=True)  # a new question starts its count afresh
    assert third == Place(SETUP, step=2, asked=True)
    assert done == Place(GROWTH, stage="one")


def test_unclear_answers_count_up_to_the_default():
    *_, twice = walk(Place(SETUP, step=1, asked=True), Unclear(), Unclear())
    assert twice.unclear == phases.UNCLEAR_ANSWERS  # the session leaves the default and asks the next
    assert advance(twice, Asked(2)) == Place(SETUP, step=2, asked=True)


def test_an_answer_before_any_question_moves_straight_on():
    assert advance(Place(), Asked(2)) == Place(SETUP, step=2, asked=True)


def test_an_unclear_line_before_the_question_is_not_held_against_it():
    counted = advance(Place(), Unclear())
    assert advance(counted, Asked(0)) == Place(SETUP, step=0, asked=True, unclear=0)


def test_setup_done_starts_the_implicit_stage_of_a_pack_without_stages():
    assert walk(Place(), Asked(0), SetupDone(), stages=())[-1] == Place(GROWTH, stage="growth")


# --- growth


def test_turns_alone_end_a_stage():
    *_, second, third = walk(Place(GROWTH, stage="one"), Turn("a"), Turn("b"), Turn("c"))
    assert second == Place(GROWTH, stage="one", stage_turns=2, stage_themes=("a", "b"))
    assert third == Place(GROWTH, stage="two")  # the next stage starts with nothing counted


def test_themes_touched_are_kept_sorted_once_and_end_a_stage_by_their_rule():
    love, fallback = walk(Place(GROWTH, stage="one"), Turn("love"), Turn("fallback"))
    assert love.stage_themes == fallback.stage_themes == ("love",)  # a fallback talks about nothing
    assert advance(love, Turn("love"), STAGES) == Place(GROWTH, stage="one", stage_turns=2, stage_themes=("love",))
    music_first = walk(Place(GROWTH, stage="one"), Turn("music"), Turn("love"))
    assert music_first[0] == Place(GROWTH, stage="one", stage_turns=1, stage_themes=("music",))
    assert music_first[1] == Place(GROWTH, stage="two")  # turns: 1 with love and music


def test_a_stage_can_wait_for_things_learned():
    earned = (Stage("one", Location("t"), (AdvanceRule(turns=4, topics=2), AdvanceRule(learned=2))),
              Stage("two", Location("t")))
    start = Place(GROWTH, stage="one")
    assert walk(start, *[Turn("love")] * 10, stages=earned)[-1].stage == "one"  # turns alone are not enough
    assert advance(start, Turn("love", learned=2), earned).stage == "two"
    assert walk(start, Turn("love"), Turn("music"), Turn("love"), Turn("love"), stages=earned)[-1].stage == "two"


def test_the_last_stage_never_ends():
    assert walk(Place(GROWTH, stage="three"), *[Turn("love")] * 50)[-1] == Place(
        GROWTH, stage="three", stage_turns=50, stage_themes=("love",))


def test_without_stages_growth_stays_in_its_one_stage():
    assert advance(Place(GROWTH, stage="growth"), Turn("love"), ()) == Place(
        GROWTH, stage="growth", stage_turns=1, stage_themes=("love",))


# --- illegal moves


@pytest.mark.parametrize("place, event", [
    (Place(GROWTH, stage="one"), Asked(0)),
    (Place(GROWTH, stage="one"), Unclear()),
    (Place(GROWTH, stage="one"), SetupDone()),
    (Place(SETUP, step=1, asked=True), Turn("love")),
    (Place(SETUP, step=2, asked=True), Asked(1)),  # no going back to an earlier question
    (Place(), SetupDone()),  # setup ends on putting its last question
    (Place(GROWTH, stage="nowhere"), Turn("love")),
    (Place("nowhere"), Turn("love")),
], ids=["ask-in-growth", "unclear-in-growth", "setup-done-twice", "turn-in-setup", "ask-backwards",
        "done-unasked", "unknown-stage", "unknown-phase"])
def test_illegal_moves_raise_and_leave_the_place_as_it_was(place, event):
    before = dataclasses.replace(place)
    with pytest.raises(IllegalMove):
        advance(place, event, STAGES)
    assert place == before


def test_a_place_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Place().phase = GROWTH  # type: ignore[misc]


# --- what the next stage waits for


def test_the_outlook_says_what_each_way_out_still_waits_for():
    earned = (Stage("one", Location("t"), (AdvanceRule(turns=4, topics=2), AdvanceRule(learned=2))),
              Stage("two", Location("t")))
    ahead = phases.outlook(Place(GROWTH, stage="one", stage_turns=1, stage_themes=("love",)), earned)
    assert ahead == phases.Outlook(0, 2, "two", ("3 more turns, 1 more theme talked about",
                                                  "2 more things learned about you"), turns=4)
    assert phases.outlook(Place(GROWTH, stage="one"), earned, learned=1).waiting[-1] == "1 more thing learned about you"


def test_the_outlook_counts_only_turn_rules_that_name_no_theme():
    assert phases.outlook(Place(GROWTH, stage="one"), STAGES).turns == 3
    assert phases.outlook(Place(GROWTH, stage="one", stage_themes=("love",)), STAGES).waiting == (
        "3 more turns", "1 more turn, music")


def test_nothing_waits_in_the_last_stage_during_setup_or_without_stages():
    assert phases.outlook(Place(GROWTH, stage="three"), STAGES) == phases.Outlook(2, 3)
    assert phases.outlook(Place(), STAGES) == phases.Outlook(0, 3)
    assert phases.outlook(Place(GROWTH, stage="growth"), ()) == phases.Outlook(0, 1)


# --- the stage order


def test_stage_order():
    order = phases.stage_order(STAGES)
    assert phases.reached(order, "two", "one")
    assert not phases.reached(order, "one", "two")
    assert not phases.reached(order, None, "one")


def test_a_pack_without_stages_has_one_implicit_stage():
    assert phases.stage_ids(()) == ("growth",)
