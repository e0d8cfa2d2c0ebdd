"""The literals of a module's own source, offered to the probe as inputs: the strings and
numbers the code compares with are the ones that take its branches (a constant pool, as
search-based generators seed theirs). Three kinds are derived from them: strings each regular
expression matches (what a validating module accepts), those strings behind each short operator
literal (`^1.0.0` where the code tests `startsWith('^')`), and, for JavaScript, the shapes of the
objects the code reads (`{ start, end }` where it destructures or reads `start` and `end`)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from tree_sitter import Node

from agentic_testgen.domain import Language
from agentic_testgen.evals.metrics._foreign import parse, walk
from agentic_testgen.generation.characterize._regex import examples, literal_alternatives

MAX_SEEDS = 60
MAX_DERIVED = 30  # matching strings and operator-prefixed ones, of MAX_SEEDS
MAX_SHAPES = 8
MAX_OPERATORS = 10
_STRINGS = {"string", "string_literal"}
_NUMBERS = {"number", "decimal_integer_literal", "decimal_floating_point_literal"}
# something only a pattern would hold, for Java, whose patterns are plain strings
_PATTERN_HINT = re.compile(r"\\[dwsDWSb.]|\[[^\]]+\]|\(\?:|[+*?]\)|\)[+*?]|^\^|\$$")
_JAVA_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0"}
# the names JavaScript code reads properties of that are not its own objects
_GLOBALS = {
    "Math", "Number", "JSON", "Object", "Array", "String", "Symbol", "Date", "Promise", "console",
    "process", "module", "exports", "Reflect", "BigInt", "Intl", "this", "super", "Error",
}  # fmt: skip


def _java_string(raw: str) -> str:
    """The value of a Java string literal's text (without its quotes)."""
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|.)",
        lambda m: (
            chr(int(m.group(1)[1:], 16))
            if m.group(1).startswith("u") and len(m.group(1)) == 5
            else _JAVA_ESCAPES.get(m.group(1), m.group(1))
        ),
        raw,
    )


def _java_pattern(node: Node) -> str | None:
    """The text of a string literal, or of a `+` of string literals (a long pattern split over
    lines), when it looks like a regular expression; None otherwise."""
    parts = [
        _java_string((part.text or b"").decode("utf-8", "replace")[1:-1])
        for part in walk(node)
        if part.type == "string_literal"
    ]
    operands = [c for c in walk(node) if c.type not in ("binary_expression", "+")]
    if node.type == "binary_expression" and any(
        c.type not in _STRINGS and c.parent is not None and c.parent.type == "binary_expression"
        for c in operands
    ):
        return None
    text = "".join(parts)
    return text if _PATTERN_HINT.search(text) else None


def _patterns(root: Node, language: Language) -> list[str]:
    found: list[str] = []
    for node in walk(root):
        if language == Language.JAVASCRIPT and node.type == "regex_pattern":
            found.append((node.text or b"").decode("utf-8", "replace"))
        elif language == Language.JAVA and node.type in ("string_literal", "binary_expression"):
            inside = node.parent is not None and node.parent.type == "binary_expression"
            pattern = None if inside else _java_pattern(node)
            if pattern:
                found.append(pattern)
    return found


def _derived(root: Node, language: Language, strings: list[str]) -> list[str]:
    """Strings the module's patterns match (the first few of each pattern, then the first of
    the first two patterns behind each short operator literal such as `^`, `>=` or `~`, then
    the other matching ones)."""
    leading: list[str] = []
    others: list[str] = []
    firsts: list[str] = []
    strings = list(strings)
    for pattern in _patterns(root, language):
        strings += literal_alternatives(pattern)
        made = [text for text in examples(pattern) if text and text != pattern]
        leading += made[:3]
        others += made[3:]
        if made and any(c.isalnum() for c in made[0]):
            firsts.append(made[0])
    operators = [text for text in dict.fromkeys(strings) if _operator(text)][:MAX_OPERATORS]
    prefixed = [op + first for op in operators for first in firsts[:2]]
    return list(dict.fromkeys(leading + prefixed + others))[:MAX_DERIVED]


def _firsts(root: Node, language: Language) -> list[str]:
    """The first string each of the module's patterns matches, where it holds a letter or digit."""
    made = [examples(pattern)[:1] for pattern in _patterns(root, language)]
    return [first[0] for first in made if first and any(c.isalnum() for c in first[0])]


