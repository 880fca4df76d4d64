"""`samantha lint`: load packs as the engine would, then look for what loads but will not work."""
from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
from collections import defaultdict
from functools import cache
from itertools import accumulate, count, takewhile
from pathlib import Path
from typing import Callable, Iterator, Mapping, NamedTuple, Sequence

import yaml
from rapidfuzz import fuzz, process

from . import loader
from .engine import Engine, bundled_dialogues
from .errors import ContentError, Location, Problem, did_you_mean
from .memory import RECALL_SLOTS
from .model import LISTENING_SLOTS, Card
from .normalize import normalize
from .patterns import slot_names
from .problems import Problems
from .render import required_slots
from .yamlnodes import compose_yaml

CLOSE_PHRASINGS = 95.0  # two cards' examples this alike (fuzz.ratio) cannot be told apart
ANSWERED_ALONE = 5000  # examples under this many (a persona's few thousand) are verified here: a fork costs more
MOST_WORKERS = 8
ANSWERS_A_TASK = 200  # examples a worker verifies at a time: small enough to share the work evenly

# Names anyone may hear from her (`unmentioned_names`): her own name, the philosopher the OSes
# rebuilt, the places and languages of the world, the help lines the crisis cards point to, and
# the capitalised words of ordinary speech (days, months). The one place to add a name of hers.
HER_OWN_NAMES = frozenset("""
    Samantha Sam Sammy Alan Watts Northern California God East West Internet
    English Welsh Ireland Europe Slovenia Samaritans Childline Childhelp
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December
""".split())
# The people of Theodore's life in the film: names of someone else's story, never hers to bring
# up with a person who did not (SPEC.md, "Who she is talking to"). Caught even at a sentence's start.
THEIR_WORLD = frozenset("Theodore Theo Catherine Cat Amy Paul Tatiana Isabella Charles Lewman".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_SENTENCE_END = re.compile(r"[.!?…:;]\s*$|^\s*$")

LINE_KEYS = ("lines", "stages", "followups", "ack")  # a card's keys that hold lines she says


def lint(paths: Sequence[str], persona: bool = False) -> tuple[list[Problem], list[str]]:
    """Every problem in the packs (errors, then warnings), and notes on what overrides what.

    With `persona`, the packs are loaded on top of the bundled persona, as `--dialogues` loads
    them, and only their own files are checked and reported (errors always are: nothing loads).
    """
    chosen = loader.on_top_of(bundled_dialogues(), paths) if persona else list(paths)
    read = Problems()  # lint's own collector: it keeps every file's text, which the warnings quote
    try:
        engine = Engine.load(chosen, problems=read)
    except ContentError as error:
        return list(error.problems), []
    scope = Scope(read.sources, paths if persona else None)
    found = [problem for problem in engine.content.warnings if scope.named(problem.location)]
    for check in (duplicate_examples, unknown_slots, unreachable, unmentioned_names, stolen_examples):
        found += check(engine, scope)
    notes = [note for note in engine.content.overrides if scope.named(Location(note.split(":", 1)[0]))]
    return found, notes


class Scope:
    """The places lint reports on (those in the packs it was asked about, or every one) and the text
    the loader read them from: a warning quotes its line from it, and is placed by its YAML nodes,
    composed again from that text only for a file with a warning inside a card."""

    def __init__(self, sources: Mapping[str, Sequence[str]], paths: Sequence[str] | None = None):
        self.sources = sources
        self.files = None if paths is None else {file.resolve() for path in paths for file in loader.pack_files(Path(path))}
        self.seen: dict[str, bool] = {}
        self.cards: dict[str, dict[tuple[int, int], yaml.MappingNode]] = {}  # file -> card nodes by place

    def named(self, location: Location) -> bool:
        """Whether a place is in one of the packs being linted (folders stand for the files in them)."""
        if self.files is None:
            return True
        if location.file not in self.seen:
            self.seen[location.file] = Path(location.file).resolve() in self.files
        return self.seen[location.file]

    def warning(self, location: Location, message: str, hint: str | None = None) -> Problem:
        lines = self.sources.get(location.file, ())
        source = lines[location.line - 1] if 0 < location.line <= len(lines) else None
        return Problem(location, message, hint, "warning", source)

    def in_card(self, card: Card, keys: Sequence[str], text: str, whole: bool = False) -> Location:
        """Where `text` (a whole word, with `whole`) is first written in what the card gives under
        `keys`; the card's own place when it is not there (a line an extending card added)."""
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(text)}(?![A-Za-z])" if whole else re.escape(text))
        node = self.card_node(card)
        for key_node, value_node in node.value if node is not None else ():
            if key_node.value in keys:
                for scalar in _scalars(value_node):
                    spot = self.spot(card.location.file, scalar, pattern)
                    if spot is not None:
                        return spot
        return card.location

    def in_needs(self, card: Card, fact: str) -> Location:
        """Where the card's `when: needs` names a fact; the card's place when it is not there."""
        node = self.card_node(card)
        for key_node, value_node in node.value if node is not None else ():
            if key_node.value == "when" and isinstance(value_node, yaml.MappingNode):
                for scalar in (item for key, value in value_node.value if key.value == "needs"
                               for item in _scalars(value) if item.value.strip() == fact):
                    return self.spot(card.location.file, scalar, re.compile(re.escape(fact))) or card.location
        return card.location

    def card_node(self, card: Card) -> yaml.MappingNode | None:
        """The card's mapping, from its file's text as the loader read it."""
        file = card.location.file
        if file not in self.cards:
            try:
                root = compose_yaml("\n".join(self.sources.get(file, ())), file)
            except (yaml.YAMLError, RecursionError):
                root = None
            items = [value.value for key, value in root.value if key.value == "cards"] \
                if isinstance(root, yaml.MappingNode) else []
            self.cards[file] = {(node.start_mark.line + 1, node.start_mark.column + 1): node for group in items
                                if isinstance(group, list) for node in group if isinstance(node, yaml.MappingNode)}
        return self.cards[file].get((card.location.line, card.location.col))

    def spot(self, file: str, node: yaml.Node, pattern: re.Pattern[str]) -> Location | None:
        """Where `pattern` is first found in the text a node was read from, quotes and all."""
        lines, start, end = self.sources.get(file, ()), node.start_mark, node.end_mark
        for number in range(start.line, min(end.line, len(lines) - 1) + 1):
            line = lines[number]
            found = pattern.search(line, start.column if number == start.line else 0,
                                   end.column if number == end.line else len(line))
            if found:
                return Location(file, number + 1, found.start() + 1)
        return None


