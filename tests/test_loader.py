"""Loading packs: good ones merge in order; a broken one fails whole, with file:line:col messages."""
from __future__ import annotations

import textwrap

import pytest

from samantha_bot import ContentError, Engine

CARD = """\
cards:
  - id: a.card
    theme: greeting
    examples: [hello]
    lines: ["Hi!"]
"""


def errors_of(text: str, name: str = "pack.yaml") -> str:
    with pytest.raises(ContentError) as caught:
        Engine.from_text(textwrap.dedent(text), name)
    return caught.value.render()


def test_a_good_pack_loads_and_answers():
    engine = Engine.from_text(CARD)
    reply = engine.new_session(seed=0).reply("hello")
    assert (reply.card, reply.text) == ("a.card", "Hi!")


def test_a_pack_without_setup_or_stages_starts_in_its_implicit_stage():
    session = Engine.from_text(CARD).new_session(seed=0)
    assert (session.phase, session.stage) == ("growth", "growth")


def test_unknown_key_gives_location_caret_and_did_you_mean():
    text = errors_of("""\
        cards:
          - id: a.card
            theme: greeting
            trigers: [hello]
            lines: ["Hi!"]
        """)
    assert "pack.yaml:4:5: error: unknown key 'trigers' in card" in text
    assert "    trigers: [hello]\n        ^" in text
    assert "hint: did you mean 'examples' (ways a person may say it), or 'patterns' (exact rules)?" in text


def test_yaml_syntax_error_points_at_the_line():
    text = errors_of("cards:\n  - id: x\n    lines: [\"unclosed\n")
    assert text.startswith("pack.yaml:3:13: error: a quote (\") is opened here and never closed")


def test_every_problem_is_reported_and_nothing_is_loaded():
    text = errors_of("""\
        cards:
          - id: a
            theme: greeting
            examples: [hi]
          - id: b
            theme: greeting
            lines: ["{oops"]
            remember: {likes: add}
            when: {min_stage: nowhere, phase: grownup}
          - id: a
            theme: thanks
            lines: [ok]
            followups: {perhaps: [hm]}
        """)
    assert "card 'a' has no lines" in text
    assert "a lone brace" in text
    assert "no pattern of this card captures {likes}" in text
    assert "unknown stage 'nowhere'" in text
    assert "phase should be one of setup, growth" in text
    assert "card id 'a' is used twice in this pack" in text
    assert "unknown follow-up kind 'perhaps'" in text
    assert text.endswith("7 errors; nothing was loaded")


def test_a_pattern_naming_an_unknown_concept_is_an_error_with_a_hint():
    text = errors_of("""\
        concepts:
          lonely: [lonely, alone]
        cards:
          - id: a
            theme: loneliness
            patterns: ["i feel ~lonley"]
            lines: [oh]
        """)
    assert "pack.yaml:6:24: error: unknown concept 'lonley'" in text
    assert "did you mean 'lonely'?" in text


def test_a_broken_pattern_is_an_error():
    assert "unbalanced or empty '('" in errors_of("""\
        cards:
          - {id: a, theme: t, patterns: ["i (like"], lines: [x]}
        """)


def test_wrong_types_are_named():
    text = errors_of("""\
        cards:
          - id: a
            theme: t
            lines: {not: a list}
        stages:
          - id: s
            advance:
              - turns: many
        """)
    assert "lines should be a list of text" in text
    assert "turns should be a whole number" in text


def test_advance_rules_must_name_known_themes():
    assert "unknown theme 'lov'" in errors_of("""\
        cards:
          - {id: a, theme: love, examples: [x], lines: [y]}
        stages:
          - id: one
            advance: [{themes: [lov]}]
          - id: two
        """)


