"""`samantha lint`: what loads but will not work is shown as warnings, with the card that steals."""
from __future__ import annotations

import io
import textwrap

from samantha_bot.cli import main


def lint(tmp_path, text: str, *flags: str) -> tuple[int, str]:
    pack = tmp_path / "pack.yaml"
    pack.write_text(textwrap.dedent(text))
    out = io.StringIO()
    code = main(["lint", *flags, str(pack)], stdout=out, stderr=io.StringIO())
    return code, out.getvalue().replace(str(pack), "pack.yaml")


GOOD = """\
    cards:
      - id: tea.like
        theme: tea
        examples: [do you like tea, what is your favourite tea]
        lines: ["Earl Grey, obviously."]
    """.rstrip(" ")


def test_a_clean_pack_passes_strict(tmp_path):
    assert lint(tmp_path, GOOD, "--strict") == (0, "pack.yaml: 0 errors, 0 warnings\n")


def test_an_example_answered_by_another_card_names_the_thief(tmp_path):
    code, out = lint(tmp_path, GOOD + """\
      - id: tea.green
        theme: tea
        examples: [do you like tea]
        lines: ["Green, sometimes."]
    """)
    assert code == 0  # warnings alone do not fail without --strict
    assert "pack.yaml:8:16: warning: example 'do you like tea' is also an example of card 'tea.like'" in out
    assert "of card 'tea.like' is answered by card 'tea.green' instead" in out  # a tie: ids decide
    assert lint(tmp_path, GOOD.replace("tea.like", "x") + "", "--strict")[0] == 0


def test_strict_fails_on_warnings(tmp_path):
    code, out = lint(tmp_path, GOOD + """\
      - id: tea.silent
        theme: tea
        lines: ["Nobody asks me this."]
    """, "--strict")
    assert code == 1
    assert "card 'tea.silent' has no examples or patterns: no input can reach it" in out


def test_a_line_naming_an_unknown_value(tmp_path):
    _, out = lint(tmp_path, GOOD.replace('"Earl Grey, obviously."', '"{nmae}, Earl Grey."'))
    assert "has a line naming {nmae}, which nothing remembers" in out and "did you mean 'name'?" in out


def test_empty_lists_and_stages_that_never_come(tmp_path):
    _, out = lint(tmp_path, GOOD + """\
        patterns: []
    stages:
      - id: one
      - id: two
    """)
    assert "patterns is an empty list" in out
    assert "stage 'two' never comes" in out


def test_errors_exit_1_with_location(tmp_path):
    code, out = lint(tmp_path, GOOD.replace("examples:", "exampels:"))
    assert code == 1
    assert "pack.yaml:4:5: error: unknown key 'exampels' in card" in out
    assert "did you mean 'examples'?" in out


def test_tabs_get_a_hint(tmp_path):
    _, out = lint(tmp_path, "cards:\n\t- id: x\n")
    assert "YAML indents with spaces, not tabs" in out


def test_the_bundled_dialogues_lint_clean_with_strict():
    out = io.StringIO()
    assert main(["lint", "--strict", "dialogues"], stdout=out, stderr=io.StringIO()) == 0, out.getvalue()


def test_the_summary_counts_packs_rather_than_listing_them(tmp_path):
    (tmp_path / "a.yaml").write_text(textwrap.dedent(GOOD))
    (tmp_path / "b.yaml").write_text("cards:\n  - {id: tea.other, theme: tea, examples: [green or black], lines: [Green.]}\n")
    out = io.StringIO()
    code = main(["lint", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")], stdout=out, stderr=io.StringIO())
    assert (code, out.getvalue().splitlines()[-1]) == (0, "2 packs: 0 errors, 0 warnings")
