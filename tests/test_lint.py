"""`samantha lint`: what loads but will not work is shown as warnings, with the card that steals;
packs are checked on top of the bundled persona (or alone, with --standalone)."""
from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from samantha_bot.cli import main
from samantha_bot.engine import bundled_dialogues


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


BORROWED = """\
    cards:
      - id: friends.any
        theme: friendship
        examples: [do you have any friends, are we friends]
        lines: ["Of course! I think about Catherine sometimes, though.", "Amy laughed at my joke."]
        stages:
          later: ["Your friends were so kind to me. Paul is my favourite."]
      - id: friends.amy
        theme: friendship
        examples: [my friend amy has an os too, i had dinner with amy]
        lines: ["Amy! Tell her I said hi.", "How is Amy? Ask her if she still likes Earl Grey."]
      - id: friends.ben
        theme: friendship
        patterns: ["my friend {friend:word} is sad"]
        examples: [is my friend ok]
        lines: ["Be kind to {friend|them}. I read Alan Watts on a Tuesday.",
                "Earl Grey helps. So does the National Domestic Violence Hotline, if it comes to that."]
    stages:
      - id: now
        advance: [{turns: 5, topics: 2}]
      - id: later
    """


def test_a_line_naming_someone_its_examples_never_mention(tmp_path):
    code, out = lint(tmp_path, BORROWED, "--standalone", "--strict")
    assert code == 1
    assert ("pack.yaml:5:39: warning: card 'friends.any' has a line naming 'Catherine', whom its examples "
            "never mention: she would say it to someone who never spoke of them") in out
    assert "card 'friends.any' has a line naming 'Amy'" in out  # a name of the film, even opening a sentence
    assert "card 'friends.any' has a line naming 'Paul'" in out  # stage lines too
    assert "HER_OWN_NAMES" in out  # the hint says where her own names are kept
    # the person said Amy; a slot is the person's own word; her own names, titles and days are hers
    assert "friends.amy" not in out and "friends.ben" not in out
    assert out.count("naming") == 3


def test_a_line_naming_only_what_its_examples_mention_is_clean(tmp_path):
    pack = BORROWED.replace("examples: [do you have any friends, are we friends]",
                            "examples: [do you have any friends, is catherine your friend, "
                            "does amy like you, what do you think of paul]")
    assert lint(tmp_path, pack, "--standalone", "--strict") == (0, "pack.yaml: 0 errors, 0 warnings\n")


PLACED = """\
    cards:
      - id: pets.dog
        theme: pets
        examples: [do you like my dog, Category five storm]
        lines:
          - 'It''s a Category of its own.'
          - "Does your dog like Cat, {petname}?"
        when: {needs: [dog]}
    """


def test_warnings_are_placed_at_what_they_are_about_in_the_card(tmp_path):
    """At the fact in 'needs' (not 'dog' in the id above it), at the slot, and at the name as a
    whole word (not the 'Cat' of 'Category' in an example or another line)."""
    _, out = lint(tmp_path, PLACED, "--standalone")
    assert "pack.yaml:8:20: warning: card 'pets.dog' needs the fact 'dog'" in out
    assert "pack.yaml:7:34: warning: card 'pets.dog' has a line naming {petname}" in out
    assert "pack.yaml:7:29: warning: card 'pets.dog' has a line naming 'Cat'" in out
    assert '          - "Does your dog like Cat, {petname}?"\n' in out  # the line quoted as it is written


def test_a_warning_in_a_line_an_extending_card_added_is_placed_at_the_card(tmp_path):
    base, extra = tmp_path / "base.yaml", tmp_path / "extra.yaml"
    base.write_text(textwrap.dedent(GOOD))
    extra.write_text('cards:\n  - id: tea.like\n    extend: true\n    lines: ["Or {nmae}\'s favourite."]\n')
    out = io.StringIO()
    main(["lint", "--standalone", str(base), str(extra)], stdout=out, stderr=io.StringIO())
    assert f"{base}:2:5: warning: card 'tea.like' has a line naming {{nmae}}" in out.getvalue()


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


# --- on top of the bundled persona, as --dialogues uses a pack

TEA_PACK = Path(__file__).parent.parent / "examples" / "tea_pack.yaml"


def run_lint(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["lint", *args], stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def test_a_pack_is_linted_on_top_of_the_persona():
    code, out = run_lint("--strict", str(TEA_PACK))
    assert code == 0, out
    assert out.endswith(f"{TEA_PACK}: 0 errors, 0 warnings\n")
    # Only the named pack's own files are reported: nothing starts at a bundled file.
    assert not [line for line in out.splitlines() if line.startswith(str(bundled_dialogues()))]


def test_standalone_lints_the_pack_alone_as_before():
    code, out = run_lint("--standalone", str(TEA_PACK))
    assert code == 1
    assert f"{TEA_PACK}:72:23: error: unknown stage 'intimacy'" in out
    assert out.endswith("4 errors, 0 warnings\n")


def test_a_pack_standing_alone_still_lints_clean_standalone(tmp_path):
    assert lint(tmp_path, GOOD, "--standalone", "--strict") == (0, "pack.yaml: 0 errors, 0 warnings\n")


def test_the_bundled_folder_or_a_file_in_it_is_not_loaded_twice():
    bundled = bundled_dialogues()
    assert run_lint(str(bundled)) == (0, f"{bundled}: 0 errors, 0 warnings\n")
    code, out = run_lint(str(bundled / "hurt.yaml"))
    assert (code, out) == (0, f"{bundled / 'hurt.yaml'}: 0 errors, 0 warnings\n")
    assert run_lint("--standalone", str(bundled / "hurt.yaml"))[0] == 1  # its themes live elsewhere


# --- a pack that defines nothing

@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "{}\n", "cards: []\n"],
                         ids=["empty", "blank-lines", "comments-only", "empty-mapping", "no-cards"])
def test_a_pack_that_defines_nothing_is_a_warning_naming_it(tmp_path, text):
    code, out = lint(tmp_path, text)
    assert code == 0
    assert out.startswith("pack.yaml: warning: defines nothing\n")
    assert out.endswith("pack.yaml: 0 errors, 1 warning\n")
    assert lint(tmp_path, text, "--strict")[0] == 1


def test_an_empty_file_in_a_folder_pack_is_named(tmp_path):
    (tmp_path / "a.yaml").write_text(textwrap.dedent(GOOD))
    (tmp_path / "b.yaml").write_text("# to do\n")
    code, out = run_lint(str(tmp_path))
    assert code == 0 and f"{tmp_path / 'b.yaml'}: warning: defines nothing" in out
    assert f"{tmp_path / 'a.yaml'}: warning" not in out


def test_a_broken_pack_is_not_also_said_to_define_nothing(tmp_path):
    code, out = lint(tmp_path, "cards:\n  - {id: x}\n")
    assert code == 1 and "defines nothing" not in out