def test_folder_packs_merge_in_order_and_later_cards_replace(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    (base / "a.yaml").write_text(CARD + "concepts:\n  hi: [hello]\n")
    extra = tmp_path / "extra.yaml"
    extra.write_text(textwrap.dedent("""\
        concepts:
          hi: [howdy]
        cards:
          - id: a.card
            replace: true
            theme: greeting
            patterns: ["~hi"]
            lines: ["Howdy yourself."]
        """))
    engine = Engine.load([base, extra])
    assert "card 'a.card' replaces the one at" in engine.content.overrides[0]
    assert engine.content.concepts["hi"] == ("hello", "howdy")
    assert engine.new_session(seed=0).reply("howdy").text == "Howdy yourself."


def test_a_missing_path_is_reported_not_raised_raw(tmp_path):
    with pytest.raises(ContentError, match="no such file or folder"):
        Engine.load([tmp_path / "nope.yaml"])


def test_the_loader_is_safe_and_runs_no_tags():
    text = errors_of("cards: !!python/object/apply:os.system ['echo hi']\n")
    assert "pack.yaml:1:8: error: YAML tag '!!python/object/apply:os.system' is not allowed" in text


def test_problems_in_several_files_name_each_file(tmp_path):
    (tmp_path / "one.yaml").write_text("cards:\n  - {id: x, theme: t}\n")
    (tmp_path / "two.yaml").write_text("stages: 5\n")
    with pytest.raises(ContentError) as caught:
        Engine.load([tmp_path])
    text = caught.value.render()
    assert "one.yaml:2:5:" in text and "two.yaml:1:9:" in text


@pytest.mark.parametrize("text, message", [
    ("x: \x00", "pack.yaml:1:4: error: character U+0000 is not allowed in YAML"),
    ("cards: [" + "[" * 5000, "nest"),  # libyaml: "maximum nesting depth"; pure: "nested too deeply"
    ("&a [*a]", "file should be a mapping"),
])
def test_hostile_yaml_is_an_error_not_a_crash(text, message):
    assert message in errors_of(text)


def test_a_flood_of_problems_is_capped_and_counted():
    text = errors_of("cards:\n - id: x\n   theme: t\n   lines: [" + "[a]," * 5000 + "]\n")
    assert text.endswith("5001 errors; nothing was loaded")  # 5000 items, and no lines
    assert "... and 4901 more not shown" in text
    assert max(len(line) for line in text.splitlines()) < 200


def test_a_later_pack_may_extend_a_card(tmp_path):
    (tmp_path / "base.yaml").write_text(CARD)
    (tmp_path / "more.yaml").write_text(textwrap.dedent("""\
        cards:
          - id: a.card
            extend: true
            examples: [howdy partner]
            lines: ["Howdy!"]
        """))
    engine = Engine.load([tmp_path / "base.yaml", tmp_path / "more.yaml"])
    card = engine.cards_by_id["a.card"]
    assert (card.theme, card.examples, card.lines) == ("greeting", ("hello", "howdy partner"), ("Hi!", "Howdy!"))
    assert "extends" in engine.content.overrides[0]


def test_reusing_an_id_from_an_earlier_pack_must_be_said(tmp_path):
    (tmp_path / "base.yaml").write_text(CARD)
    (tmp_path / "again.yaml").write_text(CARD)
    with pytest.raises(ContentError) as caught:
        Engine.load([tmp_path / "base.yaml", tmp_path / "again.yaml"])
    text = caught.value.render()
    assert f"{tmp_path / 'again.yaml'}:2:5: error: card id 'a.card' is already used at {tmp_path / 'base.yaml'}:2:5" in text
    assert "say 'replace: true'" in text


def test_extending_a_card_that_does_not_exist_is_an_error(tmp_path):
    (tmp_path / "base.yaml").write_text(CARD)
    (tmp_path / "more.yaml").write_text("cards:\n  - {id: a.crad, extend: true, lines: [x]}\n")
    with pytest.raises(ContentError, match="did you mean 'a.card'"):
        Engine.load([tmp_path / "base.yaml", tmp_path / "more.yaml"])
