"""A JavaScript or Java test file split the way the critic judges it: imports, helpers and
test units, read with tree-sitter (the face of `TestFile`, which reads Python with `ast`).

JavaScript: a unit is a top-level `test(...)`, `it(...)` or `describe(...)` call, named by its
title; imports are `import` declarations, `require` bindings and directives (`'use strict'`);
every other top-level statement is a helper. Java: the first class's members; a unit is a
method annotated as a JUnit test (or a `@Nested` class), named by its name; the rest (fields,
`@BeforeEach`, helper methods) are helpers. The file is rendered in the class the runner expects
(`class_name`, in the package of the class under test).
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentic_testgen.domain import Language
from agentic_testgen.evals.metrics._foreign import (
    arguments,
    callee,
    parse,
    qualname_of,
    text,
)

if TYPE_CHECKING:
    from tree_sitter import Node

_JS_UNIT_CALLS = re.compile(r"^(test|it|describe|suite)(\.(only|skip|todo))?$")
_JS_DECLARATIONS = ("lexical_declaration", "variable_declaration")
_JAVA_UNIT_ANNOTATIONS = {"Test", "ParameterizedTest", "RepeatedTest", "TestFactory", "Nested"}


@dataclass
class ForeignTestFile:
    """Test units of one JavaScript or Java test file, in the order they were added."""

    __test__ = False

    language: Language
    package: str = ""  # Java: the package of the class under test
    class_name: str = "GeneratedTest"  # Java: the test class the file declares
    imports: dict[str, str] = field(default_factory=dict)
    helpers: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    def add(self, code: str) -> list[str]:
        """Add a file's statements (renaming clashing tests); return the new units' names. A
        file that does not parse adds nothing. A name bound twice would not load: an import
        binding a name the file binds already keeps only its other names, and a helper that
        declares a name already declared is left out (the first one stays)."""
        root = parse(code, self.language)
        if root is None:
            return []
        split = _split_js(root) if self.language == Language.JAVASCRIPT else _split_java(root)
        added = []
        for kind, name, statement in split:
            if kind == "imports":
                kept = self._unbound(statement)
                if kept:
                    self.imports.setdefault(kept, kept)
            elif kind == "helpers":
                self.helpers.setdefault(name or statement, statement)
            elif statement not in self.units.values():
                free = self._free_name(name)
                self.units[free] = _renamed(statement, name, free, self.language)
                added.append(free)
        return added

    def _unbound(self, statement: str) -> str:
        """A JavaScript import without the names the file's imports bind already ('' when
        nothing is left); Java imports may repeat."""
        if self.language != Language.JAVASCRIPT:
            return statement
        bound = {name for existing in self.imports for name in _js_bindings(existing)[1]}
        rebuilt, names = _js_bindings(statement, drop=bound)
        return rebuilt if names or not _js_bindings(statement)[1] else ""

    def import_missing(self, source: object) -> None:
        """Nothing to add: a JavaScript or Java answer must import what it uses (the run
        says so when it does not)."""

    def statement_at(self, line: int) -> tuple[str, str] | None:
        """Unknown: a file that does not load is judged whole, not statement by statement."""
        return None

    def remove(self, section: str, key: str) -> None:
        getattr(self, section).pop(key, None)

    def keep_only(self, names: list[str]) -> None:
        """Forget the units not in `names`."""
        self.units = {name: unit for name, unit in self.units.items() if name in names}

    def unit_of(self, nodeid: str) -> str:
        """The unit a run's node id belongs to: the top-level title (JavaScript), the method
        or `@Nested` class (Java)."""
        qualname = qualname_of(nodeid, self.language)
        if self.language == Language.JAVASCRIPT:
            return qualname.split(" > ", 1)[0]
        nested = re.match(r"[\w.]+\$(\w+)::", nodeid)
        return nested.group(1) if nested else qualname

    def render(self, keep: list[str] | None = None) -> str:
        names = keep if keep is not None else list(self.units)
        units = [self.units[name] for name in names if name in self.units]
        if self.language == Language.JAVASCRIPT:
            head = "\n".join(self.imports)
            return head + "\n\n" + "\n\n".join([*self.helpers.values(), *units]) + "\n"
        members = [textwrap.indent(m, "    ") for m in [*self.helpers.values(), *units]]
        header = f"package {self.package};\n\n" if self.package else ""
        imports = "\n".join(self.imports)
        body = "\n\n".join(members)
        return f"{header}{imports}\n\nclass {self.class_name} {{\n{body}\n}}\n"

    def _free_name(self, name: str) -> str:
        if name not in self.units:
            return name
        number = 2
        while _numbered(name, number, self.language) in self.units:
            number += 1
        return _numbered(name, number, self.language)


def _numbered(name: str, number: int, language: Language) -> str:
    return f"{name} ({number})" if language == Language.JAVASCRIPT else f"{name}{number}"


def _renamed(statement: str, name: str, free: str, language: Language) -> str:
    """The unit's text under its new name (its title, or its method name)."""
    if name == free:
        return statement
    if language == Language.JAVASCRIPT:
        start = statement.index("(") + 1
        rest = statement[start:].lstrip()
        quote = rest[0]
        end = rest.index(quote, 1) + 1
        return statement[:start] + json.dumps(free) + rest[end:]
    return re.sub(rf"\b{re.escape(name)}(\s*\()", rf"{free}\1", statement, count=1)


def _dedented(node: Node) -> str:
    """A node's source with the indentation of its first line taken from every line."""
    source = text(node)
    return textwrap.dedent(" " * node.start_point.column + source).strip("\n")