def _scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """The texts a value holds, in order: itself, a list's items, a mapping's values."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _scalars(value)


def _examples(engine: Engine) -> Iterator[tuple[str, str, Location, str]]:
    """(card id, example, where it is written, normalised example) for every card."""
    for card_id, example, location in _written(engine):
        yield card_id, example, location, normalize(example)


def _written(engine: Engine) -> Iterator[tuple[str, str, Location]]:
    """(card id, example, where it is written) for every card."""
    for card in engine.content.cards:
        yield from zip((card.id,) * len(card.examples), card.examples,
                       card.example_locations or (card.location,) * len(card.examples))


def duplicate_examples(engine: Engine, scope: Scope) -> list[Problem]:
    """The same phrasing in two cards, or phrasings so close rapidfuzz cannot tell the cards apart;
    each said at the later of the two (packs load in order: the later one is the newcomer)."""
    found: list[Problem] = []
    examples = list(_examples(engine))
    first: dict[str, tuple[str, Location]] = {}
    for card_id, example, location, normalized in examples:
        if normalized in first and first[normalized][0] != card_id and scope.named(location):
            other, where = first[normalized]
            found.append(scope.warning(location, f"example {example!r} is also an example of card '{other}' "
                                                 f"({where})", "keep it in the card it belongs to"))
        first.setdefault(normalized, (card_id, location))
    texts = [normalized for *_, normalized in examples]
    for position, earlier in close_earlier(texts, lambda position: scope.named(examples[position][2])):
        card_id, example, location, normalized = examples[position]
        for at in earlier:
            other_card, other_example, other_location, other_text = examples[at]
            if other_card != card_id and other_text != normalized:
                found.append(scope.warning(location, f"example {example!r} is so close to {other_example!r} "
                                                     f"of card '{other_card}' ({other_location}) that matching "
                                                     f"cannot tell the cards apart", "reword one of them"))
    return found


def close_earlier(texts: Sequence[str], wanted: Callable[[int], bool]) -> Iterator[tuple[int, list[int]]]:
    """For each wanted text (by position), the positions of the earlier texts at least
    CLOSE_PHRASINGS alike (fuzz.ratio), in order; only those that share a whole piece are scored.

    Close texts differ by a few edits, and a text cut into one piece more than that keeps at
    least one piece whole, found in the other near where it was (the pigeonhole of PassJoin, Li
    et al. 2011): an index of pieces turns comparing with every earlier text into a few look-ups.
    """
    pieces: dict[tuple[int, int, str], list[int]] = defaultdict(list)  # (length, piece, text) -> positions
    for position, text in enumerate(texts):
        if wanted(position):
            near: set[int] = set()
            for length, piece, start, size in _lookups(len(text)):
                near.update(pieces.get((length, piece, text[start:start + size]), ()))
            scored = list(near)
            close = process.extract(text, list(map(texts.__getitem__, scored)), scorer=fuzz.ratio,
                                    score_cutoff=CLOSE_PHRASINGS, limit=None) if scored else []
            yield position, sorted(scored[at] for _, _score, at in close)
        for piece, (start, size) in enumerate(_pieces(len(text))):
            pieces[len(text), piece, text[start:start + size]].append(position)


def _most_edits(total_length: int) -> int:
    """The most insertions and deletions that leave two texts of this total length CLOSE_PHRASINGS
    alike: fuzz.ratio is 100 * (1 - edits / total length). Rounded up a hair: a pair over it is
    only scored, never missed."""
    return int((100.0 - CLOSE_PHRASINGS) * total_length / 100.0 + 1e-6)


@cache
def _near_lengths(length: int) -> tuple[int, ...]:
    """The lengths a text this long can be close to: it takes at least their difference in edits."""
    shorter = (other for other in range(length) if length - other <= _most_edits(length + other))
    longer = takewhile(lambda other: other - length <= _most_edits(length + other), count(length))
    return (*shorter, *longer)


@cache
def _pieces(length: int) -> tuple[tuple[int, int], ...]:
    """(start, size) of the pieces a text this long is cut into: one more than the edits it may
    differ by from any text it can be close to, the longer pieces last."""
    parts = 1 + max(_most_edits(length + other) for other in _near_lengths(length))
    short, longer = divmod(length, parts)
    sizes = [short + (piece >= parts - longer) for piece in range(parts)]
    return tuple(zip(accumulate([0, *sizes[:-1]]), sizes))


@cache
def _lookups(length: int) -> tuple[tuple[int, int, int, int], ...]:
    """Where a text this long looks for the pieces of the texts it can be close to: (their length,
    piece, start, size). Some piece is left whole with exactly as many edits before it as pieces
    (PassJoin's multi-match-aware choice): it has moved by no more than that, and the rest of the
    difference in length is made up after it, within the edits left."""
    found = []
    for other in _near_lengths(length):
        edits = _most_edits(length + other)
        for piece, (start, size) in enumerate(_pieces(other)):
            for moved in range(-piece, piece + 1):
                if piece + abs(length - other - moved) <= edits and 0 <= start + moved <= length - size:
                    found.append((other, piece, start + moved, size))
    return tuple(found)


def unknown_slots(engine: Engine, scope: Scope) -> list[Problem]:
    """Lines naming a value nothing remembers, and cards needing one: they would never be said."""
    known = {"name"} | LISTENING_SLOTS | RECALL_SLOTS | {step.remember for step in engine.setup if step.remember}
    for card in engine.content.cards:
        known |= set(card.remember) | set(card.set_facts)
    found = []
    for card in filter(lambda card: scope.named(card.location), engine.content.cards):
        captured = {slot for pattern in card.patterns for slot in slot_names(pattern)}
        for slot in sorted({slot for line in _all_lines(card) for slot in required_slots(line)} - known - captured):
            found.append(scope.warning(scope.in_card(card, LINE_KEYS, "{" + slot), f"card '{card.id}' has a line "
                                       f"naming {{{slot}}}, which nothing remembers", did_you_mean(slot, known)))
        for fact in card.when.needs:
            if fact not in known:
                found.append(scope.warning(scope.in_needs(card, fact), f"card '{card.id}' needs the fact "
                                           f"'{fact}', which nothing remembers, so it can never answer",
                                           did_you_mean(fact, known)))
    return found


def _all_lines(card) -> tuple[str, ...]:
    return card.lines + tuple(line for group in card.stage_lines.values() for line in group) \
        + tuple(line for group in card.followups.values() for line in group) + card.ack


def _words(line: str) -> Iterator[tuple[str, bool]]:
    """Each word of a line as written, and whether it opens a sentence (or a quotation); slots
    ({name|you}) are not words of the line."""
    text = re.sub(r"\{[^{}]*\}", " x ", line.replace("{{", "").replace("}}", ""))
    for match in _WORD.finditer(text):
        before = text[:match.start()].rstrip(" \"'‘’“”(-—–*_")
        quoted = text[:match.start()].rstrip().endswith(("'", "‘", "“", '"'))
        yield match.group().rstrip("'’"), bool(_SENTENCE_END.search(before)) or quoted


def _bare(word: str) -> str:
    """The word without a possessive ("Amy's" is Amy); "I'm", "I'd" ... are no names."""
    return "" if re.match(r"I['’]", word) else re.sub(r"['’]s$", "", word)


def unmentioned_names(engine: Engine, scope: Scope) -> list[Problem]:
    """Lines that name someone the card's examples and patterns never mention: she would say it
    to anyone the card answers, as if everyone had lived the film. A name is a name of Theodore's
    world (THEIR_WORLD), or a word her lines capitalise inside a sentence, never write in lower
    case, and use alone (a run of such words, "Earl Grey", "Alan Watts", is the name of a thing
    or a title); hers to say are HER_OWN_NAMES."""
    lowered = {_bare(word) for card in engine.content.cards for line in _all_lines(card)
               for word, _ in _words(line) if _bare(word).islower()}

    def proper(word: str) -> bool:
        return len(word) > 1 and word[0].isupper() and word[1:].islower() and word.lower() not in lowered

    found = []
    for card in filter(lambda card: scope.named(card.location), engine.content.cards):
        said = set()
        for text in card.examples + card.patterns:
            said |= set(normalize(text).split())
            for concept in re.findall(r"~(\w+)", text):
                said |= {word for phrase in engine.content.concepts.get(concept, ()) for word in phrase.split()}
        reported = set()
        for line in _all_lines(card):
            words = [(_bare(word), opens) for word, opens in _words(line)]
            for at, (word, opens) in enumerate(words):
                alone = not any(proper(words[near][0]) or words[near][0][:1].isupper() and not words[near][1]
                                for near in (at - 1, at + 1) if 0 <= near < len(words))
                is_name = word in THEIR_WORLD or not opens and proper(word) and alone
                if not is_name or word in HER_OWN_NAMES or word.lower() in said or word in reported:
                    continue
                reported.add(word)
                found.append(scope.warning(scope.in_card(card, LINE_KEYS, word, whole=True),
                                           f"card '{card.id}' has a line naming '{word}', whom its examples "
                                           f"never mention: she would say it to someone who never spoke of them",
                                           "say it in general words or in the person's own (a {slot}), or give "
                                           "the card examples that mention it; names that are hers to say are "
                                           "HER_OWN_NAMES in samantha_bot/lint.py"))
    return found


def unreachable(engine: Engine, scope: Scope) -> list[Problem]:
    """Cards no input can reach, and stages that never come."""
    order = engine.stage_ids
    stages = engine.content.stages
    reached = len(order)
    for position, stage in enumerate(stages[:-1]):
        if not stage.advance:
            reached = position + 1
            break
    found = [scope.warning(stage.location, f"stage '{stage.id}' never comes: stage '{stages[reached - 1].id}' "
                                           f"before it has no 'advance' rules")
             for stage in stages[reached:] if scope.named(stage.location)]
    for card in filter(lambda card: scope.named(card.location), engine.content.cards):
        if not card.examples and not card.patterns and not card.is_fallback and not card.occasion:
            found.append(scope.warning(card.location, f"card '{card.id}' has no examples or patterns: no input "
                                                      f"can reach it", "add examples"))
        first = order.index(card.when.min_stage) if card.when.min_stage in order else 0
        last = order.index(card.when.max_stage) if card.when.max_stage in order else len(order) - 1
        if first > last or first >= reached:
            found.append(scope.warning(card.location, f"card '{card.id}' is gated to stages that never come"))
    return found


def stolen_examples(engine: Engine, scope: Scope) -> list[Problem]:
    """Prove each card's own examples are answered by it (as ChatScript's :verify does), each in
    a fresh session where the card is open, as a person would type it; name any thief. Its
    counter-examples must not be answered by it."""
    by_card = defaultdict(list)
    for card_id, example, location in _written(engine):
        if scope.named(location):
            by_card[card_id].append((example, location))
    asked: list[tuple[Card, bool, str, Location]] = []  # (card, whether a counter-example, text, where)
    for card in engine.content.cards:
        if card.remember:
            continue
        asked += [(card, False, example, location) for example, location in by_card.get(card.id, ())]
        asked += [(card, True, text, location) for text, location in
                  zip(card.counter, card.counter_locations or (card.location,) * len(card.counter)) if scope.named(location)]
    questions = [(card.id, card.when.min_stage or engine.stage_ids[0], card.when.needs, text)
                 for card, _counter, text, _location in asked]
    found = []
    for (card, counter, text, location), answer in zip(asked, answers(engine, questions)):
        if counter:
            if answer.card == card.id:
                found.append(scope.warning(location, f"counter-example {text!r} of card '{card.id}' is answered "
                                                     f"by the card itself", "add examples it is nearer to"))
        elif answer.card != card.id and answer.refusal and "counter-example" in answer.refusal:
            found.append(scope.warning(location, f"example {text!r} of card '{card.id}' is refused by the card "
                                                 f"itself: {answer.refusal}", "reword the example or the counter-example"))
        elif answer.card != card.id and answer.theme != "fallback":
            found.append(scope.warning(location, f"example {text!r} of card '{card.id}' is answered by "
                                                 f"card '{answer.card}' instead ({answer.via}, score {answer.score:.1f})",
                                       "move it to that card, reword it, or make this card more specific"))
    return found


Question = tuple[str, str, tuple[str, ...], str]  # (card id, its first stage, the facts it needs, text)


class Answer(NamedTuple):
    """What a fresh session said to a card's example: enough to name a thief, small to send back."""

    card: str
    theme: str
    via: str
    score: float
    refusal: str | None  # why the asking card itself was not let answer, if it scored better