def _shapes(root: Node) -> list[str]:
    """Key lists of the objects JavaScript code reads: each destructuring pattern, and the
    properties read (not called) on one name inside one function."""
    shapes: list[tuple[str, ...]] = []
    read: dict[tuple[int, str], list[str]] = {}
    for node in walk(root):
        defaults = [c for c in node.named_children if c.type == "object_assignment_pattern"]
        if node.type == "object_pattern" and len(defaults) < len(node.named_children):
            # (an options object, every key with a default, is not a shape of data)
            keys: list[str] = []
            for child in node.named_children:
                key = child.child_by_field_name("left") or child.child_by_field_name("key")
                key = key or child
                if key.type in ("shorthand_property_identifier_pattern", "property_identifier"):
                    keys.append((key.text or b"").decode())
            if keys:
                shapes.append(tuple(keys))
        elif node.type == "member_expression":
            owner = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            called = node.parent is not None and node.parent.type == "call_expression"
            if owner is None or prop is None or owner.type != "identifier" or called:
                continue
            name = (owner.text or b"").decode()
            scope = node.parent
            while scope is not None and "function" not in scope.type and "method" not in scope.type:
                scope = scope.parent
            read_key = (prop.text or b"").decode()
            if name in _GLOBALS or not name[:1].islower() or read_key == "length" or scope is None:
                continue
            owned = read.setdefault((scope.id, name), [])
            if read_key not in owned:
                owned.append(read_key)
    shapes += [tuple(keys) for keys in read.values()]
    return [",".join(keys) for keys in dict.fromkeys(shapes)][:MAX_SHAPES]


_FUNCTIONS = {
    "function_declaration", "method_definition", "method_declaration", "constructor_declaration",
    "compact_constructor_declaration", "generator_function_declaration",
}  # fmt: skip
MAX_OWN = 32


def _function_name(node: Node) -> str | None:
    """The name a probe knows a function by: its declared name (a constructor's is its class's),
    or the variable or key an arrow function or function expression is given to."""
    if node.type in _FUNCTIONS:
        name = node.child_by_field_name("name")
        return (name.text or b"").decode() if name is not None else None
    value = node.child_by_field_name("value")
    if node.type == "variable_declarator" and value is not None and "function" not in value.type:
        # a constant (`const MODES = ['up', 'down']`): the functions that read it take its
        # literals as their own
        name = node.child_by_field_name("name")
        return (
            (name.text or b"").decode() if name is not None and name.type == "identifier" else None
        )
    if node.type in ("arrow_function", "function_expression", "function") and node.parent:
        holder = node.parent
        name = holder.child_by_field_name("name") or holder.child_by_field_name("key")
        if holder.type in ("variable_declarator", "pair") and name is not None:
            return (name.text or b"").decode()
    return None


def own_lines(root: Node, language: Language, firsts: list[str]) -> list[str]:
    """`F:name:S:text` and `F:name:N:number` lines: the literals inside each function, and in
    the functions and constants it names (calls, passes on or reads), two levels down, and its
    operator literals before the first of the module's pattern-matching strings (`^1.1.1`).
    The probe tries them first for that function's parameters: the values its own branches
    compare with, rather than any of the module's."""
    own: dict[str, list[str]] = {}
    calls: dict[str, list[str]] = {}
    for node in walk(root):
        name = _function_name(node)
        if not name:
            continue
        found = own.setdefault(name, [])
        called = calls.setdefault(name, [])
        for inner in walk(node):
            raw = (inner.text or b"").decode("utf-8", "replace")
            if inner.type in _STRINGS and len(raw) >= 2 and "\n" not in raw and not _message(inner):
                value = _java_string(raw[1:-1]) if language == Language.JAVA else raw[1:-1]
                found.append("S:" + value.replace("\n", "\\n"))
                if _operator(value):
                    found += ["S:" + value + first for first in firsts[:1]]
            elif inner.type in _NUMBERS:
                found.append("N:" + raw.rstrip("lLfFdD").replace("_", ""))
            elif inner.type == "identifier" and inner is not node.child_by_field_name("name"):
                called.append(raw)  # a function it calls or passes on, when one has this name

    def reached(name: str, depth: int) -> list[str]:
        """The literals of `name` and, `depth` levels down, of the functions it names."""
        found = list(own.get(name, []))
        if depth:
            for callee in dict.fromkeys(calls.get(name, [])):
                if callee != name:
                    found += reached(callee, depth - 1)
        return found

    lines: list[str] = []
    for name in own:
        merged = reached(name, 2)
        lines += [f"F:{name}:{line}" for line in list(dict.fromkeys(merged))[:MAX_OWN]]
    return lines


