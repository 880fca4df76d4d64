"""The bounded retrieval gives exactly what an exhaustive scan gives above the threshold, for packs
of ten cards a theme and of one card a theme (the oracle the scale work is held to)."""
from __future__ import annotations

import random

import pytest

from samantha_bot import Engine
from samantha_bot.matcher import THRESHOLD, rank
from samantha_bot.normalize import normalize
from samantha_bot.workload import probes, synthetic_phrasings

SIZE = 3000
PROBES = 300


def pack_text(one_card_a_theme: bool) -> str:
    """A synthetic pack; with `one_card_a_theme`, every card is a theme of its own."""
    by_card: dict[str, tuple[str, list[str]]] = {}
    for card, theme, text in synthetic_phrasings(SIZE):
        by_card.setdefault(card, (card.replace(".", "_") if one_card_a_theme else theme, []))[1].append(text)
    lines = ["cards:"]
    for card, (theme, texts) in by_card.items():
        examples = ", ".join(f'"{text}"' for text in texts)
        lines.append(f"  - {{id: {card}, theme: {theme}, examples: [{examples}], lines: [\"ok\"]}}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", params=[False, True], ids=["ten cards a theme", "one card a theme"])
def pack(request) -> Engine:
    return Engine.from_text(pack_text(request.param), "oracle.yaml")


def test_the_answer_is_the_exhaustive_scans_answer(pack):
    phrasings = [(card, text) for card, _, text in synthetic_phrasings(SIZE)]
    lines = [probe.text for probe in probes(phrasings, PROBES)]
    mixed = (lines[n].split() + lines[-n].split() for n in range(1, 60))  # two phrasings' words at once
    lines += [" ".join(random.Random(n).sample(words, min(4, len(words)))) for n, words in enumerate(mixed)]
    checked = 0
    for line in lines:
        normalized = normalize(line)
        bounded = rank(pack.index, normalized, lambda card: True, limit=5)
        exhaustive = rank(pack.index, normalized, lambda card: True, limit=None)
        if exhaustive and exhaustive[0].score >= THRESHOLD:
            checked += 1
            assert bounded, line
            assert (bounded[0].card.id, bounded[0].score) == (exhaustive[0].card.id, exhaustive[0].score), line
    assert checked > len(lines) // 2  # the oracle had answers to check
