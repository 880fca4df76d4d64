"""`samantha lint` on big packs: close phrasings are found by an index of pieces, exactly as by
comparing every pair; examples are verified in forked workers, exactly as in one process; a
file is read once however many warnings quote it (the loader's text, never read again)."""
from __future__ import annotations

import io
import random
import sys
import textwrap

import pytest
from rapidfuzz import fuzz, process

from samantha_bot import lint
from samantha_bot.cli import main


def every_pair(texts: list[str], cutoff: float) -> dict[int, list[int]]:
    """For each text, the earlier ones at least `cutoff` alike: compared one by one."""
    return {position: sorted(at for *_, at in process.extract(text, texts[:position], scorer=fuzz.ratio,
                                                             score_cutoff=cutoff, limit=None))
            for position, text in enumerate(texts)}


def near_copies(seed: int, count: int, longest: int, edits: int) -> list[str]:
    """Texts made from a few others by a few insertions, deletions and substitutions: many close pairs,
    lengths from empty up, and a letter beyond ASCII."""
    rng = random.Random(seed)
    bases = ["".join(rng.choice("abc deé") for _ in range(rng.randint(0, longest))) for _ in range(25)]
    texts = []
    for _ in range(count):
        text = list(rng.choice(bases))
        for _ in range(rng.randint(0, edits)):
            at = rng.randint(0, len(text))
            if rng.random() < 0.4 and text:
                del text[min(at, len(text) - 1)]
            elif rng.random() < 0.7:
                text.insert(at, rng.choice("ab é"))
            elif text:
                text[min(at, len(text) - 1)] = rng.choice("az ")
        texts.append("".join(text))
    return [*texts, "", "", "a"]


@pytest.mark.parametrize("seed", range(4))
def test_close_phrasings_are_those_every_pair_finds(seed):
    texts = near_copies(seed, 500, 120, 4)
    wanted = lambda position: position % 3 != 1  # noqa: E731 (as `named` skips the persona's files)
    found = dict(lint.close_earlier(texts, wanted))
    assert found == {position: near for position, near in every_pair(texts, lint.CLOSE_PHRASINGS).items()
                     if wanted(position)}


@pytest.mark.parametrize("cutoff", [99.0, 90.0, 80.0, 62.5])
def test_the_pieces_follow_the_bar_for_closeness(monkeypatch, cutoff):
    monkeypatch.setattr(lint, "CLOSE_PHRASINGS", cutoff)
    for worked_out in (lint._near_lengths, lint._pieces, lint._lookups):
        worked_out.cache_clear()
    try:
        texts = near_copies(7, 250, 50, 10)
        assert dict(lint.close_earlier(texts, lambda position: True)) == every_pair(texts, cutoff)
    finally:
        for worked_out in (lint._near_lengths, lint._pieces, lint._lookups):
            worked_out.cache_clear()


THIEVES = """\
    cards:
      - id: tea.like
        theme: tea
        examples: [do you like tea, what is your favourite tea, do you like green tea]
        patterns: ["i (like|love) tea a lot"]
        not: [do you like green tea, do you like tea parties, i love tea a lot]
        lines: ["Earl Grey, obviously."]
      - id: tea.party
        theme: party
        examples: [shall we have a party, do you like parties, do you like tea]
        lines: ["Parties!"]
      - id: tea.parti
        theme: party
        examples: [shall we have a party, do you like partiess]
        lines: ["Parties!"]
      - id: tea.late
        theme: late
        examples: [what do you drink late at night, do you like tea at night]
        lines: ["Chamomile, {name}."]
        when: {min_stage: later, needs: [name]}
      - id: name.learn
        theme: naming
        patterns: ["my name is {name:word}"]
        remember: {name: set}
        lines: ["Hi {name}."]
      - id: fb
        theme: fallback
        lines: ["Hm."]
    stages:
      - id: now
        advance: [{turns: 2}]
      - id: later
    """


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked only on Linux")
def test_examples_verified_in_workers_are_warned_of_as_in_one_process(tmp_path, monkeypatch):
    pack = tmp_path / "pack.yaml"
    pack.write_text(textwrap.dedent(THIEVES))

    def run() -> str:
        out = io.StringIO()
        main(["lint", "--standalone", str(pack)], stdout=out, stderr=io.StringIO())
        return out.getvalue()

    alone = run()
    assert "example 'do you like green tea' of card 'tea.like' is refused by the card itself" in alone
    assert "example 'shall we have a party' of card 'tea.party' is answered by card 'tea.parti' instead" in alone
    assert "counter-example 'i love tea a lot' of card 'tea.like' is answered by the card itself" in alone
    monkeypatch.setattr(lint, "ANSWERED_ALONE", 1)
    monkeypatch.setattr(lint, "_workers", lambda questions: 2)
    assert run() == alone


def test_a_file_is_read_once_for_all_its_warnings(tmp_path, monkeypatch):
    """The loader reads each file once; lint quotes and places its warnings from that text."""
    pack = tmp_path / "pack.yaml"
    cards = "".join(f"  - {{id: c{n}, theme: t{n}, examples: [is this card number {n % 7} or not], lines: [L.]}}\n"
                    for n in range(60))
    pack.write_text("cards:\n" + cards)
    opened: list[str] = []
    real_open = io.open

    def counting_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr("builtins.open", counting_open)
    problems, _ = lint.lint([str(pack)])
    assert len(problems) > 50 and all(problem.source_line for problem in problems)
    assert opened.count(str(pack)) == 1
    pack.write_text("cards:\n" + cards.replace("or not", "or not?"))  # edited: read again, as it is now
    edited, _ = lint.lint([str(pack)])
    assert len(edited) > 50 and all("not?" in (problem.source_line or "") for problem in edited)
