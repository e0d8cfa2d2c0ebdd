"""Strings a regular expression matches: the inputs a module that validates with a pattern
accepts (and, one character off, the ones it rejects), offered to the probe as literals.

Only the common subset of JavaScript and Java patterns is read: literals and escapes, `.`,
classes (`[a-z0-9-]`, `\\d`, `\\w`, `\\s`), groups (capturing, `(?:`, named), alternation and the
quantifiers `? * + {n} {n,} {n,m}`, lazy or not. Anchors and lookarounds match nothing; a
pattern using anything else (back-references, ...) gives no examples.
"""

from __future__ import annotations

from dataclasses import dataclass

_CLASSES = {"d": "1023456789", "w": "a_0", "s": " ", "D": "a", "W": "-", "S": "a"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}
MAX_EXAMPLES = 6


class _Unsupported(ValueError):
    """The pattern uses something this reader does not follow."""


@dataclass(frozen=True)
class _Chars:
    """One character out of `choices` (the first is the plainest)."""

    choices: str


@dataclass(frozen=True)
class _Repeat:
    node: _Node
    low: int
    high: int | None


@dataclass(frozen=True)
class _Alternatives:
    options: tuple[_Sequence, ...]


@dataclass(frozen=True)
class _Sequence:
    items: tuple[_Node, ...]


_Node = _Chars | _Repeat | _Alternatives | _Sequence


class _Reader:
    """A recursive-descent reader of a pattern into nodes."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0

    def peek(self) -> str:
        return self.pattern[self.at] if self.at < len(self.pattern) else ""

    def take(self) -> str:
        char = self.peek()
        self.at += 1
        return char

    def alternatives(self) -> _Alternatives:
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        return _Alternatives(tuple(options))

    def sequence(self) -> _Sequence:
        items: list[_Node] = []
        while self.peek() not in ("", "|", ")"):
            atom = self.atom()
            if atom is not None:
                items.append(self.quantified(atom))
        return _Sequence(tuple(items))

    def quantified(self, atom: _Node) -> _Node:
        char = self.peek()
        if char and char in "?*+":
            self.take()
            low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[char]
        elif char == "{" and self.pattern[self.at + 1 : self.at + 2].isdigit():
            end = self.pattern.index("}", self.at)
            bounds = self.pattern[self.at + 1 : end].split(",")
            self.at = end + 1
            low = int(bounds[0])
            high = low if len(bounds) == 1 else (int(bounds[1]) if bounds[1] else None)
        else:
            return atom
        if self.peek() in ("?", "+"):
            self.take()  # lazy or possessive: the same strings
        return _Repeat(atom, low, high)

    def atom(self) -> _Node | None:
        char = self.take()
        if char in ("^", "$"):
            return None
        if char == ".":
            return _Chars("a")
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in ("*", "+", "?"):
            raise _Unsupported(char)
        return _Chars(char)

    def group(self) -> _Node | None:
        lookaround = False
        if self.peek() == "?":
            self.take()
            kind = self.take()
            if kind == "<" and self.peek() not in ("=", "!"):
                self.at = self.pattern.index(">", self.at) + 1  # a named group
            elif kind in ("=", "!", "<"):
                lookaround = True
                if kind == "<":
                    self.take()
            elif kind != ":":
                raise _Unsupported("(?" + kind)
        inner = self.alternatives()
        if self.take() != ")":
            raise _Unsupported("unbalanced group")
        return None if lookaround else inner

    def escape(self) -> _Chars:
        char = self.take()
        if char in _CLASSES:
            return _Chars(_CLASSES[char])
        if char in _ESCAPES:
            return _Chars(_ESCAPES[char])
        if not char or char.isdigit() or char in "bBpPuxk":
            raise _Unsupported("\\" + char)
        return _Chars(char)

    def char_class(self) -> _Chars:
        negated = self.peek() == "^"
        if negated:
            self.take()
        members: list[str] = []
        first = True
        while first or self.peek() != "]":
            first = False
            char = self.take()
            if not char:
                raise _Unsupported("unterminated class")
            if char == "\\":
                escaped = self.take()
                members.append(_CLASSES.get(escaped, _ESCAPES.get(escaped, escaped)))
            elif self.peek() == "-" and self.pattern[self.at + 1 : self.at + 2] not in ("]", ""):
                self.take()
                last = self.take()
                members.append("".join(chr(c) for c in range(ord(char), ord(last) + 1))[:10])
            else:
                members.append(char)
        self.take()
        if negated:
            excluded = "".join(members)
            allowed = [c for c in "a0 -_.xZ" if c not in excluded]
            if not allowed:
                raise _Unsupported("negated class")
            return _Chars("".join(allowed))
        # a range from 0 offers 1 first (a zero is often a special case)
        text = "".join(members)
        return _Chars(text[1] + text if text.startswith("01") else text)


def _render(node: _Node, choose: int, fuller: bool) -> str:
    """One string `node` matches. `choose` picks an option wherever there are several (the
    `choose`-th alternative and character, when there are that many); `fuller` takes optional
    parts and repeats twice instead of skipping them."""
    if isinstance(node, _Chars):
        return node.choices[min(choose, len(node.choices) - 1)]
    if isinstance(node, _Sequence):
        return "".join(_render(item, choose, fuller) for item in node.items)
    if isinstance(node, _Alternatives):
        return _render(node.options[min(choose, len(node.options) - 1)], choose, fuller)
    count = node.low
    if fuller:
        count = max(count, 1) if node.high is not None and node.high <= 1 else max(count, 2)
    if node.high is not None:
        count = min(count, node.high)
    return "".join(_render(node.node, choose, fuller) for _ in range(count))


def examples(pattern: str) -> list[str]:
    """Up to `MAX_EXAMPLES` different strings `pattern` matches (empty when it cannot be read):
    the shortest with the plainest characters, the fuller forms, and each alternative."""
    try:
        reader = _Reader(pattern)
        tree = reader.alternatives()
        if reader.at < len(pattern):
            raise _Unsupported("unbalanced group")
    except (_Unsupported, ValueError, IndexError):
        return []
    found: list[str] = []
    for choose in range(4):
        for fuller in (False, True):
            text = _render(tree, choose, fuller)
            if text not in found:
                found.append(text)
    return found[:MAX_EXAMPLES]


def literal_alternatives(pattern: str) -> list[str]:
    """The literal options of the pattern's alternations: `>=`, `<=` and `~` in `(>=|<=|~)?`
    (the operators or keywords the pattern accepts)."""
    try:
        reader = _Reader(pattern)
        tree = reader.alternatives()
    except (_Unsupported, ValueError, IndexError):
        return []
    found: list[str] = []
    stack: list[_Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, _Alternatives):
            for option in node.options:
                fixed = all(isinstance(i, _Chars) and len(i.choices) == 1 for i in option.items)
                if fixed and len(node.options) > 1 and option.items:
                    found.append("".join(_render(item, 0, False) for item in option.items))
            stack.extend(node.options)
        elif isinstance(node, _Sequence):
            stack.extend(node.items)
        elif isinstance(node, _Repeat):
            stack.append(node.node)
    return list(dict.fromkeys(found))
