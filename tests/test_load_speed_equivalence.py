"""The quick way a pack is read says and makes exactly what the plain way does.

read_file leaves out plain_tags_only's walk when the reading shows it has nothing to find, the
PackLoader resolves tags with less work, and cards are made without their __init__: each is
checked here against the plain way (stock safe loader; the walk first, then the reader only when
it passes; `Card(**fields)`), on hand-written packs and on seeded mutations of the real ones.
"""
from __future__ import annotations

import dataclasses
import random
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from samantha_bot import ContentError, Engine
from samantha_bot.errors import Location
from samantha_bot.model import Card, Condition
from samantha_bot.problems import Problems
from samantha_bot.reader import FileReader, Pack, read_file
from samantha_bot.workload import english_pack
from samantha_bot.yamlnodes import SAFE_LOADER, PackLoader, read_nodes

ROOT = Path(__file__).resolve().parent.parent
NAME = "pack.yaml"

# Packs that reach every branch of read_file: a tag or a key twice where the reader reads, where it
# never looks (under an unknown key, in a complex key), behind aliases, and nowhere at all.
PACKS = {
    "clean": """\
        concepts: {pet: [dog, cat]}
        cards:
          - {id: a, theme: t, examples: ["i have a ~pet", hello], lines: ["Hi {name|you}!"], not: [bye]}
          - id: b
            theme: t
            patterns: ["my name is {name}"]
            remember: {name: set}
            set: {mood: good}
            when: {phase: growth, needs: [name]}
            stages: {growth: ["Later."]}
            followups: {why: ["Because."]}
            urgent: yes
            hold: 2
        stages: [{id: growth, advance: [{turns: 3}]}]
        frames: [can you]
        """,
    "empty": "",
    "comments only": "# nothing here\n",
    "empty mapping": "{}\n",
    "a list": "- id: a\n",
    "python tag": "cards:\n  - !!python/object:os.system {id: a}\n",
    "custom tag on a text": "cards:\n  - {id: a, theme: !upper t, lines: [x]}\n",
    "plain explicit tags": "cards:\n  - {id: !!str 5, theme: ! t, lines: [!!str x]}\n",
    "tag under an unknown key": "cards:\n  - {id: a, theme: t, lines: [x], extra: [!foo y]}\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\ncards: !e!list []\n",
    "merge key": "cards:\n  - {id: a, theme: t, lines: [x], <<: {hold: 1}}\n",
    "value key": "cards:\n  - {id: a, theme: t, lines: [=]}\n",
    "card key twice": "cards:\n  - id: a\n    theme: t\n    id: b\n    lines: [x]\n",
    "unknown key twice": "cards:\n  - {id: a, theme: t, lines: [x], foo: 1, foo: 2}\n",
    "key twice under an unknown key": "cards:\n  - {id: a, theme: t, lines: [x], extra: {k: 1, k: 2}}\n",
    "key twice in set": "cards:\n  - {id: a, theme: t, lines: [x], set: {m: a, m: b}}\n",
    "key twice in concepts": "concepts: {a: [x], a: [y]}\n",
    "key twice in remember": "cards:\n  - {id: a, theme: t, lines: [x], patterns: ['{n}'], remember: {n: set, n: add}}\n",
    "key twice in a line map": "cards:\n  - {id: a, theme: t, stages: {growth: [x], growth: [y]}}\n",
    "key twice in choices": "setup:\n  - {id: s, theme: t, ask: [q], remember: f, choices: {a: [x], a: [y]}}\n",
    "key twice in a complex key": "cards:\n  - {id: a, theme: t, lines: [x], ? {k: 1, k: 2} : v}\n",
    "complex keys twice": "cards:\n  - {id: a, theme: t, lines: [x], ? [a, b] : c, ? [a, b] : d}\n",
    "an aliased card": "cards:\n  - &c {id: a, theme: t, lines: [x]}\n  - *c\n",
    "a cycle": "cards: &c [*c]\n",
    "an aliased key twice": "base: &m {k: 1, k: 2}\ncards:\n  - {id: a, theme: t, lines: [x], when: *m}\n",
    "problems and a repeated key": "cards:\n  - {id: a, thme: t, lines: [x], k: 1, k: 2}\n  - {id: b}\n",
    "plain cards": """\
        cards:
          - {id: a, theme: t, examples: [hello there, " hi "], lines: [Hi!]}
          - {id: b, theme: t, lines: [Hello.]}
          - {id: c, theme: t, examples: [], lines: [x]}
          - {id: d, theme: t, examples: hello, lines: [x]}
          - {id: e, theme: t, examples: [hi, ~], lines: [x]}
          - {id: f, theme: t, examples: [hi, [nested]], lines: [x]}
          - {id: g, theme: t, examples: [hi], lines: ["{name} hi", "}"]}
          - {" id": h, theme: t, lines: [x]}
          - {id: 5, theme: t, lines: [x]}
          - {id: i, theme: ~, lines: [x]}
          - {id: j, theme: "  ", lines: [x]}
          - {id: a, theme: t, lines: [again]}
          - {id: k, theme: t, examples: [hi], lines: [x], hold: 1}
          - {id: l, theme: t, examples: [hi]}
          - {id: m, theme: t, lines: []}
          - {? [id] : n, theme: t, lines: [x]}
          - [id, theme]
        """,
    "syntax error": "cards: [\n",
    "a character YAML refuses": "cards: \x07\n",
}


