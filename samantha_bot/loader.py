"""Packs (files, folders or text) read in order and merged into one checked Content, or every error."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import Location, did_you_mean
from .model import IMPLICIT_STAGE, Card, Content, SetupStep, Stage
from .normalize import normalize
from .problems import Problems
from .reader import Pack, read_file

YAML_SUFFIXES = (".yaml", ".yml")
NOTHING_DEFINED = "defines nothing"  # the warning for an empty pack file; `samantha --dialogues` says it too


def pack_files(path: Path) -> list[Path]:
    """A pack's files: the file itself, or a folder's YAML files in name order, sub-folders too."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    return [path]


def on_top_of(base: Path, paths: Sequence[str | Path]) -> list[str | Path]:
    """`base` first, then the paths not already in it: a path inside `base` (the bundled persona's
    own folder, given from a checkout) would only load the same cards a second time, and a folder
    holding every file of `base` (a checkout's copy of it) is loaded instead of it. A path that
    does not exist is kept, for the loader to say so."""
    def inside(path: str | Path) -> bool:
        resolved = Path(path).resolve()
        return resolved.exists() and (resolved == base.resolve() or base.resolve() in resolved.parents)

    # A checkout's own copy of the persona (its dialogues/ beside an installed one) stands in for it.
    persona = {file.relative_to(base).as_posix() for file in pack_files(base)}
    copies = [path for path in paths if Path(path).is_dir() and not inside(path)
              and persona <= {file.relative_to(path).as_posix() for file in pack_files(Path(path))}]
    first: str | Path = copies[0] if copies else base
    return [first, *(path for path in paths if not inside(path) and path is not first)]


def _defined(pack: Pack) -> tuple[int, ...]:
    """How much a pack defines, to tell whether a file added anything to it."""
    setup = -1 if pack.setup is None else len(pack.setup)  # `setup: []` defines "no setup"
    return len(pack.concepts), len(pack.cards), setup, len(pack.stages), len(pack.frames)


def parse_text(text: str, name: str, problems: Problems, pack: Pack, deferred: list) -> None:
    """One file's text into the pack, through the safe loader with its real name for marks.
    A file that loads cleanly yet adds nothing (empty, comments only, `{}`) gets a warning."""
    problems.sources[name] = text.splitlines()
    before, errors = _defined(pack), len(problems.found) + problems.dropped
    deferred.extend(read_file(text, name, problems, pack))
    if _defined(pack) == before and len(problems.found) + problems.dropped == errors:
        problems.warn(Location(name), NOTHING_DEFINED,
                      "add cards, setup, stages or concepts to it, or leave the file out")


def read_pack(path: str | Path, problems: Problems, deferred: list) -> Pack:
    path = Path(path)
    pack = Pack(str(path))
    if not path.exists():
        problems.add(Location(str(path)), "no such file or folder")
        return pack
    files = pack_files(path)
    if not files:
        problems.add(Location(str(path)), "this folder holds no .yaml files")
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.add(Location(str(file)), f"cannot read: {error}")
            continue
        parse_text(text, str(file), problems, pack, deferred)
    return pack


def merge(packs: Iterable[Pack], problems: Problems) -> Content:
    """Packs in order: concepts gain phrases; a card or stage of an id already defined must say
    `replace: true` or (cards) `extend: true`; a later pack's setup replaces the earlier one."""
    concepts: dict[str, tuple[str, ...]] = {}
    cards: dict[str, Card] = {}
    setup: list[SetupStep] = []
    stages: dict[str, Stage] = {}
    overrides: list[str] = []
    frames: list[str] = []
    for pack in packs:
        frames += pack.frames
        for name, phrases in pack.concepts.items():
            concepts[name] = concepts.get(name, ()) + phrases
        for card in pack.cards.values():
            earlier = cards.get(card.id)
            if earlier is None and card.override:
                problems.add(card.location, f"card '{card.id}' says {card.override}: true, but no earlier "
                             f"pack has a card '{card.id}'", did_you_mean(card.id, cards))
            elif earlier is not None and not card.override:
                problems.add(card.location, f"card id '{card.id}' is already used at {earlier.location}",
                             "say 'replace: true' to replace that card, or 'extend: true' to add to it")
            elif earlier is not None:
                if card.override == "extend" and earlier.occasion and (card.examples or card.patterns):
                    problems.add(card.location, f"card '{card.id}' is said on an occasion ('{earlier.occasion}') and "
                                 f"never matched: an extension cannot give it examples or patterns")
                cards[card.id] = extended(earlier, card) if card.override == "extend" else card
                overrides.append(f"{card.location}: card '{card.id}' {card.override}s the one at "
                                 f"{earlier.location}")
            else:
                cards[card.id] = card
        if pack.setup is not None:
            if setup and pack.setup:
                overrides.append(f"{pack.setup[0].location}: setup replaces the one at {setup[0].location}")
            setup = pack.setup
        for stage in pack.stages:
            earlier_stage = stages.get(stage.id)
            if earlier_stage is not None and not stage.replace:
                problems.add(stage.location, f"stage '{stage.id}' is already defined at "
                             f"{earlier_stage.location}", "say 'replace: true' to replace it")
            elif earlier_stage is not None:
                overrides.append(f"{stage.location}: stage '{stage.id}' replaces the one at "
                                 f"{earlier_stage.location}")
            stages[stage.id] = stage
    return Content(expand_concepts(concepts), tuple(cards.values()), tuple(setup), tuple(stages.values()),
                   tuple(dict.fromkeys(normalize(frame) for frame in frames if normalize(frame))), tuple(overrides))


