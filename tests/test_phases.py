"""The setup/growth state machine, walked step by step; an illegal move changes nothing."""
from __future__ import annotations

import pytest

from samantha_bot import phases
from samantha_bot.errors import Location
from samantha_bot.model import AdvanceRule, Stage

STAGES = (Stage("one", Location("t"), (AdvanceRule(turns=3), AdvanceRule(turns=1, themes=("love", "music")))),
          Stage("two", Location("t"), (AdvanceRule(turns=2),)),
          Stage("three", Location("t")))


def test_setup_moves_to_growth_only_when_done():
    assert phases.next_phase("setup", "answered") == "setup"
    assert phases.next_phase("setup", "setup_done") == "growth"


@pytest.mark.parametrize("phase, event", [("growth", "setup_done"), ("setup", "stage_done"),
                                          ("growth", "answered"), ("nowhere", "turn")])
def test_illegal_moves_raise(phase, event):
    with pytest.raises(phases.IllegalMove):
        phases.next_phase(phase, event)


def test_a_stage_ends_when_any_rule_holds():
    P = phases.Progress
    assert phases.next_stage(STAGES, "one", P(2, ["love"])) is None
    assert phases.next_stage(STAGES, "one", P(3, [])) == "two"
    assert phases.next_stage(STAGES, "one", P(1, ["music", "love"])) == "two"


def test_the_last_stage_never_ends():
    assert phases.next_stage(STAGES, "three", phases.Progress(1000, ["love"])) is None


def test_a_stage_can_wait_for_the_conversation_to_go_somewhere():
    earned = (Stage("one", Location("t"), (AdvanceRule(turns=4, topics=2), AdvanceRule(learned=2))),
              Stage("two", Location("t")))
    P = phases.Progress
    assert phases.next_stage(earned, "one", P(100, ["love"])) is None  # turns alone are not enough
    assert phases.next_stage(earned, "one", P(4, ["love", "music"])) == "two"
    assert phases.next_stage(earned, "one", P(1, [], learned=2)) == "two"
    assert phases.still_missing(earned, "one", P(1, ["love"])) == [
        "3 more turns, 1 more theme talked about", "2 more things learned about you"]
    assert phases.still_missing(earned, "two", P()) == []


def test_stage_order():
    order = phases.stage_order(STAGES)
    assert phases.reached(order, "two", "one")
    assert not phases.reached(order, "one", "two")
    assert not phases.reached(order, None, "one")


def test_a_pack_without_stages_has_one_implicit_stage():
    assert phases.stage_ids(()) == ("growth",)
