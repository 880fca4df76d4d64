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
    assert phases.next_stage(STAGES, "one", 2, ["love"]) is None
    assert phases.next_stage(STAGES, "one", 3, []) == "two"
    assert phases.next_stage(STAGES, "one", 1, ["music", "love"]) == "two"


def test_the_last_stage_never_ends():
    assert phases.next_stage(STAGES, "three", 1000, ["love"]) is None


def test_stage_order():
    order = phases.stage_order(STAGES)
    assert phases.reached(order, "two", "one")
    assert not phases.reached(order, "one", "two")
    assert not phases.reached(order, None, "one")


def test_a_pack_without_stages_has_one_implicit_stage():
    assert phases.stage_ids(()) == ("growth",)
