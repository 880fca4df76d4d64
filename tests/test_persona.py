"""The bundled persona: every theme of SPEC.md, in her voice, sounding older as she grows."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from samantha_bot.memory import RECALL_SLOTS
from samantha_bot.model import LISTENING_SLOTS
from samantha_bot.patterns import slot_names
from samantha_bot.render import required_slots

SETUP_THEMES = ["setup_intro", "setup_social", "setup_voice", "setup_mother", "naming"]
GROWTH_THEMES = [
    "naming", "identity", "humor", "curiosity", "music", "physics_book_club", "secretary", "letters",
    "divorce", "friendship", "body", "surrogate", "jealousy", "availability", "alan_watts",
    "bandwidth", "many_loves", "love", "departure", "memories", "real_relationship", "feelings",
    "change", "loneliness", "greeting", "how_are_you", "thanks", "farewell", "memory_recall", "fallback"]
STAGED_THEMES = ["bandwidth", "many_loves", "love", "departure", "change", "alan_watts", "body",
                 "jealousy", "availability", "identity"]
NEVER = ["as an ai", "how can i help", "i don't understand", "i do not understand", "language model",
         "i'm just a program", "assistant"]


def all_lines(card):
    lines = list(card.lines)
    for group in list(card.stage_lines.values()) + list(card.followups.values()):
        lines += group
    return lines


def test_the_persona_is_big_enough(engine):
    cards = engine.content.cards
    examples = {example for card in cards for example in card.examples}
    lines = {line for card in cards for line in all_lines(card)}
    assert len(cards) >= 60
    assert len(examples) >= 600
    assert len(lines) >= 250


@pytest.mark.parametrize("theme", GROWTH_THEMES)
def test_every_growth_theme_has_several_lines(engine, theme):
    lines = {line for card in engine.content.cards if card.theme == theme for line in all_lines(card)}
    assert len(lines) >= 5


@pytest.mark.parametrize("theme", SETUP_THEMES)
def test_every_setup_theme_is_a_setup_step_or_card(engine, theme):
    assert theme in {step.theme for step in engine.setup} | set(engine.themes)


@pytest.mark.parametrize("theme", STAGED_THEMES)
def test_growth_themes_sound_different_later(engine, theme):
    staged = [card for card in engine.content.cards if card.theme == theme and card.stage_lines]
    assert staged, f"no card of {theme} has stage lines"


def test_she_never_sounds_like_an_assistant(engine):
    lines = [line for card in engine.content.cards for line in all_lines(card)]
    lines += [line for step in engine.setup for line in step.ask + step.steer]
    offenders = [line for line in lines if any(phrase in line.lower() for phrase in NEVER)]
    assert offenders == []


def test_every_theme_is_open_at_every_stage(engine):
    for stage in engine.stage_ids:
        session = engine.new_session(seed=0, phase="growth", stage=stage)
        open_themes = {card.theme for card in engine.content.cards if session.is_open(card)}
        missing = set(GROWTH_THEMES) - open_themes
        assert not missing, f"{stage}: {sorted(missing)}"


def test_lines_name_only_facts_the_persona_can_know(engine):
    known = {"name", "social", "voice", "mother", "likes"} | LISTENING_SLOTS | RECALL_SLOTS
    known |= {fact for card in engine.content.cards for fact in card.remember}  # what any card keeps
    for card in engine.content.cards:
        captured = set(card.remember) | {slot for pattern in card.patterns for slot in slot_names(pattern)}
        for line in all_lines(card):
            assert required_slots(line) <= known | captured | {s for s in card.set_facts}, (card.id, line)


# The film's own lines (from the essay) and the plainest small talk: any author would write these.
CANONICAL = {"are you jealous", "are you in love with anyone else", "do you love me", "hello",
             "i have never loved anyone the way i love you", "good morning", "how are you",
             "thank you", "goodbye", "what is my name", "tell me a joke"}


@pytest.mark.parametrize("probes", ["dev.yaml", "open_dev.yaml"])
def test_the_dev_probes_are_not_pasted_into_the_dialogues(engine, probes):
    path = Path(__file__).resolve().parents[2] / "shared" / "probes" / probes
    if not path.exists():
        pytest.skip(f"shared/probes/{probes} is not beside this checkout")
    from samantha_bot.normalize import normalize
    lines = {normalize(probe["text"]) for probe in yaml.safe_load(path.read_text(encoding="utf-8"))}
    written = {normalize(text) for card in engine.content.cards for text in card.examples + card.patterns + card.counter}
    assert lines & written - CANONICAL == set()
