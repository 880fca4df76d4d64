"""One pack file's plain YAML nodes walked against the schema into model objects, every problem located."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, TypeVar

import yaml

from . import render, schema
from .errors import Location, did_you_mean
from .model import ALWAYS, FOLLOWUP_KINDS, AdvanceRule, Card, Condition, SetupStep, Stage
from .normalize import normalize
from .patterns import PatternError, concept_refs, slot_names, tokenize
from .problems import Problems
from .yamlnodes import NULL_TAG, STR_TAG, compose_or_report, not_plain, plain_tags_only

T = TypeVar("T")


@dataclass
class Pack:
    """What one pack (a file or a folder of files) says, before packs are merged."""

    name: str
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    concept_locations: dict[str, Location] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    setup: list[SetupStep] | None = None
    stages: list[Stage] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)


class FileReader:
    """Walks one file's YAML nodes against the schema; every check reports through `fail`."""

    quick_cards = True  # plain cards read the short way (read_plain_card); tests compare both ways

    def __init__(self, name: str, problems: Problems, pack: Pack):
        self.name, self.problems, self.pack = name, problems, pack
        # Checks that need every pack merged first: (kind, value, location).
        self.deferred: list[tuple[str, str, Location]] = []
        # The mappings read (by id), and whether one gave a key twice: when every mapping of the
        # file was read and none did, plain_tags_only's walk has no repeated key to find (read_file).
        self.mappings_read: set[int] = set()
        self.repeated_key = False

    def where(self, node: yaml.Node, offset: int | None = None) -> Location:
        """A node's place; with `offset`, the place of that character inside its text."""
        mark = node.start_mark
        column = mark.column + 1
        if offset is not None:
            column += offset + (1 if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') else 0)
        return Location(self.name, mark.line + 1, column)

    def fail(self, node: yaml.Node, message: str, hint: str | None = None, offset: int | None = None) -> None:
        self.problems.add(self.where(node, offset), message, hint)

    # --- typed reads: each returns None (after reporting) when the node is not what is expected

    def mapping(self, node: yaml.Node, keys: dict[str, schema.Key], what: str,
                optional: frozenset[str] = frozenset()) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            hint = "start the file with 'cards:' and put the cards under it" \
                if what == "file" and isinstance(node, yaml.SequenceNode) else None
            self.fail(node, f"{what} should be a mapping of keys to values", hint)
            return None
        self.mappings_read.add(id(node))
        found: dict[str, yaml.Node] = {}
        unknown: list[str] = []
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in found:
                continue  # reported once for every mapping by plain_tags_only
            elif key in keys:
                found[key] = value_node
            else:
                unknown.append(key)
                self.fail(key_node, f"unknown key '{key}' in {what}", schema.suggest(key, keys))
        if len(found) + len(set(unknown)) < len(node.value):
            self.repeated_key = True  # read_file has plain_tags_only say where
        for key in schema.required(keys):
            if key not in found and key not in optional:
                self.fail(node, f"{what} is missing required key '{key}'")
        return found

    def pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """The (key, value) nodes of a mapping read without a table of keys (concepts, facts, lines by
        name), noted as read and checked for a key given twice, as `mapping` does."""
        self.mappings_read.add(id(node))
        if len({str(key_node.value) for key_node, _ in node.value}) < len(node.value):
            self.repeated_key = True
        return node.value

    def text(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} should be text")
        elif node.tag == NULL_TAG:
            self.fail(node, f"{what} is empty", "write the text after the '-', or remove the item")
        else:
            value = str(node.value).strip()
            if value:
                return value
            self.fail(node, f"{what} is empty")
        return None

    def texts(self, node: yaml.Node, what: str, check: Callable[[yaml.Node, str], None] | None = None) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            items = node.value
            if not items:
                self.problems.warn(self.where(node), f"{what} is an empty list", "add items, or remove the key")
        elif isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
            items = [node]  # a single text where a list is expected is read as a list of one
        else:
            self.fail(node, f"{what} should be a list of text")
            return ()
        values = []
        item_what = f"an item of {what}"
        for item in items:
            value = self.text(item, item_what)
            if value is not None:
                if check:
                    check(item, value)
                values.append(value)
        return tuple(values)

    def integer(self, node: yaml.Node, what: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
            value = int(node.value)
            if value >= 0:
                return value
        self.fail(node, f"{what} should be a whole number, 0 or more")
        return None

    def boolean(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() in ("true", "yes", "on")
        self.fail(node, f"{what} should be true or false")
        return False

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} should be a list ('- ' items)")
            return []
        return node.value

    # --- content checks

    def check_line(self, node: yaml.Node, line: str) -> None:
        if "{" not in line and "}" not in line:
            return  # only braces can be wrong in a line
        try:
            render.check(line)
        except render.TemplateError as error:
            self.fail(node, str(error), offset=error.offset)

    def check_phrase(self, node: yaml.Node, phrase: str) -> None:
        if phrase.startswith("~"):
            self.deferred.append(("concept", phrase[1:], self.where(node)))
        elif not normalize(phrase):
            self.fail(node, f"phrase {phrase!r} has no words left once normalised")

    def check_pattern(self, node: yaml.Node, pattern: str) -> None:
        try:
            tokens = tokenize(pattern)
            for token in concept_refs(pattern):
                self.deferred.append(("concept", token.value, self.where(node, token.offset)))
        except PatternError as error:
            self.fail(node, f"pattern {pattern!r}: {error}", error.hint, offset=error.offset)
            return
        slots = [token.value.split(":", 1)[0] for token in tokens if token.kind == "slot"]
        if len(slots) != len(set(slots)):
            self.fail(node, f"pattern {pattern!r} names a slot twice")

    def lines(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        return self.texts(node, what, self.check_line)

    def stage_ref(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None:
            self.deferred.append(("stage", value, self.where(node)))
        return value

    # --- sections

    def read(self, root: yaml.Node | None) -> None:
        if root is None:
            return  # an empty file is an empty pack file
        top = self.mapping(root, schema.TOP_LEVEL, "file")
        if top is None:
            return
        if "concepts" in top:
            self.read_concepts(top["concepts"])
        for item in self.sequence(top["cards"], "cards") if "cards" in top else []:
            self.read_card(item)
        if "setup" in top:
            steps = [self.read_step(item) for item in self.sequence(top["setup"], "setup")]
            self.pack.setup = (self.pack.setup or []) + [step for step in steps if step]
        if "stages" in top:
            for item in self.sequence(top["stages"], "stages"):
                self.read_stage(item)
        if "frames" in top:
            self.pack.frames += self.texts(top["frames"], "frames", self.check_phrase)

    def read_concepts(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "concepts should be a mapping of concept names to lists of phrases")
            return
        for key_node, value_node in self.pairs(node):
            name = str(key_node.value)
            if name in self.pack.concepts:
                first = self.pack.concept_locations[name]
                self.fail(key_node, f"concept '{name}' is defined twice in this pack (first at {first})")
                continue
            self.pack.concepts[name] = self.texts(value_node, f"concept '{name}'", self.check_phrase)
            self.pack.concept_locations[name] = self.where(key_node)

    def read_card(self, node: yaml.Node) -> None:
        if self.quick_cards and self.read_plain_card(node):
            return
        optional = _THEME if _says(node, "extend") else _NOTHING
        keys = self.mapping(node, schema.CARD, "card", optional=optional)
        if keys is None:
            return
        extend = self.boolean(keys["extend"], "extend") if "extend" in keys else False
        replace = self.boolean(keys["replace"], "replace") if "replace" in keys else False
        if extend and replace:
            self.fail(keys["extend"], "a card can replace another or extend it, not both")
        card_id = self.text(keys["id"], "card id") if "id" in keys else None
        theme = self.text(keys["theme"], "theme") if "theme" in keys else ("" if extend else None)
        if card_id is None or theme is None:
            return
        found: list[Location] = []
        examples = self.texts(keys["examples"], "examples", lambda item, _: found.append(self.where(item))) \
            if "examples" in keys else ()
        counter_found: list[Location] = []
        counter = self.texts(keys["not"], "not", lambda item, _: counter_found.append(self.where(item))) \
            if "not" in keys else ()
        ack = self.lines(keys["ack"], "ack") if "ack" in keys else ()
        ask_back = (self.text(keys["ask_back"], "ask_back") or "") if "ask_back" in keys else ""
        urgent = self.boolean(keys["urgent"], "urgent") if "urgent" in keys else False
        hold = (self.integer(keys["hold"], "hold") or 0) if "hold" in keys else 0
        patterns = self.texts(keys["patterns"], "patterns", self.check_pattern) if "patterns" in keys else ()
        lines = self.lines(keys["lines"], "lines") if "lines" in keys else ()
        occasion = self.read_occasion(keys["occasion"], bool(examples or patterns)) if "occasion" in keys else ""
        stage_lines = self.read_line_map(keys.get("stages"), "stages", self.stage_ref)
        followups = self.read_line_map(keys.get("followups"), "followups", self.followup_kind)
        when = self.read_when(keys["when"]) if "when" in keys else ALWAYS
        remember = self.read_remember(keys.get("remember"), patterns)
        set_facts = {}
        if "set" in keys and isinstance(keys["set"], yaml.MappingNode):
            set_facts = {str(k.value): v for k, v in
                         ((k, self.text(v, f"fact '{k.value}'")) for k, v in self.pairs(keys["set"])) if v}
        elif "set" in keys:
            self.fail(keys["set"], "set should be a mapping of fact names to values")
        if not lines and not stage_lines and not extend:
            self.fail(node, f"card '{card_id}' has no lines to answer with",
                      "add 'lines:' (or lines under 'stages:')")
        if card_id in self.pack.cards:
            first = self.pack.cards[card_id].location
            self.fail(keys["id"], f"card id '{card_id}' is used twice in this pack (first at {first})")
            return
        self.pack.cards[card_id] = _frozen(Card, {
            "id": card_id, "theme": theme, "location": self.where(node), "examples": examples,
            "patterns": patterns, "lines": lines, "stage_lines": stage_lines, "when": when,
            "remember": remember, "set_facts": set_facts, "followups": followups,
            "override": "extend" if extend else "replace" if replace else "", "example_locations": tuple(found),
            "counter": counter, "counter_locations": tuple(counter_found), "urgent": urgent, "hold": hold, "ack": ack,
            "ask_back": ask_back, "occasion": occasion})

    def read_plain_card(self, node: yaml.Node) -> bool:
        """A card with nothing in it to report, read the short way (most cards of a big pack are
        such): an id new to the pack, a theme, examples and lines, each a list of plain texts, and
        nothing else. False, having read nothing, for any other card: read_card reads it key by key."""
        if not isinstance(node, yaml.MappingNode) or len(node.value) > len(_PLAIN_CARD_KEYS):
            return False
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode or key_node.value not in _PLAIN_CARD_KEYS \
                    or key_node.value in found:
                return False
            found[key_node.value] = value_node
        card_id, theme = _plain_text(found.get("id")), _plain_text(found.get("theme"))
        examples = _plain_texts(found["examples"]) if "examples" in found else ()
        lines = _plain_texts(found.get("lines"))
        if not (card_id and theme and examples is not None and lines) or card_id in self.pack.cards \
                or any("{" in line or "}" in line for line in lines):
            return False
        self.mappings_read.add(id(node))
        name = self.name
        fields = dict(_CARD_DEFAULTS)  # in the fields' order, as _frozen wants them
        fields.update(id=card_id, theme=theme, location=self.where(node), examples=examples, lines=lines,
                      example_locations=tuple(Location(name, item.start_mark.line + 1, item.start_mark.column + 1)
                                              for item in found["examples"].value) if examples else ())
        self.pack.cards[card_id] = _frozen(Card, fields)
        return True

    def read_occasion(self, node: yaml.Node, matched: bool) -> str:
        """When the program says the card by itself (schema.OCCASIONS); such a card is never matched."""
        occasion = self.text(node, "occasion") or ""
        if occasion and occasion not in schema.OCCASIONS:
            self.fail(node, f"unknown occasion '{occasion}' (one of {', '.join(schema.OCCASIONS)})",
                      did_you_mean(occasion, schema.OCCASIONS))
            return ""
        if occasion and matched:
            self.fail(node, f"a card said on an occasion ('{occasion}') is never matched, so it takes no "
                            f"examples or patterns", "remove them, or the occasion")
        return occasion

    def followup_kind(self, node: yaml.Node, what: str) -> str | None:
        kind = self.text(node, what)
        if kind is not None and kind not in FOLLOWUP_KINDS:
            self.fail(node, f"unknown follow-up kind '{kind}' (one of {', '.join(FOLLOWUP_KINDS)})",
                      did_you_mean(kind, FOLLOWUP_KINDS))
            return None
        return kind

    def read_line_map(self, node: yaml.Node | None, what: str,
                      read_key: Callable[[yaml.Node, str], str | None]) -> dict[str, tuple[str, ...]]:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} should be a mapping of names to lists of lines")
            return {}
        found = {}
        for key_node, value_node in self.pairs(node):
            key = read_key(key_node, f"a key of {what}")
            lines = self.lines(value_node, f"{what} '{key_node.value}'")
            if key is not None and lines:
                found[key] = lines
        return found

    def read_when(self, node: yaml.Node) -> Condition:
        keys = self.mapping(node, schema.WHEN, "when") or {}
        phase = self.text(keys["phase"], "phase") if "phase" in keys else None
        if phase is not None and phase not in schema.PHASES:
            self.fail(keys["phase"], f"phase should be one of {', '.join(schema.PHASES)}",
                      did_you_mean(phase, schema.PHASES))
        return Condition(
            phase=phase,
            min_stage=self.stage_ref(keys["min_stage"], "min_stage") if "min_stage" in keys else None,
            max_stage=self.stage_ref(keys["max_stage"], "max_stage") if "max_stage" in keys else None,
            needs=self.texts(keys["needs"], "needs") if "needs" in keys else (),
        )

    def read_remember(self, node: yaml.Node | None, patterns: Sequence[str]) -> dict[str, str]:
        """fact -> "set" | "add", optionally with a template of slots: "add {pet} ({pet_kind})".
        A fact's name may name slots too ("about {person}")."""
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "remember should be a mapping of fact names to 'set' or 'add'")
            return {}
        captured = {slot for pattern in patterns if _parses(pattern) for slot in slot_names(pattern)}
        remember = {}
        for key_node, value_node in self.pairs(node):
            fact, mode = str(key_node.value), self.text(value_node, f"remember '{key_node.value}'") or ""
            verb, _, template = mode.partition(" ")
            named = set(render.required_slots(fact)) | set(render.required_slots(template or "{" + fact + "}"))
            if verb not in schema.REMEMBER_MODES:
                self.fail(value_node, f"remember '{fact}' should be 'set' or 'add' (optionally followed by "
                                      f"a template of slots)", did_you_mean(verb, schema.REMEMBER_MODES))
            elif not named <= captured:
                missing = sorted(named - captured)[0]
                self.fail(key_node, f"remember '{fact}', but no pattern of this card captures {{{missing}}}",
                          f"add a pattern with {{{missing}}}, e.g. \"i like {{{missing}}}\"")
            else:
                remember[fact] = mode
        return remember

    def read_step(self, node: yaml.Node) -> SetupStep | None:
        keys = self.mapping(node, schema.SETUP_STEP, "setup step")
        if keys is None or not {"id", "theme", "ask"} <= keys.keys():
            return None
        step_id, theme = self.text(keys["id"], "step id"), self.text(keys["theme"], "theme")
        remember = self.text(keys["remember"], "remember") if "remember" in keys else None
        patterns = self.texts(keys["patterns"], "patterns", self.check_pattern) if "patterns" in keys else ()
        choices = {}
        if "choices" in keys:
            if isinstance(keys["choices"], yaml.MappingNode):
                choices = {str(k.value): self.texts(v, f"choice '{k.value}'") for k, v in self.pairs(keys["choices"])}
            else:
                self.fail(keys["choices"], "choices should be a mapping of values to lists of examples")
        replies = self.read_replies(keys.get("replies"), choices)
        free = self.boolean(keys["free"], "free") if "free" in keys else False
        if remember and not (patterns or choices or free):
            self.fail(node, f"setup step '{step_id}' remembers '{remember}' but says no way to read the answer",
                      "add 'patterns', 'choices' or 'free: true'")
        if step_id is None or theme is None:
            return None
        max_words = self.integer(keys["max_words"], "max_words") if "max_words" in keys else None
        default = self.text(keys["default"], "default") if "default" in keys else None
        if default is not None and choices and default not in choices:
            hint = did_you_mean(default, choices)
            self.fail(keys["default"], f"default '{default}' is not one of the choices ({', '.join(choices)})", hint)
        return SetupStep(
            id=step_id, theme=theme, location=self.where(node), ask=self.lines(keys["ask"], "ask"),
            remember=remember, patterns=patterns, max_words=max_words or 6,
            skip=self.texts(keys["skip"], "skip") if "skip" in keys else (),
            steer=self.lines(keys["steer"], "steer") if "steer" in keys else (),
            choices=choices, free=free, replies=replies,
            again=self.lines(keys["again"], "again") if "again" in keys else (),
            topic=self.texts(keys["topic"], "topic") if "topic" in keys else (),
            explain=self.lines(keys["explain"], "explain") if "explain" in keys else (),
            default=default, skipped=self.lines(keys["skipped"], "skipped") if "skipped" in keys else ())

    def read_replies(self, node: yaml.Node | None, choices: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if node is None:
            return {}
        if isinstance(node, yaml.SequenceNode):
            return {"": self.lines(node, "replies")}

        def choice_value(key_node: yaml.Node, what: str) -> str | None:
            value = self.text(key_node, what)
            if value is not None and value not in choices and value != "default":
                self.fail(key_node, f"replies for '{value}', which is not one of this step's choices",
                          did_you_mean(value, list(choices) + ["default"]))
            return "" if value == "default" else value

        return self.read_line_map(node, "replies", choice_value)

    def read_stage(self, node: yaml.Node) -> None:
        keys = self.mapping(node, schema.STAGE, "stage")
        if keys is None or "id" not in keys:
            return
        stage_id = self.text(keys["id"], "stage id")
        rules = []
        for rule_node in self.sequence(keys["advance"], "advance") if "advance" in keys else []:
            rule = self.mapping(rule_node, schema.ADVANCE_RULE, "advance rule") or {}
            themes = self.texts(rule["themes"], "themes", lambda item, theme: self.deferred.append(
                ("theme", theme, self.where(item)))) if "themes" in rule else ()
            counts = {key: self.integer(rule[key], key) or 0 for key in ("turns", "topics", "learned") if key in rule}
            if rule and (any(counts.values()) or themes):
                rules.append(AdvanceRule(themes=themes, **counts))
            elif rule_node is not None and not rule:
                self.fail(rule_node, "an advance rule needs 'turns', 'themes', 'topics' or 'learned'")
        replace = self.boolean(keys["replace"], "replace") if "replace" in keys else False
        if stage_id is not None:
            if any(stage.id == stage_id for stage in self.pack.stages):
                self.fail(keys["id"], f"stage '{stage_id}' is defined twice in this pack")
            else:
                self.pack.stages.append(Stage(stage_id, self.where(node), tuple(rules), replace))


def _frozen(cls: type[T], fields: dict[str, Any]) -> T:
    """What `cls(**fields)` makes, for a frozen dataclass given every one of its fields in order,
    without the object.__setattr__ call its __init__ makes a field (a card's 19 were a quarter of
    reading it). A field added to the class and not given here is caught by the count, a misspelt
    one by tests/test_load_speed_equivalence.py."""
    if len(fields) != len(cls.__dataclass_fields__):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} needs every one of its fields: {', '.join(cls.__dataclass_fields__)}")  # type: ignore[attr-defined]
    made = object.__new__(cls)
    attributes = made.__dict__
    for name, value in fields.items():
        attributes[name] = value  # one by one, in order: the dict goes on sharing its keys with the other cards'
    return made


# The keys a card may leave out: theme, when it extends another card.
_THEME: frozenset[str] = frozenset({"theme"})
_NOTHING: frozenset[str] = frozenset()


# A plain card's keys (read_plain_card), and what every other field of it holds.
_PLAIN_CARD_KEYS = frozenset({"id", "theme", "examples", "lines"})
_CARD_DEFAULTS = dict(vars(Card(id="", theme="", location=Location(""))))  # every field, in order


def _plain_text(node: yaml.Node | None) -> str | None:
    """A plain text's value, stripped; None when the node is not one, or holds no text."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
        return None
    return node.value.strip() or None


def _plain_texts(node: yaml.Node | None) -> tuple[str, ...] | None:
    """A list's texts, each stripped; None when the node is not a list, is empty, or one item is no text."""
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        return None
    values = tuple(map(_plain_text, node.value))
    return None if None in values else values  # type: ignore[return-value]


def _says(node: yaml.Node, key: str) -> bool:
    """Whether a mapping node has `key` set to true (read before the mapping is checked)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key and getattr(value_node, "value", "") in ("true", "True", "yes"):
                return True
    return False


def _parses(pattern: str) -> bool:
    try:
        tokenize(pattern)
        return True
    except PatternError:
        return False


def read_file(text: str, name: str, problems: Problems, pack: Pack) -> list[tuple[str, str, Location]]:
    """One pack file's text read into `pack`: what yamlnodes.read_nodes then FileReader.read do, the
    same problems said in the same order; returns the checks left for after merging (FileReader.deferred).

    plain_tags_only walks every node, which costs as much as reading them, so it is left out when it
    can find nothing: the text has no '!' (a tag is written with one, so every tag was resolved, and
    PackLoader saw none that is not plain), and the reader read every mapping PackLoader made and saw
    no key twice. Otherwise it walks after reading, and when it refuses the file, what reading added
    is taken back, as if the walk had come first.
    """
    composed = compose_or_report(text, name, problems)
    if composed is None:
        return []
    root, loader = composed
    if root is None:
        return []  # an empty file is an empty pack file
    walked = "!" in text or not loader.resolved_plain  # a tag may be foreign: walk first, as read_nodes does
    if walked and not plain_tags_only(root, name, problems):
        return []
    take_back = _undoer(problems, pack)
    reader = FileReader(name, problems, pack)
    reader.read(root)
    if walked or (not reader.repeated_key and len(reader.mappings_read) == loader.mappings):
        return reader.deferred
    refused = not_plain(root, name)
    if not refused:
        return reader.deferred
    take_back()
    for location, message, hint in refused:
        problems.add(location, message, hint)
    return []


def _undoer(problems: Problems, pack: Pack) -> Callable[[], None]:
    """A function that puts `problems` and `pack` back as they are now. Reading a file only adds to
    them (new keys, items at the end, a new setup list), so this is all it has to remember."""
    found, dropped, warnings = len(problems.found), problems.dropped, len(problems.warnings)
    tables: tuple[dict[str, Any], ...] = (pack.concepts, pack.concept_locations, pack.cards)
    sizes = [len(table) for table in tables]
    setup, stages, frames = pack.setup, len(pack.stages), len(pack.frames)

    def undo() -> None:
        del problems.found[found:], problems.warnings[warnings:]
        problems.dropped = dropped
        for table, size in zip(tables, sizes):
            for key in list(table)[size:]:
                del table[key]
        pack.setup = setup
        del pack.stages[stages:], pack.frames[frames:]

    return undo