def answer(engine: Engine, question: Question) -> Answer:
    """The reply to one example in a fresh session at its card's first stage, with the facts the
    card needs known."""
    card_id, stage, needs, text = question
    session = engine.new_session(seed=0, phase="growth", stage=stage)
    session.facts.update({fact: fact for fact in needs})
    reply = session.reply(text)
    refusal = next((why for candidate, why in reply.refusals if candidate.card.id == card_id), None)
    return Answer(reply.card, reply.theme, reply.via, reply.score, refusal)


def answers(engine: Engine, questions: Sequence[Question]) -> list[Answer]:
    """The answer to every question, in order: shared among a process per core when there are
    enough to be worth it. Each is asked in its own fresh session, so where it is asked changes
    nothing, and forked workers share the loaded engine instead of loading it again."""
    workers = _workers(len(questions))
    if workers < 2:
        return [answer(engine, question) for question in questions]
    first = answer(engine, questions[0])  # what a first reply builds once is built before the fork, for all
    with multiprocessing.get_context("fork").Pool(workers, _adopt, (engine,)) as pool:
        return [first, *pool.map(_answer_adopted, questions[1:], chunksize=ANSWERS_A_TASK)]


def _workers(questions: int) -> int:
    """How many processes answer this many questions: one per core the process may use, once
    there are enough; one where forking is unsafe (anything but Linux, or another thread running,
    which might hold a lock the fork would copy held)."""
    if questions < ANSWERED_ALONE or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return min(len(os.sched_getaffinity(0)), MOST_WORKERS)


_adopted: list[Engine] = []  # in a worker: the engine it was forked with


def _adopt(engine: Engine) -> None:
    _adopted[:] = [engine]


def _answer_adopted(question: Question) -> Answer:
    return answer(_adopted[0], question)