def plain(value: Any) -> Any:
    """Model objects as plain data, their attributes in order, so == compares what they hold
    (cards and conditions compare by identity)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__, [(name, plain(item)) for name, item in vars(value).items()]
    if isinstance(value, dict):
        return [(plain(key), plain(item)) for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [plain(item) for item in value]
    return value


def summary(problems: Problems, pack: Pack, deferred: list[tuple[str, str, Location]]) -> dict[str, Any]:
    """Everything a file's reading leaves behind, comparable with ==."""
    return {
        "problems": [problem.render() for problem in problems.all()],
        "warnings": [problem.render() for problem in problems.warnings],
        "pack": plain([pack.concepts, pack.concept_locations, pack.cards, pack.setup, pack.stages, pack.frames]),
        "deferred": plain(deferred),
    }


def walk_first(text: str) -> dict[str, Any]:
    """What read_file stands for: plain_tags_only's walk, then the reader only when it passes,
    reading every card key by key."""
    problems, pack = Problems(), Pack(NAME)
    problems.sources[NAME] = text.splitlines()
    ok, root = read_nodes(text, NAME, problems)
    deferred: list[tuple[str, str, Location]] = []
    if ok:
        file_reader = FileReader(NAME, problems, pack)
        file_reader.quick_cards = False  # every card read key by key
        file_reader.read(root)
        deferred = file_reader.deferred
    return summary(problems, pack, deferred)


def quick(text: str) -> dict[str, Any]:
    problems, pack = Problems(), Pack(NAME)
    problems.sources[NAME] = text.splitlines()
    deferred = read_file(text, NAME, problems, pack)
    return summary(problems, pack, deferred)


def tree(node: yaml.Node | None, seen: dict[int, int]) -> Any:
    """A node tree as plain data: kinds, tags, values, styles and marks; an alias as its first place."""
    if node is None:
        return None
    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    marks = [(mark.line, mark.column, mark.index) for mark in (node.start_mark, node.end_mark)]
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.MappingNode):
        children = [(tree(key, seen), tree(value, seen)) for key, value in node.value]
    else:
        children = [tree(child, seen) for child in node.value]
    return (type(node).__name__, node.tag, node.flow_style, marks, children)


def composed(loader_class: type, text: str) -> Any:
    loader = loader_class(text)
    try:
        return tree(loader.get_single_node(), {})
    finally:
        loader.dispose()


def test_the_pack_loader_gives_every_node_the_safe_loaders_tag():
    scalars = ["yes", "No", "TRUE", "off", "y", "n", "~", "null", "Null", "", "0", "-12", "0x1F", "0o7", "017",
               "1_000", "1:30", "1.5", "-.5e+3", ".inf", "-.Inf", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
               "<<", "=", "theme", "themes", "not", "nothing", "text", "{x}", "trueish", "o", "12abc", "-", "+1"]
    plain = [f"  - {value}" if value else "  -" for value in scalars]
    text = "\n".join(["plain:", *plain, "quoted:", *(f"  - '{value}'" for value in scalars),
                      "tagged: [!!str 5, ! 5, !!int '7', !foo bar, !!binary aGk=]",
                      "flow: {a: [1, {b: c}], ? [k] : v}", "anchored: &a [x]", "again: *a",
                      "block: |\n  yes\n", "folded: >\n  12\n"]) + "\n"
    assert composed(PackLoader, text) == composed(SAFE_LOADER, text)