def _split_js(root: Node) -> list[tuple[str, str, str]]:
    found = []
    for node in root.named_children:
        statement = text(node)
        if node.type == "comment":
            continue
        requires = node.type in _JS_DECLARATIONS and "require(" in statement
        if node.type == "import_statement" or _is_directive(node) or requires:
            found.append(("imports", "", statement))
            continue
        call = node.named_children[0] if node.type == "expression_statement" else None
        if (
            call is not None
            and call.type == "call_expression"
            and _JS_UNIT_CALLS.match(callee(call))
        ):
            args = arguments(call)
            title = args[0] if args else None
            if title is not None and title.type in ("string", "template_string"):
                found.append(("units", _js_string(text(title)), statement))
                continue
        found.append(("helpers", _js_declared(node), statement))
    return found


def _js_string(literal: str) -> str:
    """A JavaScript string literal's value (as the runner reports the test's title)."""
    inner = literal[1:-1]
    if literal[0] == "`":
        return inner
    if literal[0] == "'":
        inner = re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', inner.replace("\\'", "'"))
    try:
        value = json.loads(f'"{inner}"')
    except json.JSONDecodeError:
        return inner
    return str(value)


def _js_declared(node: Node) -> str:
    """The names a top-level helper declares, as its key ('' when it declares none)."""
    if node.type in _JS_DECLARATIONS:
        names = [text(d.child_by_field_name("name")) for d in node.named_children]
        return "declares " + ", ".join(name for name in names if name)
    name = node.child_by_field_name("name")
    return f"declares {text(name)}" if name is not None else ""


def _js_bindings(statement: str, drop: set[str] | None = None) -> tuple[str, list[str]]:
    """The local names an import or `require` declaration binds; with `drop`, the statement
    rebuilt without those names (only an `import { a, b as c } from` list is rebuilt: any other
    import binding a dropped name is left out whole)."""
    drop = drop or set()
    root = parse(statement, Language.JAVASCRIPT)
    node = root.named_children[0] if root is not None and root.named_children else None
    if node is None or _is_directive(node):
        return statement, []
    if node.type in _JS_DECLARATIONS:
        names = [
            leaf
            for declarator in node.named_children
            for leaf in _pattern_names(declarator.child_by_field_name("name"))
        ]
        return (statement, names) if not set(names) & drop else ("", [])
    return _import_bindings(node, drop)


def _import_bindings(node: Node, drop: set[str]) -> tuple[str, list[str]]:
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    if clause is None:
        return text(node), []  # `import './setup.js'`: binds nothing
    names, specifiers, whole = [], [], True
    for part in clause.named_children:
        if part.type == "named_imports":
            for specifier in part.named_children:
                local = specifier.child_by_field_name("alias") or specifier.child_by_field_name(
                    "name"
                )
                if text(local) in drop:
                    whole = False
                else:
                    names.append(text(local))
                    specifiers.append(text(specifier))
        else:  # a default or `* as name`
            local = part if part.type == "identifier" else part.named_children[-1]
            if text(local) in drop:
                return "", []
            names.append(text(local))
    if whole:
        return text(node), names
    if not specifiers or len(clause.named_children) > 1:
        return "", []
    origin = text(node.child_by_field_name("source"))
    return f"import {{ {', '.join(specifiers)} }} from {origin};", names


def _pattern_names(pattern: Node | None) -> list[str]:
    """Identifiers a binding pattern binds: `x`, `{ a, b: c }`, `[d, e]`."""
    if pattern is None:
        return []
    if pattern.type == "identifier":
        return [text(pattern)]
    found = []
    for child in pattern.named_children:
        if child.type in ("shorthand_property_identifier_pattern", "identifier"):
            found.append(text(child))
        elif child.type == "pair_pattern":
            found += _pattern_names(child.child_by_field_name("value"))
        else:
            found += _pattern_names(child)
    return found


def _is_directive(node: Node) -> bool:
    return (
        node.type == "expression_statement"
        and node.named_child_count == 1
        and node.named_children[0].type == "string"
    )


def _split_java(root: Node) -> list[tuple[str, str, str]]:
    found = []
    body = None
    for node in root.named_children:
        if node.type == "import_declaration":
            found.append(("imports", "", text(node)))
        elif node.type == "class_declaration" and body is None:
            body = node.child_by_field_name("body")
    for member in body.named_children if body is not None else []:
        if member.type in ("line_comment", "block_comment"):
            continue
        annotations = _annotation_names(member)
        name = text(member.child_by_field_name("name"))
        if annotations & _JAVA_UNIT_ANNOTATIONS and name:
            found.append(("units", name, _dedented(member)))
        else:
            found.append(("helpers", _java_declared(member), _dedented(member)))
    return found


def _java_declared(member: Node) -> str:
    """A member's key: `field x`, `method m(int)` (overloads differ), '' for an initializer."""
    if member.type == "field_declaration":
        names = [
            text(d.child_by_field_name("name"))
            for d in member.named_children
            if d.type == "variable_declarator"
        ]
        return "field " + ", ".join(names)
    name = text(member.child_by_field_name("name"))
    parameters = member.child_by_field_name("parameters")
    return f"{member.type} {name}{text(parameters)}" if name else ""


def _annotation_names(member: Node) -> set[str]:
    modifiers = next((c for c in member.children if c.type == "modifiers"), None)
    return {
        text(child.child_by_field_name("name")).rsplit(".", 1)[-1]
        for child in (modifiers.children if modifiers is not None else [])
        if child.type in ("marker_annotation", "annotation")
    }
