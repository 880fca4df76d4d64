"""YAML text -> plain nodes, through the safe loader only: no tag but plain data's, no key given
twice, and a syntax error said the way an author thinks of it. Packs and conversation scripts alike."""
from __future__ import annotations

from typing import Any

import yaml

from .errors import Location
from .problems import Problems

# libyaml's safe loader when PyYAML was built with it (five times faster), else the pure one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG, NULL_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"

PLAIN_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in
              ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}


def plain_tags_only(root: yaml.Node, name: str, problems: Problems) -> bool:
    """Only plain YAML data: a `!!python/...` or any custom tag is refused, never constructed;
    a key given twice in one mapping is refused too (YAML would silently keep the last)."""
    refused = not_plain(root, name)
    for location, message, hint in refused:
        problems.add(location, message, hint)
    return not refused


def not_plain(root: yaml.Node, name: str) -> list[tuple[Location, str, str | None]]:
    """What plain_tags_only refuses, in the order it says it: each node once, depth first from the
    last child. A scalar has no children, so one with a plain tag needs no note that it was seen."""
    refused: list[tuple[Location, str, str | None]] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        scalar = isinstance(node, yaml.ScalarNode)
        if scalar and node.tag in PLAIN_TAGS or id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            mark = node.start_mark
            refused.append((Location(name, mark.line + 1, mark.column + 1),
                            f"YAML tag '{tag}' is not allowed: packs hold plain data only", None))
        if scalar:
            continue
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
            seen_keys: set[str] = set()
            for key_node, _ in node.value:
                key = str(key_node.value)
                if key in seen_keys:
                    mark = key_node.start_mark
                    refused.append((Location(name, mark.line + 1, mark.column + 1),
                                    f"key '{key}' is given twice in this mapping", "YAML keeps only the last one"))
                seen_keys.add(key)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return refused


def read_nodes(text: str, name: str, problems: Problems) -> tuple[bool, yaml.Node | None]:
    """Text -> plain YAML nodes; False (after reporting) on a syntax error or a foreign tag.

    The one way YAML is read here: packs (through reader.read_file), and conversation scripts (scripts.py), alike.
    """
    composed = compose_or_report(text, name, problems)
    if composed is None:
        return False, None
    root = composed[0]
    if root is not None and not plain_tags_only(root, name, problems):
        return False, None
    return True, root


def compose_or_report(text: str, name: str, problems: Problems) -> tuple[yaml.Node | None, PackLoader] | None:
    """The file's nodes and the loader that made them; None (after reporting) when YAML cannot read it."""
    try:
        return _compose(text, name)
    except yaml.MarkedYAMLError as error:
        line, column, message, hint = explain_syntax(error, text.splitlines())
        problems.add(Location(name, line, column) if line else Location(name), message, hint)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        problems.add(Location(name, line, column), f"character U+{error.character:04X} is not allowed in YAML",
                     "save the file as plain UTF-8 text")
    except (yaml.YAMLError, RecursionError) as error:
        problems.add(Location(name), f"YAML: {error if isinstance(error, yaml.YAMLError) else 'nested too deeply'}")
    return None


