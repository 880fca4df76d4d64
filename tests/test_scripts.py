"""Conversation scripts: the format, `samantha test` on passing, failing and broken scripts, coverage,
recording a conversation as a script, and pytest collecting scripts as tests."""
from __future__ import annotations

import importlib.metadata
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from samantha_bot import ContentError, Engine
from samantha_bot.runner import Runner, describe, find_scripts, main
from samantha_bot.scripts import parse_script, record_script

CONVERSATIONS = Path(__file__).parent / "conversations"

# A pack whose cards answer to rules only, so the reports below do not move when the persona's
# dialogue is edited.
FRUIT = textwrap.dedent("""\
    cards:
      - id: fruit.pineapple
        theme: fruit
        patterns: ["pineapple"]
        lines: ["Pineapple again!", "Pineapple!"]
      - id: fruit.mango
        theme: fruit
        patterns: ["mango"]
        lines: ["Mango?"]
        followups:
          why: ["Because mangoes."]
      - id: fruit.kept
        theme: never
        lines: ["Nobody asks me."]
      - id: fallback.what
        theme: fallback
        lines: ["Say more?"]
    """)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding the fruit pack, for scripts that load it with `packs: [fruit.yaml]`."""
    (tmp_path / "fruit.yaml").write_text(FRUIT)
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def run(*args: str | Path) -> tuple[int, str, str]:
    """`samantha test ARGS` with the streams captured."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(arg) for arg in args], out, err)
    return code, out.getvalue(), err.getvalue()


def fruit_script(folder: Path, turns: str, name: str = "fruit.script.yaml") -> Path:
    """A script on the persona plus the fruit pack, starting past setup; its turns are on line 5 on."""
    return write(folder, name, "name: fruit talk\npacks: [fruit.yaml]\nstart: {phase: growth}\nturns:\n"
                 + textwrap.dedent(turns))


# --- the format

def test_a_script_reads_into_turns_and_expectations():
    script = parse_script(textwrap.dedent("""\
        name: first boot
        seed: 4
        start: {phase: growth, stage: intimacy, facts: {name: Theodore, likes: [jazz, walks]}}
        turns:
          - hello
          - say: do you love me
            theme: love
            contains: [Theodore, "!"]
            matches: "^I"
          - say_any: [why, how come]
            repeat: 2
            stage: intimacy
        """), "first.yaml")
    assert (script.name, script.seed, script.phase, script.stage) == ("first boot", 4, "growth", "intimacy")
    assert script.facts == {"name": "Theodore", "likes": ["jazz", "walks"]}
    assert [turn.says for turn in script.turns] == [("hello",), ("do you love me",), ("why", "how come")]
    assert [turn.repeat for turn in script.turns] == [1, 1, 2]
    love = {expect.name: expect.value for expect in script.turns[1].expects}
    assert love["theme"] == "love" and love["contains"] == ("Theodore", "!")
    assert love["matches"].pattern == "^I"
    assert script.turns[1].location.line == 6


def test_what_the_person_says_is_kept_exactly_as_written():
    script = parse_script('name: x\nturns:\n  - say: "  spaced  "\n  - say: ""\n  - say: yes\n  - say: 42\n')
    assert [turn.says[0] for turn in script.turns] == ["  spaced  ", "", "yes", "42"]


def test_packs_are_found_next_to_the_script(folder):
    script = parse_script("name: x\npacks: [fruit.yaml]\nturns: [hi]\n", str(folder / "s.yaml"))
    assert script.packs == (str(folder / "fruit.yaml"),)


BROKEN = [
    ("unknown-key", "name: x\nturns:\n  - say: hi\n    thme: love\n",
     "s.yaml:4:5: error: unknown key 'thme' in turn\n        thme: love\n        ^\n    hint: did you mean 'theme'?"),
    ("no-name", "turns: [hi]\n", "s.yaml:1:1: error: script is missing required key 'name'"),
    ("no-say", "name: x\nturns:\n  - theme: love\n",
     "s.yaml:3:5: error: a turn needs 'say' (what the person types) or 'say_any' (a list of phrasings)"),
    ("both-says", "name: x\nturns:\n  - {say: hi, say_any: [hi]}\n",
     "s.yaml:3:5: error: a turn has 'say' or 'say_any', not both"),
    ("bad-regex", "name: x\nturns:\n  - say: hi\n    matches: 'a(b'\n",
     "s.yaml:4:16: error: matches: not a regular expression: missing ), unterminated subpattern"),
    ("repeat-0", "name: x\nturns:\n  - {say: hi, repeat: 0}\n", "s.yaml:3:23: error: repeat should be 1 or more"),
    ("bad-phase", "name: x\nturns:\n  - {say: hi, phase: grwoth}\n",
     "s.yaml:3:22: error: phase should be one of setup, growth\n"),
    ("yaml-syntax", "name: x\nturns:\n  - say: [unclosed\n", "s.yaml:3:10: error: this '[' is never closed"),
    ("python-tag", "name: !!python/object:os.system x\nturns: [hi]\n",
     "s.yaml:1:7: error: YAML tag '!!python/object:os.system' is not allowed"),
    ("no-pack", "name: x\npacks: [nowhere.yaml]\nturns: [hi]\n", "s.yaml:2:9: error: no such pack: "),
    ("empty", "", "s.yaml:1:1: error: the script is empty"),
]