def extended(base: Card, extra: Card) -> Card:
    """A card with another's examples, patterns and lines added; the base keeps its theme and gates."""
    def joined(first: Mapping[str, tuple[str, ...]], second: Mapping[str, tuple[str, ...]]) -> dict:
        return {key: first.get(key, ()) + second.get(key, ()) for key in {**first, **second}}

    return replace(base, examples=base.examples + extra.examples,
                   example_locations=base.example_locations + extra.example_locations,
                   patterns=base.patterns + extra.patterns, lines=base.lines + extra.lines,
                   stage_lines=joined(base.stage_lines, extra.stage_lines),
                   counter=base.counter + extra.counter,
                   counter_locations=base.counter_locations + extra.counter_locations,
                   ack=base.ack + extra.ack,
                   followups=joined(base.followups, extra.followups),
                   remember={**base.remember, **extra.remember}, set_facts={**base.set_facts, **extra.set_facts})


def expand_concepts(concepts: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Concepts naming other concepts (`~name`) flattened into normalised phrases."""

    def flatten(name: str, seen: frozenset[str]) -> list[str]:
        phrases = []
        for phrase in concepts.get(name, ()):
            if phrase.startswith("~"):
                if phrase[1:] not in seen:
                    phrases += flatten(phrase[1:], seen | {phrase[1:]})
            elif normalize(phrase):
                phrases.append(normalize(phrase))
        return phrases

    return {name: tuple(dict.fromkeys(flatten(name, frozenset({name})))) for name in concepts}


def check_occasions(content: Content, problems: Problems) -> None:
    """One card for each occasion the program says a card on, once every pack is merged."""
    said: dict[str, Card] = {}
    for card in content.cards:
        first = said.setdefault(card.occasion, card) if card.occasion else card
        if first is not card:
            problems.add(card.location, f"occasion '{card.occasion}' is already said by card '{first.id}' "
                         f"({first.location})", "give it to one card: replace that one (its id, replace: true)")


def check_references(content: Content, deferred: list, problems: Problems) -> None:
    """Names used before every pack was merged: concepts, stages and themes must exist."""
    known = {
        "concept": set(content.concepts),
        "stage": {stage.id for stage in content.stages} or {IMPLICIT_STAGE},
        "theme": {card.theme for card in content.cards} | {step.theme for step in content.setup},
    }
    for kind, value, location in deferred:
        if value not in known[kind]:
            problems.add(location, f"unknown {kind} '{value}'", did_you_mean(value, known[kind]))


def load(paths: Sequence[str | Path], problems: Problems | None = None) -> Content:
    """Read and merge packs in order; raise ContentError listing every problem, else the Content.
    Given a collector, it is the one used: it keeps each file's text, for lint to quote."""
    problems = Problems() if problems is None else problems
    deferred: list[tuple[str, str, Location]] = []
    packs = [read_pack(path, problems, deferred) for path in paths]
    return _finish(packs, problems, deferred)


def load_text(text: str, name: str = "<string>") -> Content:
    """One pack from text, through the same pipeline as files (for tests and scripts)."""
    problems, deferred, pack = Problems(), [], Pack(name)  # type: Problems, list[tuple[str, str, Location]], Pack
    parse_text(text, name, problems, pack, deferred)
    return _finish([pack], problems, deferred)


def _finish(packs: list[Pack], problems: Problems, deferred: list) -> Content:
    content = merge(packs, problems)
    check_references(content, deferred, problems)
    check_occasions(content, problems)
    return replace(content, warnings=problems.finalize())
