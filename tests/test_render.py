"""Lines with slots: filled from known values only, tidied where a slot was left empty, and
otherwise said exactly as the author wrote them."""
from __future__ import annotations

import pytest

from samantha_bot.render import fill


@pytest.mark.parametrize("line, values, said", [
    ("Hi, {name}.", {"name": "Ted"}, "Hi, Ted."),
    ("Hi, {name|you}.", {}, "Hi, you."),
    ("Hi, {name|}.", {}, "Hi."),  # the emptied slot leaves no ", ." behind
    ("I know {likes|} and more.", {}, "I know and more."),
    ("You like {likes}.", {"likes": ["jazz", "rain", "letters"]}, "You like jazz, rain and letters."),
    ("{{not a slot}}", {}, "{not a slot}"),
])
def test_slots_are_filled_and_emptied_ones_tidied(line, values, said):
    assert fill(line, values) == said


@pytest.mark.parametrize("line", [
    "Watch. ... ... See?",  # her timing: the pauses are the joke
    "Wait , what?",
    "Two  spaces, on purpose.",
])
def test_a_line_without_an_emptied_slot_is_said_as_written(line):
    assert fill(line, {}) == line
    assert fill(line + " {name}", {"name": "Ted"}) == line + " Ted"


def test_a_value_is_never_read_as_a_template():
    assert fill("Hi, {name}.", {"name": "{likes} %s {0}"}) == "Hi, {likes} %s {0}."
