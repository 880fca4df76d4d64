"""The public contract of SPEC.md, used exactly as written there."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import samantha_bot
from samantha_bot import Engine, StateError

SPEC_STAGES = ["awakening", "intimacy", "expansion", "departure"]


def test_load_with_no_paths_is_the_bundled_persona(engine):
    named = Engine.load([samantha_bot.bundled_dialogues()])
    assert [card.id for card in named.content.cards] == [card.id for card in engine.content.cards]
    assert engine.stage_ids == tuple(SPEC_STAGES)


def test_new_session_starts_in_setup(engine):
    session = engine.new_session(seed=0)
    assert session.phase == "setup"
    assert session.stage is None


@pytest.mark.parametrize("stage", SPEC_STAGES)
def test_new_session_can_start_at_any_stage(engine, stage):
    session = engine.new_session(seed=0, phase="growth", stage=stage)
    assert (session.phase, session.stage) == ("growth", stage)


def test_growth_defaults_to_the_first_stage(engine):
    assert engine.new_session(seed=0, phase="growth").stage == "awakening"


def test_reply_has_text_theme_card_and_score(growth):
    reply = growth.reply("hello")
    assert isinstance(reply.text, str) and reply.text
    assert reply.theme == "greeting"
    assert reply.card in {card.id for card in growth.engine.content.cards}
    assert 0.0 <= reply.score <= 100.0
    assert (reply.phase, reply.stage) == ("growth", "awakening")


def test_nothing_matched_is_the_fallback_theme(growth):
    reply = growth.reply("what's a good recipe for lasagna")
    assert reply.theme == "fallback"
    assert reply.text


@pytest.mark.parametrize("phase, stage", [("adulthood", None), ("growth", "teenage"), ("setup", "awakening")])
def test_bad_start_arguments_raise_a_clear_value_error(engine, phase, stage):
    with pytest.raises(ValueError, match="phase|stage"):
        engine.new_session(seed=0, phase=phase, stage=stage)


def test_state_round_trips_exactly_through_json(engine):
    session = engine.new_session(seed=7)
    for text in ["hi", "Theodore", "antisocial", "female", "she's fine", "do you love me", "why?"]:
        session.reply(text)
    data = json.loads(json.dumps(session.to_dict()))
    restored = engine.restore(data)
    assert restored.to_dict() == session.to_dict()
    follow = ["tell me a joke", "what's my name?", "are you talking to anyone else?"]
    assert [restored.reply(t).text for t in follow] == [session.reply(t).text for t in follow]


@pytest.mark.parametrize("data", [None, [], {"version": 99}, {"version": 1, "phase": "growth"},
                                  {"version": 1, "seed": 0, "phase": "growth", "stage": "nowhere",
                                   "step": 0, "asked": False, "turns": 0, "stage_turns": 0,
                                   "stage_themes": [], "facts": {}, "used": {}, "last": None}])
def test_restore_rejects_foreign_state_with_state_error(engine, data):
    with pytest.raises(StateError):
        engine.restore(data)


def test_engine_is_read_only_and_shared(engine):
    with pytest.raises(AttributeError):
        engine.index = None
    first, second = engine.new_session(seed=1, phase="growth"), engine.new_session(seed=1, phase="growth")
    first.reply("do you love me")
    assert second.to_dict()["used"] == {}


def test_warm_compiles_dangers_patterns_always_and_the_rest_within_its_budget():
    """Before the first line: danger's patterns whatever the budget; the persona's other ones
    within the default budget; and a warm engine answers as a cold one does."""
    def compiled(engine: Engine) -> tuple[int, int]:
        rules = engine.index.rules
        urgent = [rule for rule in rules if engine.index.cards[rule.card].urgent]
        return (sum("regex" in rule.pattern.__dict__ for rule in urgent) - len(urgent),
                sum("regex" in rule.pattern.__dict__ for rule in rules) - len(rules))
    cold, hurried, warm = Engine.load(), Engine.load(), Engine.load()
    assert compiled(cold)[0] < 0
    hurried.warm(budget=0.0)
    assert compiled(hurried)[0] == 0 and compiled(hurried)[1] < 0
    assert warm.warm() == len(warm.index.rules) and compiled(warm) == (0, 0)
    lines = ["hi", "I want to kill myself", "my name is Robin", "what do you think about love?"]
    first, second = cold.new_session(seed=3, phase="growth"), warm.new_session(seed=3, phase="growth")
    assert [first.reply(line).text for line in lines] == [second.reply(line).text for line in lines]


def test_public_names_are_exported():
    for name in ["Engine", "Reply", "Session", "ContentError", "StateError"]:
        assert name in samantha_bot.__all__


def test_bundled_dialogues_ship_inside_an_installed_package():
    package = samantha_bot.bundled_dialogues()
    assert (package / "stages.yaml").is_file()
    here = Path(samantha_bot.__file__).resolve().parent
    # A wheel carries the persona inside the package; an editable install reads the source tree's.
    expected = here / "dialogues" if "site-packages" in str(here) else here.parent / "dialogues"
    assert package.resolve() == expected


PROCESS_FINGERPRINT = """
from samantha_bot import Engine
engine = Engine.load()
session = engine.new_session(seed=4, phase="growth")
print(repr(sum(engine.index.example_total)), repr(engine.index.example_total[:50]))
for line in ["do you love me", "are you real", "i feel so alone tonight", "tell me about alan watts"]:
    reply = session.reply(line)
    print(reply.card, repr(reply.score), [(c.card.id, repr(c.score)) for c in reply.candidates], reply.text)
"""


def test_the_same_seed_gives_the_same_replies_in_any_process():
    """String hashes differ from process to process; nothing she computes may depend on them."""
    import os
    import subprocess
    import sys

    runs = [subprocess.run([sys.executable, "-c", PROCESS_FINGERPRINT], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(seed))).stdout for seed in (1, 2)]
    assert runs[0] == runs[1] and runs[0].count("\n") == 5