def explain_syntax(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str, str | None]:
    """YAML's syntax error said the way an author thinks of it, at the place the mistake was made:
    (line, column, message, hint), 1-based; line 0 when YAML gave no place."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return 0, 0, f"YAML syntax: {error.problem or error.context}", None
    problem, context = str(error.problem or ""), str(error.context or "")
    row = min(mark.line, max(len(lines) - 1, 0))
    here = lines[row] if lines else ""
    start = error.context_mark.line if error.context_mark else row
    if "\t" in here or "'\\t'" in problem:
        return row + 1, here.find("\t") + 1 if "\t" in here else mark.column + 1, \
            "a tab in the indentation", "YAML indents with spaces, not tabs"
    opened = error.context_mark
    if ("flow sequence" in context or "flow mapping" in context) and opened is not None:
        bracket = "[" if "sequence" in context else "{"
        return opened.line + 1, opened.column + 1, f"this '{bracket}' is never closed", \
            f"close it with '{']' if bracket == '[' else '}'}' on the same line, or write the items as '- ' lines"
    nearby = [(number, lines[number]) for number in range(row, max(start, row - 3) - 1, -1) if number < len(lines)]
    for number, text in nearby:  # an unbalanced quote near the problem: double quotes first
        if text.count('"') % 2:
            return number + 1, text.find('"') + 1, "a quote (\") is opened here and never closed", \
                "a quoted text must be closed on the line it starts"
    for number, text in nearby:
        singles = [i for i, ch in enumerate(text) if ch == "'"]
        if len(singles) % 2 and len(singles) >= 3:
            return number + 1, singles[1] + 1, "an apostrophe inside '...' text ends the quote here", \
                "put the text in double quotes, or write the apostrophe twice ('')"
        if len(singles) % 2:
            return number + 1, singles[0] + 1, "a quote (') is opened here and never closed", \
                "a quoted text must be closed on the line it starts"
    if "mapping values are not allowed" in problem:
        previous = next((lines[i] for i in range(row - 1, -1, -1) if lines[i].strip()), "")
        indent, above = len(here) - len(here.lstrip()), len(previous) - len(previous.lstrip())
        if not here.lstrip().startswith("-") and indent > above and ":" in previous \
                and not previous.rstrip().endswith(":"):
            return row + 1, indent + 1, "this key is indented more than the key above it", \
                "keys of one mapping line up under each other"
        return row + 1, mark.column + 1, "a ':' inside text starts a new key here", \
            "put the text in quotes"
    if "expected key" in problem or "expected <block end>" in problem or "expected '-'" in problem:
        return row + 1, mark.column + 1, "this line does not line up with the ones around it: check the indent", \
            "items of one list, and keys of one mapping, start in the same column"
    return row + 1, mark.column + 1, f"YAML syntax: {problem or context}", None


_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode


class PackLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, with less work for each node it makes (550,000 for 50,000 cards): it has no
    path resolvers, so there is no path to track, and a node's tag depends on its kind and text alone.
    It counts the mappings it makes and notes a tag that is not plain data, for reader.read_file."""

    yaml_path_resolvers: dict = {}  # none

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.mappings = 0  # mappings made whose tag was resolved (every one, when no tag is written)
        self.resolved_plain = True  # False once a plain scalar resolved to '!!merge' ('<<') or '!!value' ('=')
        self.resolved: dict[str, str] = {}  # plain text -> tag, for texts the regular expressions ran on

    def descend_resolver(self, current_node: yaml.Node | None, current_index: Any) -> None:
        """Nothing to track: no path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to track: no path resolvers."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The tag the safe loader gives a node (a scalar comes with its text and whether it was
        plain, a collection with None). The regular expressions are filed by the first character
        they can match ('' for the empty text, None for any): they run only on plain text that
        starts like a bool, number, null or timestamp, and once for each such text."""
        if kind is _SCALAR:
            starts = self.yaml_implicit_resolvers
            if not implicit[0] or value[:1] not in starts and None not in starts:
                return self.DEFAULT_SCALAR_TAG
            tag = self.resolved.get(value)
            if tag is None:
                tag = self.resolved[value] = super().resolve(kind, value, implicit)
                self.resolved_plain = self.resolved_plain and tag in PLAIN_TAGS
            return tag
        if kind is _SEQUENCE:
            return self.DEFAULT_SEQUENCE_TAG
        self.mappings += 1
        return self.DEFAULT_MAPPING_TAG


def compose_yaml(text: str, name: str) -> yaml.Node | None:
    """The file's node tree from the safe loader, named so marks carry the real file name."""
    return _compose(text, name)[0]


def _compose(text: str, name: str) -> tuple[yaml.Node | None, PackLoader]:
    loader = PackLoader(text)
    loader.name = name
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()
