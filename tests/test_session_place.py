"""A session keeps one place that only phases.advance() moves; its saved form is what it always was."""
from __future__ import annotations

import json

import pytest

from samantha_bot.chat import Chat
from samantha_bot.commands import progress_forms
from samantha_bot.engine import bundled_dialogues
from samantha_bot.phases import GROWTH, SETUP, Place

# Saved by the version that kept the phase, step and stage as loose fields: such files must still load.
MID_SETUP = {
    "version": 1, "seed": 0, "phase": "setup", "stage": None, "step": 1, "asked": True, "unclear": 1, "turns": 6,
    "stage_turns": 0, "stage_themes": [], "facts": {},
    "used": {"setup.name": [3], "setup.name/steer": [4], "setup.name/skipped": [1], "setup.social": [0],
             "setup.social/steer": [0], "setup.social/again": [0]},
    "last": None, "recent": ["setup.name/steer#4", "setup.name/skipped#1", "setup.social#0", "setup.social/steer#0",
                             "setup.social/again#0"], "held": None}
IN_GROWTH = {
    "version": 1, "seed": 0, "phase": "growth", "stage": "awakening", "step": 0, "asked": False, "unclear": 0,
    "turns": 9, "stage_turns": 5, "stage_themes": ["identity", "naming"],
    "facts": {"name": "Theodore", "social": "social", "voice": "female", "mother": "she's gone now, but we were close"},
    "used": {"setup.hello": [3], "naming.whats_your_name": [1, 2, 0], "identity.what_are_you": [1]},
    "last": {"card": "identity.what_are_you", "question": False},
    "recent": ["setup.hello#3", "naming.whats_your_name#1", "identity.what_are_you#1"], "held": None}


def test_setup_moves_the_place_one_question_at_a_time(engine):
    session = engine.new_session(seed=0)
    session.opening()
    assert session.place == Place(SETUP, step=0, asked=True)
    places = []
    for line in ["hi", "Theodore", "antisocial", "female", "she's fine", "do you love me"]:
        session.reply(line)
        places.append(session.place)
    assert [(place.phase, place.step) for place in places[:4]] == [(SETUP, 0), (SETUP, 1), (SETUP, 2), (SETUP, 3)]
    assert places[4] == Place(GROWTH, stage="awakening")
    assert places[5] == Place(GROWTH, stage="awakening", stage_turns=1, stage_themes=("love",))


@pytest.mark.parametrize("name", ["phase", "stage", "step", "unclear"])
def test_the_place_is_read_through_properties_that_cannot_be_set(growth, name):
    with pytest.raises(AttributeError):
        setattr(growth, name, None)


@pytest.mark.parametrize("saved", [MID_SETUP, IN_GROWTH], ids=["mid-setup", "in-growth"])
def test_state_saved_before_the_place_loads_and_saves_the_same(engine, saved):
    session = engine.restore(json.loads(json.dumps(saved)))
    assert session.to_dict() == saved
    assert list(session.to_dict()) == list(saved)  # the same keys, in the same order


def test_a_restored_place_is_the_one_saved(engine):
    assert engine.restore(MID_SETUP).place == Place(SETUP, step=1, asked=True, unclear=1)
    assert engine.restore(IN_GROWTH).place == Place(GROWTH, stage="awakening", stage_turns=5,
                                                    stage_themes=("identity", "naming"))
    older = {key: value for key, value in MID_SETUP.items() if key != "unclear"}  # saved before the count
    assert engine.restore(older).place.unclear == 0


def test_the_toolbar_reads_what_the_next_stage_waits_for_from_the_phases(engine):
    chat, _ = Chat.open([str(bundled_dialogues())], 0, None, notice=print)
    assert progress_forms(chat) == [" setup: question 1 of 4", " setup 1/4"]
    chat.session = engine.new_session(seed=0, phase="growth")
    chat.reply("ok")
    assert progress_forms(chat) == [" growth · stage awakening (1 of 4) · 1/10 turns toward intimacy",
                                    " awakening 1/4 · 1/10 turns", " awakening 1/4"]
    for _ in range(11):  # the turns are spent, and the stage still waits for themes and things learned
        chat.reply("ok")
    assert chat.session.stage == "awakening"
    shown = progress_forms(chat)[0]
    assert "/10 turns" not in shown and "toward intimacy: " in shown, shown
    chat.session = engine.new_session(seed=0, phase="growth", stage="departure")
    assert progress_forms(chat) == [" growth · stage departure (4 of 4)", " departure 4/4"]
