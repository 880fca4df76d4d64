"""The top-k search gives exactly what an exhaustive scan gives (the oracle the scale work is
held to), on packs of every shape: ten cards a theme, one card a theme, one phrasing a card."""
from __future__ import annotations

import random

import pytest

from samantha_bot import Engine, retrieval
from samantha_bot.matcher import THRESHOLD, evidence_gap, rank, topic_of
from samantha_bot.normalize import normalize
from samantha_bot.workload import english_pack, english_phrasings, pack_yaml, probes, synthetic_phrasings

SIZE = 3000
PROBES = 240


def synthetic_text(one_card_a_theme: bool) -> str:
    """A synthetic pack; with `one_card_a_theme`, every card is a theme of its own."""
    return pack_yaml([(card, card.replace(".", "_") if one_card_a_theme else theme, text)
                      for card, theme, text in synthetic_phrasings(SIZE)], "fallback.oracle")


PACKS = {
    "synthetic, ten cards a theme": (lambda: synthetic_text(False), lambda: synthetic_phrasings(SIZE)),
    "synthetic, one card a theme": (lambda: synthetic_text(True), lambda: synthetic_phrasings(SIZE)),
    "English, one phrasing a card and a theme": (lambda: english_pack(SIZE, "rule"),
                                                 lambda: english_phrasings(SIZE, "rule")),
    "English, ten cards a theme": (lambda: english_pack(SIZE, "ten"), lambda: english_phrasings(SIZE, "ten")),
}


@pytest.fixture(scope="module", params=list(PACKS))
def pack(request) -> tuple[Engine, list[str], str]:
    text, phrasings = PACKS[request.param]
    engine = Engine.from_text(text(), "oracle.yaml")
    pairs = [(card, line) for card, _, line in phrasings()]
    lines = [probe.text for probe in probes(pairs, PROBES)]
    mixed = (lines[n].split() + lines[-n].split() for n in range(1, 60))  # two phrasings' words at once
    lines += [" ".join(random.Random(n).sample(words, min(4, len(words)))) for n, words in enumerate(mixed)]
    return engine, lines, request.param


def heads(candidates) -> list[tuple[str, float, str]]:
    return [(candidate.card.id, candidate.score, candidate.via) for candidate in candidates]


def test_the_best_five_are_the_exhaustive_scans_first_five(pack):
    engine, lines, _ = pack
    themes = engine.index.themes
    for number, line in enumerate(lines):
        normalized = normalize(line)
        leaning = themes[number % len(themes)] if number % 3 == 0 else None  # a theme she spoke from last
        everything = rank(engine.index, normalized, lambda card: True, leaning)
        assert heads(rank(engine.index, normalized, lambda card: True, leaning, limit=5)) == heads(everything[:5]), line
        over = [candidate for candidate in everything if candidate.score >= THRESHOLD]
        assert heads(rank(engine.index, normalized, lambda card: True, leaning, limit=5, floor=THRESHOLD)) \
            == heads(over[:5]), line
        assert heads(rank(engine.index, normalized, lambda card: True, leaning, limit=1)) == heads(everything[:1]), line


def test_on_topic_leaves_out_only_cards_the_evidence_test_refuses(pack):
    engine, lines, name = pack
    checked = unseen = 0
    for line in lines:
        normalized = normalize(line)
        analysis = engine.index.analyse(normalized)
        query = retrieval.Query.of(engine.index, analysis, lambda card: True, topic=topic_of(analysis))
        unseen += bool(query.topic and query.topic.unseen)  # a topical word too common to search for
        everything = rank(engine.index, normalized, lambda card: True, floor=THRESHOLD)
        on_topic = rank(engine.index, normalized, lambda card: True, on_topic=True)
        kept = {candidate.card.id for candidate in on_topic}
        for candidate in everything:
            if candidate.card.id not in kept and candidate.score >= THRESHOLD:
                assert evidence_gap(engine.index, analysis, candidate), (line, candidate.card.id)
                checked += 1
        bounded = rank(engine.index, normalized, lambda card: True, limit=5, floor=THRESHOLD, on_topic=True)
        assert heads(bounded) == heads([c for c in on_topic if c.score >= THRESHOLD][:5]), line
    if name.startswith("English"):  # its phrasings share frame words ("what is", "can you"), as people's do
        assert checked  # some cards were left out, and each was one the evidence test refuses
    if name.startswith("English, ten"):  # 30 themes of 100 phrasings: "want", "say", "help" are in nearly all
        assert unseen  # lines with a topical word too common to search for, which any card may hold


def test_ranking_more_of_a_line_goes_on_from_the_last_ranking(pack):
    """One card, then two, then five, each going on from the themes the last scored (as a reply
    asks for more only when one does not settle it), give the exhaustive scan's heads."""
    engine, lines, _ = pack
    for line in lines:
        normalized = normalize(line)
        everything = [c for c in rank(engine.index, normalized, lambda card: True, on_topic=True)
                      if c.score >= THRESHOLD]
        scored = retrieval.Scored()
        for limit in (1, 2, 5):
            found = rank(engine.index, normalized, lambda card: True, limit=limit, floor=THRESHOLD,
                         on_topic=True, scored=scored)
            assert heads(found) == heads(everything[:limit]), (line, limit)


def test_ranking_within_a_few_themes_gives_the_scans_heads_of_those(pack):
    """Within a few themes (a card just said, and others of its theme), the cards the scan puts
    first among them."""
    engine, lines, _ = pack
    checked = 0
    for line in lines:
        normalized = normalize(line)
        scanned = rank(engine.index, normalized, lambda card: True, on_topic=True)
        few = {candidate.theme for candidate in scanned[1:8:3]}  # the second's, the fifth's, the eighth's
        everything = [c for c in scanned if c.theme in few and c.score >= THRESHOLD]
        found = rank(engine.index, normalized, lambda card: True, limit=5, themes=few, floor=THRESHOLD, on_topic=True)
        assert heads(found) == heads(everything[:5]), line
        checked += bool(found)
    assert checked  # some lines had cards among those themes


def test_the_nearest_example_at_least_so_alike_is_the_nearest_of_all_when_it_is_that_alike(pack):
    engine, phrasings, _ = pack
    index, rng = engine.index, random.Random(7)
    themes = sorted(index.theme_ids)
    reached = 0
    for text in phrasings[:PROBES]:
        words = normalize(text).split() + normalize(rng.choice(phrasings)).split()[:rng.randint(0, 4)]
        features = index.rough(" ".join(words))
        theme = index.example_theme[rng.randrange(len(index.example_text))] if rng.random() < 0.5 else None
        name = next(name for name, number in index.theme_ids.items() if number == theme) if theme is not None \
            else rng.choice(themes)
        exact = index.nearest_in(name, features)
        for at_least in (0.3, 0.5, 0.8):
            expected = exact if exact[0] >= at_least else (0.0, -1)
            assert index.nearest_in(name, features, at_least) == expected, (text, name, at_least)
            reached += expected[1] >= 0
    assert reached  # some lines are that alike: the bound is not only ever saying no
