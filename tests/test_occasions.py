"""Cards the program says by itself (`occasion:`): the welcome back, the goodbye and the last resort
are found by their occasion, never matched, one card each; a pack with no last resort still answers."""
from __future__ import annotations

import io
import textwrap

import pytest

from samantha_bot import ContentError, Engine
from samantha_bot.chat import Chat, said_on
from samantha_bot.cli import main
from samantha_bot.engine import LAST_RESORT, bundled_dialogues

PACK = """\
    cards:
      - id: tea.like
        theme: tea
        examples: [do you like tea]
        lines: ["Earl Grey."]
      - id: door.back
        theme: greeting
        occasion: away_hours
        lines: ["Back again."]
      - id: door.bye
        theme: farewell
        occasion: goodbye
        lines: ["See you."]
      - id: lost
        theme: fallback
        occasion: last_resort
        lines: ["I lost the thread there."]
    """


def load(text: str) -> Engine:
    return Engine.from_text(textwrap.dedent(text), "pack.yaml")


def errors_of(text: str) -> str:
    with pytest.raises(ContentError) as caught:
        load(text)
    return caught.value.render()


def test_the_program_finds_each_card_by_its_occasion():
    engine = load(PACK)
    assert [said_on(engine, occasion) for occasion in ("away_hours", "goodbye", "away_days")] == \
        ["door.back", "door.bye", ""]
    chat = Chat(engine, engine.new_session(seed=0), packs=[])
    assert chat.welcome_back(3 * 3600).text == "Back again."
    assert chat.welcome_back(3 * 86400) is None  # no card for days away: no welcome
    assert chat.goodbye() == "See you."


def test_the_last_resort_is_the_packs_card_and_never_an_ordinary_fallback():
    engine = load(PACK)
    assert engine.last_resort.id == "lost" and engine.fallbacks == ()
    reply = engine.new_session(seed=0).reply("the weather on jupiter")
    assert (reply.card, reply.text) == ("lost", "I lost the thread there.")


def test_a_pack_without_a_last_resort_answers_with_the_built_in_line():
    engine = load(PACK.replace("occasion: last_resort", "when: {needs: [never_told]}"))
    assert engine.last_resort is LAST_RESORT
    assert engine.new_session(seed=0).reply("the weather on jupiter").text == LAST_RESORT.lines[0]


def test_the_persona_says_its_own_last_resort_and_returning_cards():
    engine = Engine.load()
    assert engine.last_resort.id == "fallback.last_resort"
    assert engine.last_resort not in engine.fallbacks
    assert {occasion: said_on(engine, occasion) for occasion in ("away_minutes", "away_hours", "away_days",
                                                               "goodbye")} == {
        "away_minutes": "returning.minutes", "away_hours": "returning.hours", "away_days": "returning.days",
        "goodbye": "returning.goodbye"}


def test_an_unknown_occasion_is_an_error_with_a_hint():
    text = errors_of(PACK.replace("occasion: goodbye", "occasion: goodby"))
    assert "pack.yaml:12:15: error: unknown occasion 'goodby'" in text and "did you mean 'goodbye'?" in text


def test_a_card_said_on_an_occasion_takes_no_examples():
    text = errors_of(PACK.replace("occasion: goodbye", "occasion: goodbye\n        examples: [bye]"))
    assert "pack.yaml:12:15: error: a card said on an occasion ('goodbye') is never matched" in text


def test_two_cards_for_one_occasion_is_an_error():
    text = errors_of(PACK + "  - {id: door.ciao, theme: farewell, occasion: goodbye, lines: [Ciao.]}\n")
    assert "pack.yaml:18:5: error: occasion 'goodbye' is already said by card 'door.bye' (pack.yaml:10:5)" in text


def test_an_extension_cannot_make_an_occasion_card_matched(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("cards:\n  - {id: returning.goodbye, extend: true, examples: [bye]}\n")
    with pytest.raises(ContentError, match="is said on an occasion \\('goodbye'\\) and never matched"):
        Engine.load([bundled_dialogues(), extra])


def test_lint_knows_a_card_said_on_an_occasion_is_reached(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(textwrap.dedent(PACK))
    out = io.StringIO()
    assert main(["lint", "--standalone", "--strict", str(pack)], stdout=out, stderr=io.StringIO()) == 0, \
        out.getvalue()
    pack.write_text(textwrap.dedent(PACK).replace("    occasion: away_hours\n", ""))
    out = io.StringIO()
    main(["lint", "--standalone", str(pack)], stdout=out, stderr=io.StringIO())
    assert "card 'door.back' has no examples or patterns: no input can reach it" in out.getvalue()