@pytest.mark.parametrize("text", PACKS.values(), ids=PACKS.keys())
def test_read_file_leaves_what_the_walk_then_the_reader_leave(text: str):
    text = textwrap.dedent(text)
    assert quick(text) == walk_first(text)


def mutated(text: str, rng: random.Random) -> str:
    """A text with a few of its lines broken the ways authors and fuzzers break YAML."""
    lines = text.splitlines(keepends=True) or ["\n"]
    for _ in range(rng.choice((1, 1, 2, 3))):
        at = rng.randrange(len(lines))
        line = lines[at]
        head, sep, tail = line.partition(": " if ": " in line else "- ")
        change = rng.choice(["delete", "repeat", "indent", "dedent", "tag", "alias", "value", "char"])
        if change == "delete":
            del lines[at]
        elif change == "repeat":
            lines.insert(at, line)
        elif change == "indent":
            lines[at] = "  " + line
        elif change == "dedent":
            lines[at] = line[2:] if line.startswith("  ") else line
        elif sep and change == "tag":
            lines[at] = head + sep + rng.choice(["!!python/object:x ", "!foo ", "!!str ", "! ", "!!map "]) + tail
        elif sep and change == "alias":
            lines[at] = head + sep + rng.choice([f"&a{rng.randrange(2)} {tail}", f"*a{rng.randrange(2)}\n"])
        elif sep and change == "value":
            lines[at] = head + sep + rng.choice(["~\n", "\n", "5\n", "yes\n", "<<\n", "=\n", "'x'\n", "{k: 1, k: 2}\n"])
        elif sep:
            lines[at] = head + sep + tail[:len(tail) // 2] + rng.choice("{}[]'\"#&*!|>%,?:-\t") + tail[len(tail) // 2:]
        lines = lines or ["\n"]
    return "".join(lines)


def test_read_file_leaves_what_the_walk_then_the_reader_leave_on_mutated_packs():
    sources = sorted((ROOT / "tests" / "lint_corpus").glob("*.yaml")) + sorted((ROOT / "dialogues").glob("*.yaml"))
    texts = [textwrap.dedent(text) for text in PACKS.values()] + [path.read_text(encoding="utf-8") for path in sources]
    texts.append(english_pack(100, "rule"))  # plain cards, as most of a big pack's are
    rng = random.Random(7)
    for round_ in range(300):
        lines = rng.choice(texts).splitlines(keepends=True)
        start = rng.randrange(max(1, len(lines) - 40))
        text = mutated("".join(lines[:1] + lines[start:start + 40]), rng)  # a big file: 40 lines of it
        assert quick(text) == walk_first(text), f"round {round_}:\n{text}"


def test_a_file_refused_for_a_repeated_key_takes_back_what_reading_it_added(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("cards:\n  - {id: a, theme: t, lines: [x]}\n")
    # Read before it is refused: a card, a problem (no lines), and a key twice where cards are not read.
    (tmp_path / "b.yaml").write_text("cards:\n  - {id: b, theme: t}\nextra: {k: 1, k: 2}\n")
    (tmp_path / "c.yaml").write_text("cards:\n  - {id: b, theme: t, lines: [y]}\n")  # b is not taken: no clash
    with pytest.raises(ContentError) as caught:
        Engine.load([tmp_path])
    assert [f"{problem.location}: {problem.message}" for problem in caught.value.problems] == [
        f"{tmp_path / 'b.yaml'}:3:15: key 'k' is given twice in this mapping"]


def test_cards_read_are_the_cards_their_init_makes():
    engine = Engine.load([ROOT / "dialogues", ROOT / "examples" / "tea_pack.yaml"])
    for card in engine.content.cards:
        remade = Card(**vars(card))
        assert list(vars(card)) == list(vars(remade)) and vars(card) == vars(remade)
        assert vars(card.when) == vars(Condition(**vars(card.when)))
        for location in (card.location, *card.example_locations, *card.counter_locations):
            assert type(location) is Location and location == Location(location.file, location.line, location.col)
            assert hash(location) == hash(Location(location.file, location.line, location.col))
    assert {field.name for field in dataclasses.fields(Card)} == set(vars(engine.content.cards[0]))