def _message(node: Node) -> bool:
    """Whether a string literal is (part of) text the code builds, such as an error's message,
    rather than a value it compares with: inside a `throw`, or joined with `+` to something."""
    parent = node.parent
    while parent is not None and parent.type in ("binary_expression", "parenthesized_expression"):
        if parent.type == "binary_expression" and b"+" in [c.text for c in parent.children]:
            return True
        parent = parent.parent
    while parent is not None and parent.type not in _FUNCTIONS:
        if parent.type == "throw_statement":
            return True
        parent = parent.parent
    return False


def _operator(text: str) -> bool:
    """A short literal of punctuation only (`^`, `>=`, `~`)."""
    return 1 <= len(text) <= 2 and not any(c.isalnum() or c.isspace() or c == "\\" for c in text)


MAX_MIXED = 24


def _mixed(strings: list[str], seed: int) -> list[str]:
    """Strings made of the module's short literals (a parser's delimiters, quotes, operators)
    and plain characters, as a fuzzer's dictionary makes them: what takes a state machine's
    turns. Half are any mix; half alternate a word (a short alphanumeric literal, `a`, `1`,
    `2`) and a symbol, as operands and operators do (`1+a`, `x,2`). Drawn with a fixed seed,
    so a module gets the same ones each time."""
    tokens = list(dict.fromkeys([t for t in strings if 0 < len(t) <= 2] + ["a", "b", " ", "1"]))
    if len(tokens) <= 4:
        return []
    words = list(dict.fromkeys([t for t in strings if 0 < len(t) <= 4 and t.isalnum()]))
    words += ["1", "2", "3", "a"]
    symbols = [t for t in tokens if not t.isalnum() and not t.isspace()] or [" "]
    chance = random.Random(seed)
    made = []
    for index in range(MAX_MIXED):
        if index % 2:
            start = chance.randint(0, 1)  # a word first, or a symbol (an opening quote)
            parts = [
                chance.choice(words if (i + start) % 2 == 0 else symbols)
                for i in range(chance.choice((3, 5)))
            ]
        else:
            parts = [chance.choice(tokens) for _ in range(chance.randint(2, 8))]
        made.append("".join(parts))
    return list(dict.fromkeys(made))


def seed_lines(code: str, language: Language) -> list[str]:
    """`S:text`, `N:number` and (JavaScript) `O:key,key` lines, each once: strings the module's
    patterns match first, then its literals in source order, then the shapes it reads."""
    root = parse(code, language)
    if root is None:
        return []
    literals: list[str] = []
    strings: list[str] = []
    for node in walk(root):
        raw = (node.text or b"").decode("utf-8", "replace")
        key = node.parent is not None and node.parent.type == "pair" and node.prev_sibling is None
        if node.type == "property_identifier" and key:
            line = "S:" + raw  # an object's key: `{ USD: 2 }` names a valid input
        elif node.type in _STRINGS and len(raw) >= 2 and "\n" not in raw:
            value = _java_string(raw[1:-1]) if language == Language.JAVA else raw[1:-1]
            line = "S:" + value.replace("\n", "\\n")
            strings.append(value)
        elif node.type in _NUMBERS:
            line = "N:" + raw.rstrip("lLfFdD").replace("_", "")
        else:
            continue
        literals.append(line)
    derived = ["S:" + text.replace("\n", "\\n") for text in _derived(root, language, strings)]
    found = list(dict.fromkeys(derived + literals))[:MAX_SEEDS]
    found += ["M:" + text.replace("\n", "\\n") for text in _mixed(strings, len(code))]
    if language == Language.JAVASCRIPT:
        found += ["O:" + shape for shape in _shapes(root)]
    return found + own_lines(root, language, _firsts(root, language))


def write_seeds(workspace: Path, code: str, language: Language) -> Path:
    path = workspace / "seeds.txt"
    path.write_text("\n".join(seed_lines(code, language)) + "\n", encoding="utf-8")
    return path