@pytest.mark.parametrize("text, message", [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_script_is_reported_at_file_line_col(text, message):
    with pytest.raises(ContentError) as caught:
        parse_script(text, "s.yaml")
    assert message in caught.value.render()


def test_every_problem_of_a_script_is_reported_at_once():
    with pytest.raises(ContentError) as caught:
        parse_script("name: x\nseed: -1\nturns:\n  - {say: hi, thme: love}\n  - {say: hi, repeat: 0}\n", "s.yaml")
    assert [str(problem.location) for problem in caught.value.problems] == ["s.yaml:2:7", "s.yaml:4:15",
                                                                           "s.yaml:5:23"]


# --- samantha test: passing, failing, unreadable

def test_a_passing_script_gets_one_line_and_the_summary(folder):
    path = fruit_script(folder, """\
        - say: pineapple
          theme: fruit
          card: fruit.pineapple
          reply: Pineapple!
          contains: Pine
          not_contains: [Mango, banana]
          matches: "^Pine.*!$"
          phase: growth
          stage: awakening
        - say: pineapple
          one_of: ["Pineapple!", "Pineapple again!"]
        """)
    code, out, err = run(path)
    assert (code, err) == (0, "")
    assert out == f"PASS {path}: fruit talk (2 exchanges)\n1 passed, 0 failed\n"


def test_a_failure_shows_the_conversation_expected_beside_actual_and_why(folder):
    path = fruit_script(folder, """\
        - say: pineapple
        - say: mango
          theme: fruit
          card: fruit.pineapple
          reply: Mango!
          contains: [Man, "!"]
        - say: never reached
        """)
    code, out, _ = run(path)
    assert code == 1
    assert out.startswith(f"FAIL {path}: fruit talk (turn 2)\n"
                          "    you: pineapple\n"
                          "    her: Pineapple!\n"
                          "         [fruit · fruit.pineapple · growth/awakening]\n"
                          "  > you: mango\n"
                          "    her: Mango?\n"
                          "         [fruit · fruit.mango · growth/awakening]\n"
                          "  turn 2 failed:\n"
                          "    check     expected         actual\n"
                          "    card      fruit.pineapple  fruit.mango\n"
                          "    reply     Mango!           Mango?\n"
                          "    contains  '!'              (the same reply)\n"
                          "    (held: theme, contains 'Man')\n"
                          "  answered by: card fruit.mango (theme fruit) via rule, score 100.0\n")
    assert "  why not the expected card: " in out
    assert "never reached" not in out
    assert out.endswith("0 passed, 1 failed\n")


def test_long_replies_wrap_within_their_own_column(folder):
    path = fruit_script(folder, """\
        - say: pineapple
          reply: "A much longer line than she said, long enough that it has to wrap in its column."
        """)
    _, out, _ = run(path)
    table = out[out.index("    check"):out.index("  answered by")].splitlines()
    assert table[1].startswith("    reply  A much longer line than she said, long enough that it ")
    assert table[1].endswith("  Pineapple!")
    assert table[2].strip() == "has to wrap in its column."


def test_exit_codes(folder):
    good = fruit_script(folder, "- {say: mango, theme: fruit}\n", "good.yaml")
    bad = fruit_script(folder, "- {say: mango, theme: never}\n", "bad.yaml")
    broken = write(folder, "broken.yaml", "name: x\nturns:\n  - {say: hi, thme: love}\n")
    assert run(good)[0] == 0
    assert run(good, bad)[0] == 1
    assert run(good, bad, broken)[0] == 2
    assert run()[0] == 2  # no path at all: a usage error, said on stderr
    assert run(folder / "missing.yaml")[0] == 2


def test_an_unreadable_script_says_where_and_counts_apart(folder):
    broken = write(folder, "broken.yaml", "name: x\nturns:\n  - {say: hi, thme: love}\n")
    code, out, _ = run(broken)
    assert code == 2
    assert out == (f"ERROR {broken}: broken: the script cannot be run\n"
                   f"{broken}:3:15: error: unknown key 'thme' in turn\n"
                   "      - {say: hi, thme: love}\n"
                   "                  ^\n"
                   "    hint: did you mean 'theme'?\n"
                   "0 passed, 0 failed, 1 could not be read\n")


def test_names_the_packs_do_not_have_are_caught_before_running(folder):
    path = fruit_script(folder, "- say: mango\n  card: fruit.mangoo\n  stage: late\n")
    code, out, _ = run(path)
    assert code == 2
    assert f"{path}:6:9: error: unknown card 'fruit.mangoo' in the loaded packs" in out
    assert "hint: did you mean 'fruit.mango'?" in out
    assert f"{path}:7:10: error: unknown stage 'late' in the loaded packs" in out


def test_a_folder_runs_its_scripts_and_leaves_other_yaml_alone(folder):
    fruit_script(folder, "- {say: mango, theme: fruit}\n", "a.yaml")
    write(folder, "probes.yaml", "probes:\n  - {text: hi, theme: greeting}\n")
    assert find_scripts([folder]) == [folder / "a.yaml"]
    assert run(folder)[1].endswith("1 passed, 0 failed\n")


# --- say_any and repeat

def test_each_phrasing_runs_from_the_same_state_and_the_first_carries_on(folder):
    path = fruit_script(folder, """\
        - say: mango
        - say_any: [pineapple, PINEAPPLE!, "  pineapple "]
          reply: Pineapple again!
        - say_any: [pineapple, mango]
          theme: fruit
        - say: why?
          card: fruit.pineapple
        """)
    code, out, _ = run(path)
    assert code == 0, out
    assert "(7 exchanges)" in out


def test_a_failing_phrasing_is_named(folder):
    path = fruit_script(folder, "- say_any: [pineapple, mango]\n  theme: fruit\n  card: fruit.pineapple\n")
    _, out, _ = run(path)
    assert "  > you: mango\n" in out
    assert "  turn 1 failed (phrasing 2 of say_any):\n" in out
    assert "you: pineapple" not in out  # another phrasing is not part of the conversation shown


def test_repeat_says_the_same_line_again_and_checks_every_time(folder):
    passing = fruit_script(folder, "- say: pineapple\n  repeat: 3\n  card: fruit.pineapple\n", "a.yaml")
    failing = fruit_script(folder, "- say: pineapple\n  repeat: 3\n  reply: Pineapple!\n", "b.yaml")
    assert run(passing)[0] == 0
    code, out, _ = run(failing)
    assert code == 1
    assert "  turn 1 failed (repetition 2):\n" in out
    assert out.count("you: pineapple") == 2


def test_follow_ups_and_facts_given_at_the_start(folder):
    path = write(folder, "s.yaml", """\
        name: context
        packs: [fruit.yaml]
        start: {phase: growth, facts: {name: Ted}}
        turns:
          - mango
          - {say: why?, card: fruit.mango, reply: Because mangoes.}
        """)
    assert run(path)[0] == 0


# --- coverage

def test_coverage_counts_cards_lines_and_themes_reached(folder):
    runner = Runner(base=[])
    result = runner.run_path(fruit_script(folder, "- pineapple\n- mango\n- why\n"))
    assert result.status == "PASS"
    assert runner.coverage.figures() == {"cards": (2, 4), "setup": (0, 0), "lines": (3, 6), "themes": (1, 3)}
    report = runner.coverage.report()
    assert "  cards      2/4     50.0%\n  lines      3/6     50.0%\n  themes     1/3     33.3%\n" in report
    assert "themes never reached: fallback, never\n" in report
    assert "fruit.kept" in report and "nothing typed reaches it" in report
    assert "  fruit.pineapple#1: Pineapple again!" in report
    assert "Because mangoes" not in report  # the follow-up line was said


def test_coverage_on_the_command_line(folder):
    code, out, _ = run("--coverage", fruit_script(folder, "- mango\n"))
    assert code == 0
    assert "coverage of the loaded packs:\n  cards" in out
    assert re.search(r"  themes +\d+/\d+ +\d+\.\d%", out)


def test_the_persona_suite_reaches_nine_cards_in_ten():
    code, out, _ = run("--coverage", CONVERSATIONS)
    reached, total = map(int, re.search(r"  cards +(\d+)/(\d+)", out).groups())
    assert reached / total >= 0.9, out[out.index("coverage"):]


# --- recording

LINES = ["hi", "yes", "Theo", "  social  ", "🦄 ☃", "female", "she's lovely: mostly", "tell me a joke",
         "why?", "do you love me", "", "a: b # c", "what's my name?", "- not a list", "'quoted'"]


def test_a_recorded_conversation_passes_unchanged(tmp_path):
    session = Engine.load().new_session(seed=5)
    turns = [(line, session.reply(line)) for line in LINES]
    path = tmp_path / "recorded.yaml"
    path.write_text(record_script(turns, name="recorded", seed=5, phase=None, stage=None, facts={}, packs=[]))
    code, out, _ = run(path)
    assert code == 0, out
    script = parse_script(path.read_text(), str(path))
    assert [turn.says[0] for turn in script.turns] == LINES
    assert [e.name for e in script.turns[0].expects] == ["theme", "card", "reply"]


def test_a_recording_from_a_growth_start_with_facts_and_packs(folder):
    engine = Engine.load([Engine.load().sources[0], folder / "fruit.yaml"])
    session = engine.new_session(seed=2, phase="growth", stage="intimacy")
    session.facts["name"] = "Ted"
    turns = [(line, session.reply(line)) for line in ["pineapple", "what's my name?", "mango", "why"]]
    text = record_script(turns, name="growth", seed=2, phase="growth", stage="intimacy", facts={"name": "Ted"},
                         packs=[folder / "fruit.yaml"], relative_to=folder)
    assert "packs:\n  - fruit.yaml\n" in text
    assert "start:\n  phase: growth\n  stage: intimacy\n  facts:\n    name: Ted\n" in text
    assert run(write(folder, "growth.yaml", text))[0] == 0


def test_a_recording_of_a_resumed_conversation_keeps_the_whole_state(tmp_path):
    engine = Engine.load()
    session = engine.new_session(seed=1)
    for line in ["hello", "Ted", "social", "male", "fine", "tell me a joke"]:
        session.reply(line)
    resumed = engine.restore(session.to_dict())
    start = resumed.to_dict()
    turns = [(line, resumed.reply(line)) for line in ["tell me a joke", "why?", "what do you know about me?"]]
    path = tmp_path / "resumed.yaml"
    path.write_text(record_script(turns, name="resumed", state=start))
    assert "start:\n  state:\n" in path.read_text()
    assert run(path)[0] == 0


# --- pytest

def test_pytest_collects_scripts_as_tests(folder):
    (folder / "conversations").mkdir()
    (folder / "data").mkdir()
    fruit_script(folder, "- {say: mango, theme: fruit}\n", "conversations/mango.yaml")
    write(folder, "conversations/extra_pack.yaml", "cards: []\n")  # a pack beside the scripts
    write(folder / "data", "test_probes.yaml", "- {text: hi, theme: greeting}\n")  # a probe list
    write(folder, "probes.yaml", "turns: 3\n")  # neither in conversations/ nor test_*: not collected
    fruit_script(folder, "- {say: mango, card: fruit.pineapple}\n", "test_failing.yaml")
    (folder / "conversations" / "fruit.yaml").write_text(FRUIT)
    args = [sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider", "-q"]
    names = {entry.name for entry in importlib.metadata.entry_points(group="pytest11")}
    if "samantha_bot" not in names:  # not installed with its entry point (a plain source checkout)
        args += ["-p", "samantha_bot.pytest_plugin"]
    done = subprocess.run(args, capture_output=True, text=True, cwd=folder, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "turn 1 failed:" in done.stdout
    assert "card   fruit.pineapple  fruit.mango" in done.stdout
    assert "Traceback" not in done.stdout


def test_the_failure_report_is_the_same_everywhere(folder):
    path = fruit_script(folder, "- {say: mango, card: fruit.pineapple}\n")
    assert describe(Runner().run_path(path)) in run(path)[1]


def test_the_readme_example_passes(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Conversation scripts"):]
    example = section[section.index("```yaml\n") + 8:section.index("```\n", section.index("```yaml"))]
    (tmp_path / "my_pack.yaml").write_text("cards: []\n")
    code, out, _ = run(write(tmp_path, "example.yaml", example))
    assert code == 0, out
