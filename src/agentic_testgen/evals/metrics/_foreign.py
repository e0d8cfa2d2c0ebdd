"""What the static metrics read from JavaScript and Java code, through tree-sitter.

Python code is read with `ast` (`_testcode`); for the other languages this module gives the same
facts in a language-neutral shape: the tests the runner collects (node:test / Jest / Vitest
`test`/`it` calls inside `describe` blocks; JUnit 5 methods annotated `@Test`,
`@ParameterizedTest`, `@RepeatedTest`), the checks each test makes, the boundary inputs and
expected exceptions in the tests, the functions of the module and their statement lines, the
exceptions the module throws, and the calls that make a test depend on chance, the clock or the
network. The metric formulas stay in the metric modules and are the same for every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from agentic_testgen.domain import Language

if TYPE_CHECKING:  # tree-sitter loads when foreign code is parsed, not when Python is scored
    import tree_sitter
    from tree_sitter import Node

UNKNOWN_CASES = 1  # a parametrized test whose cases are not literal counts once
LARGE_NUMBER = 2**31
LONG_INPUT = 1000


@cache
def _parser(language: Language) -> tree_sitter.Parser:
    import tree_sitter  # noqa: PLC0415 - see above
    import tree_sitter_java  # noqa: PLC0415
    import tree_sitter_javascript  # noqa: PLC0415

    grammar = {
        Language.JAVASCRIPT: tree_sitter_javascript.language,
        Language.JAVA: tree_sitter_java.language,
    }[language]
    return tree_sitter.Parser(tree_sitter.Language(grammar()))


def parse(code: str, language: Language) -> Node | None:
    """The syntax tree of `code`, or None when it does not parse."""
    tree = _parser(language).parse(code.encode("utf-8"))
    return None if tree.root_node.has_error else tree.root_node


def text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def line(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def walk(node: Node, *, into: frozenset[str] = frozenset({"*"})) -> Iterator[Node]:
    """`node` and its descendants, depth first; a node whose type is not in `into` (unless
    `into` holds `*`) is yielded but not entered."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is node or "*" in into or current.type in into:
            stack.extend(reversed(current.children))


def _walk_outside(node: Node, stop: frozenset[str]) -> Iterator[Node]:
    """Descendants of `node`, not entering nodes of the types in `stop` (below `node`)."""
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        yield current
        if current.type not in stop:
            stack.extend(reversed(current.children))


@dataclass(frozen=True)
class Dialect:
    """The node types and names that differ between the languages."""

    language: Language
    functions: frozenset[str]
    statements: frozenset[str]
    blocks: frozenset[str]
    literals: frozenset[str]
    broad_exceptions: frozenset[str]


JAVASCRIPT = Dialect(
    language=Language.JAVASCRIPT,
    functions=frozenset(
        {
            "function_declaration",
            "generator_function_declaration",
            "function_expression",
            "function",
            "generator_function",
            "arrow_function",
            "method_definition",
            "class_declaration",
            "class",
        }
    ),
    statements=frozenset(
        {
            "expression_statement",
            "lexical_declaration",
            "variable_declaration",
            "return_statement",
            "throw_statement",
            "if_statement",
            "for_statement",
            "for_in_statement",
            "while_statement",
            "do_statement",
            "try_statement",
            "switch_statement",
            "break_statement",
            "continue_statement",
        }
    ),
    blocks=frozenset(
        {
            "if_statement",
            "for_statement",
            "for_in_statement",
            "while_statement",
            "do_statement",
            "try_statement",
            "switch_statement",
        }
    ),
    literals=frozenset(
        {"number", "string", "template_string", "regex", "true", "false", "null", "undefined"}
    ),
    broad_exceptions=frozenset({"Error"}),
)
JAVA = Dialect(
    language=Language.JAVA,
    functions=frozenset(
        {
            "method_declaration",
            "constructor_declaration",
            "lambda_expression",
            "class_declaration",
            "class_body",
            "record_declaration",
            "enum_declaration",
            "interface_declaration",
        }
    ),
    statements=frozenset(
        {
            "expression_statement",
            "local_variable_declaration",
            "return_statement",
            "throw_statement",
            "if_statement",
            "for_statement",
            "enhanced_for_statement",
            "while_statement",
            "do_statement",
            "try_statement",
            "try_with_resources_statement",
            "switch_expression",
            "yield_statement",
            "break_statement",
            "continue_statement",
            "explicit_constructor_invocation",
            "assert_statement",
        }
    ),
    blocks=frozenset(
        {
            "if_statement",
            "for_statement",
            "enhanced_for_statement",
            "while_statement",
            "do_statement",
            "try_statement",
            "try_with_resources_statement",
            "switch_expression",
        }
    ),
    literals=frozenset(
        {
            "decimal_integer_literal",
            "hex_integer_literal",
            "octal_integer_literal",
            "binary_integer_literal",
            "decimal_floating_point_literal",
            "hex_floating_point_literal",
            "string_literal",
            "character_literal",
            "true",
            "false",
            "null_literal",
        }
    ),
    broad_exceptions=frozenset({"Exception", "RuntimeException", "Throwable"}),
)
DIALECTS = {Language.JAVASCRIPT: JAVASCRIPT, Language.JAVA: JAVA}


def dialect(language: Language) -> Dialect:
    return DIALECTS[language]


# ---------------------------------------------------------------------------------------------
# calls


def callee(node: Node) -> str:
    """The dotted name a call calls (`assert.strictEqual`, `Assertions.assertEquals`,
    `expect(...).toBe` gives `expect().toBe`), '' for anything else."""
    if node.type == "call_expression":
        return _dotted(node.child_by_field_name("function"))
    if node.type == "method_invocation":
        name = text(node.child_by_field_name("name"))
        target = node.child_by_field_name("object")
        prefix = _dotted(target) if target is not None else ""
        return f"{prefix}.{name}" if prefix else name
    if node.type in ("new_expression", "object_creation_expression"):
        kind = node.child_by_field_name("constructor") or node.child_by_field_name("type")
        return "new " + _dotted(kind)
    return ""


def _dotted(node: Node | None) -> str:
    if node is None:
        return ""
    if node.type in ("identifier", "property_identifier", "type_identifier", "this"):
        return text(node)
    if node.type in ("member_expression", "field_access", "scoped_type_identifier"):
        target = node.child_by_field_name("object") or node.children[0]
        name = node.child_by_field_name("property") or node.child_by_field_name("field")
        name = name or node.children[-1]
        return f"{_dotted(target)}.{text(name)}"
    if node.type in ("call_expression", "method_invocation"):
        inner = callee(node)
        return f"{inner}()" if inner else ""
    if node.type == "generic_type":
        return _dotted(node.children[0])
    return ""


def arguments(call: Node) -> list[Node]:
    """The argument expressions of a call (no punctuation, no comments)."""
    holder = call.child_by_field_name("arguments")
    if holder is None:
        return []
    return [child for child in holder.named_children if child.type != "comment"]


_CALLS = ("call_expression", "method_invocation", "new_expression", "object_creation_expression")


def calls(node: Node) -> Iterator[Node]:
    for inner in walk(node):
        if inner.type in _CALLS:
            yield inner


# ---------------------------------------------------------------------------------------------
# tests


@dataclass(frozen=True)
class ForeignTest:
    """A test the runner collects.

    Attributes:
        qualname: `suite > name` (JavaScript) or the method name (Java), matching
            `qualname_of` of the run's node ids.
        name: the test's own name (its title, or its method name).
        body: the function that holds the test's body.
        cases: how many tests the runner makes of it (JUnit parametrized and repeated tests).
    """

    qualname: str
    name: str
    body: Node
    cases: int = 1


_JS_TEST_CALLS = re.compile(r"^(test|it)(\.(only|skip|todo|concurrent|each\(\)))?$")
_JS_SUITE_CALLS = re.compile(r"^(describe|suite|context)(\.(only|skip|todo))?$")
_JAVA_TEST_ANNOTATIONS = {"Test", "ParameterizedTest", "RepeatedTest", "TestFactory"}
_JAVA_TEST_ANNOTATIONS |= {"TestTemplate"}


def _string_value(node: Node) -> str | None:
    if node.type in ("string", "string_literal"):
        return text(node)[1:-1]
    if node.type == "template_string" and not any(
        child.type == "template_substitution" for child in node.children
    ):
        return text(node)[1:-1]
    return None


def _js_function_argument(call: Node) -> Node | None:
    for argument in reversed(arguments(call)):
        if argument.type in ("arrow_function", "function_expression", "function"):
            return argument
    return None


def _js_tests(root: Node) -> list[ForeignTest]:
    found: list[ForeignTest] = []

    def visit(node: Node, suites: tuple[str, ...]) -> None:
        for child in node.children:
            if child.type == "call_expression":
                name = callee(child)
                args = arguments(child)
                title = _string_value(args[0]) if args else None
                function = _js_function_argument(child)
                if _JS_TEST_CALLS.match(name) and title is not None and function is not None:
                    qualname = " > ".join((*suites, title))
                    found.append(ForeignTest(qualname=qualname, name=title, body=function))
                    continue
                if _JS_SUITE_CALLS.match(name) and title is not None and function is not None:
                    visit(function, (*suites, title))
                    continue
            visit(child, suites)

    visit(root, ())
    return found


def _annotations(method: Node) -> dict[str, Node]:
    modifiers = next((c for c in method.children if c.type == "modifiers"), None)
    found: dict[str, Node] = {}
    for child in modifiers.children if modifiers is not None else []:
        if child.type in ("marker_annotation", "annotation"):
            name = text(child.child_by_field_name("name")).rsplit(".", 1)[-1]
            found[name] = child
    return found


def _java_cases(annotations: dict[str, Node]) -> int:
    repeated = annotations.get("RepeatedTest")
    if repeated is not None:
        values = [c for c in walk(repeated) if c.type == "decimal_integer_literal"]
        return int(text(values[0])) if values else UNKNOWN_CASES
    if "ParameterizedTest" not in annotations:
        return 1
    for source in ("CsvSource", "ValueSource", "EnumSource", "MethodSource"):
        annotation = annotations.get(source)
        if annotation is None:
            continue
        arrays = [c for c in walk(annotation) if c.type == "element_value_array_initializer"]
        if arrays:
            return max(1, len(arrays[0].named_children))
        strings = [c for c in walk(annotation) if c.type == "string_literal"]
        return len(strings) if source == "CsvSource" and strings else UNKNOWN_CASES
    return UNKNOWN_CASES


def _java_tests(root: Node) -> list[ForeignTest]:
    found: list[ForeignTest] = []
    for node in walk(root):
        if node.type != "method_declaration":
            continue
        annotations = _annotations(node)
        if not _JAVA_TEST_ANNOTATIONS & annotations.keys():
            continue
        name = text(node.child_by_field_name("name"))
        found.append(
            ForeignTest(qualname=name, name=name, body=node, cases=_java_cases(annotations))
        )
    return found


def tests_in(root: Node, language: Language) -> list[ForeignTest]:
    """The tests the runner collects from a test file, in file order."""
    return _js_tests(root) if language == Language.JAVASCRIPT else _java_tests(root)


def qualname_of(nodeid: str, language: Language) -> str:
    """A run's node id as a `ForeignTest.qualname`: `f.test.js::suite > name` -> `suite > name`;
    `ClampTest::clampsLow(int)[2]` -> `clampsLow`."""
    _, _, rest = nodeid.partition("::")
    rest = rest or nodeid
    if language == Language.JAVA:
        return rest.rsplit("::", 1)[-1].split("(", 1)[0].rsplit(".", 1)[-1]
    return re.sub(r" \[\d+\]$", "", rest)


# ---------------------------------------------------------------------------------------------
# checks


@dataclass(frozen=True)
class Checks:
    value: int = 0
    trivial: int = 0

    def __add__(self, other: Checks) -> Checks:
        return Checks(self.value + other.value, self.trivial + other.trivial)


_JS_VALUE_ASSERTS = {
    "equal", "strictEqual", "deepEqual", "deepStrictEqual", "notEqual", "notStrictEqual",
    "notDeepEqual", "notDeepStrictEqual", "throws", "doesNotThrow", "rejects", "doesNotReject",
    "match", "doesNotMatch", "fail", "ifError", "partialDeepStrictEqual",
}  # fmt: skip
_JS_TRUTH_ASSERTS = {"assert", "ok", "assert.ok", "assert.strict"}
_JEST_TRIVIAL_MATCHERS = {"toBeDefined", "toBeTruthy", "toBeFalsy", "not.toBeNull"}
_JEST_TRIVIAL_MATCHERS |= {"not.toBeUndefined", "not.toBeNaN"}
_JAVA_TRUTH_ASSERTS = {"assertTrue", "assertFalse"}
_NOTHING = {"null", "undefined", "null_literal"}


def _is_bare(node: Node) -> bool:
    """A literal, a name or a property, maybe negated: only its truth is checked."""
    if node.type in ("unary_expression",) and text(node).startswith("!"):
        node = node.named_children[0]
    if node.type == "parenthesized_expression" and node.named_children:
        return _is_bare(node.named_children[0])
    return node.type in {
        "identifier", "member_expression", "field_access", "this", "true", "false", "number",
        "string", "decimal_integer_literal", "string_literal",
    }  # fmt: skip


def _js_check(call: Node) -> Checks:
    name = callee(call)
    last = name.rsplit(".", 1)[-1]
    args = arguments(call)
    if "expect()" in name:  # expect(x).toBe(y), expect(x).not.toThrow()
        if not name.startswith("expect()"):
            return Checks()
        matcher = name.removeprefix("expect().").removeprefix("resolves.").removeprefix("rejects.")
        return Checks(trivial=1) if matcher in _JEST_TRIVIAL_MATCHERS else Checks(value=1)
    assertive = name.startswith(("assert", "t.assert", "context.assert")) or "." not in name
    if not assertive:
        return Checks()
    if name in _JS_TRUTH_ASSERTS or name.endswith("assert.ok"):
        return Checks(trivial=1) if not args or _is_bare(args[0]) else Checks(value=1)
    if last in _JS_VALUE_ASSERTS:
        against_nothing = len(args) > 1 and args[1].type in _NOTHING
        return Checks(trivial=1) if last.startswith("not") and against_nothing else Checks(value=1)
    return Checks()


def _java_check(call: Node) -> Checks:
    if call.type != "method_invocation":
        return Checks()
    name = callee(call)
    last = name.rsplit(".", 1)[-1]
    target = name.rsplit(".", 1)[0] if "." in name else ""
    if target and not target.endswith(("Assertions", "Assert")):
        return Checks()  # assertThat(x).isEqualTo(y) counts once, at assertThat
    args = arguments(call)
    if last in _JAVA_TRUTH_ASSERTS:
        return Checks(trivial=1) if not args or _is_bare(args[0]) else Checks(value=1)
    if last == "assertNotNull":
        return Checks(trivial=1)
    if last.startswith("assert") or last == "fail":
        return Checks(value=1)
    return Checks()


def _helpers(root: Node, language: Language, tests: list[ForeignTest]) -> dict[str, Node]:
    """Functions (JavaScript) or methods (Java) of the test file that are not tests."""
    test_bodies = {test.body.id for test in tests}
    found: dict[str, Node] = {}
    for node in walk(root):
        if node.id in test_bodies:
            continue
        if node.type in ("function_declaration", "method_declaration"):
            found[text(node.child_by_field_name("name"))] = node
        elif node.type == "variable_declarator":
            value = node.child_by_field_name("value")
            if value is not None and value.type in ("arrow_function", "function_expression"):
                found[text(node.child_by_field_name("name"))] = value
    return found


def checks_of(root: Node, language: Language) -> dict[str, tuple[ForeignTest, Checks]]:
    """Each test's checks, counted in its body and in the file's helpers it calls."""
    tests = tests_in(root, language)
    helpers = _helpers(root, language, tests)
    check = _js_check if language == Language.JAVASCRIPT else _java_check

    def count(function: Node, stack: frozenset[int]) -> Checks:
        total = Checks()
        for call in calls(function):
            name = callee(call)
            helper = helpers.get(name.removeprefix("this."))
            if helper is not None:
                if helper.id not in stack:
                    total = total + count(helper, stack | {helper.id})
                continue
            total = total + check(call)
        return total

    return {test.qualname: (test, count(test.body, frozenset({test.body.id}))) for test in tests}


# ---------------------------------------------------------------------------------------------
# inputs and exceptions


_JS_EXTREMES = {
    "Infinity", "NaN", "Number.MAX_SAFE_INTEGER", "Number.MIN_SAFE_INTEGER", "Number.MAX_VALUE",
    "Number.MIN_VALUE", "Number.EPSILON", "Number.POSITIVE_INFINITY", "Number.NEGATIVE_INFINITY",
}  # fmt: skip
_JAVA_EXTREMES = {
    f"{kind}.{bound}"
    for kind in ("Integer", "Long", "Short", "Byte", "Double", "Float", "Character")
    for bound in ("MAX_VALUE", "MIN_VALUE", "NaN", "POSITIVE_INFINITY", "NEGATIVE_INFINITY")
}
_EMPTY_CALLS = {"List.of", "Set.of", "Map.of", "Collections.emptyList", "Collections.emptyMap"}
_EMPTY_CALLS |= {"Collections.emptySet", "Optional.empty", "Array.of"}


def _number(node: Node) -> float | None:
    raw = text(node).rstrip("lLfFdD").replace("_", "")
    try:
        return float(int(raw, 0)) if raw.isdigit() or raw[:2] in ("0x", "0b", "0o") else float(raw)
    except ValueError:
        return None


def _literal_kind(node: Node) -> str | None:
    """zero, negative, empty, none or extreme for a literal (or a negated one)."""
    kind = node.type
    if kind in ("number", "decimal_integer_literal", "decimal_floating_point_literal"):
        value = _number(node)
        if value == 0:
            return "zero"
        return "extreme" if value is not None and abs(value) >= LARGE_NUMBER else None
    if kind == "unary_expression" and text(node).startswith("-"):
        return "extreme" if text(node).lstrip("- ") == "Infinity" else "negative"
    text_kinds = ("string", "string_literal", "template_string")
    if (kind in text_kinds and len(text(node)) == 2) or (
        kind in ("array", "object") and not node.named_children
    ):
        return "empty"
    if kind in _NOTHING or (kind == "identifier" and text(node) == "undefined"):
        return "none"
    return None


def _construction_kind(node: Node) -> str | None:
    """empty or extreme for a named constant, an empty collection or a very long string."""
    kind = node.type
    dotted = _dotted(node)
    if dotted in _JS_EXTREMES or dotted in _JAVA_EXTREMES:
        return "extreme"
    if kind == "array_creation_expression" and re.search(r"\[\s*0\s*\]", text(node)):
        return "empty"
    if kind in ("object_creation_expression", "new_expression") and not arguments(node):
        type_name = callee(node).removeprefix("new ")
        return "empty" if type_name.endswith(("List", "Map", "Set", "Array", "Deque")) else None
    if kind in ("call_expression", "method_invocation"):
        name, args = callee(node), arguments(node)
        if name in _EMPTY_CALLS and not args:
            return "empty"
        if name.endswith(".repeat") and args and (_number(args[0]) or 0) >= LONG_INPUT:
            return "extreme"
    return None


def boundary_kind(node: Node) -> str | None:
    """The kind of boundary input an argument is: zero, negative, empty, none or extreme."""
    return _literal_kind(node) or _construction_kind(node)


def boundary_kinds(root: Node) -> set[str]:
    """Kinds of boundary input the tests pass to calls, one level into array literals."""
    kinds: set[str] = set()
    for call in calls(root):
        for argument in arguments(call):
            inner = argument.named_children if argument.type in ("array",) else []
            for candidate in (argument, *inner):
                kind = boundary_kind(candidate)
                if kind:
                    kinds.add(kind)
    return kinds


def raised_exceptions(root: Node) -> set[str]:
    """Exception class names the module throws explicitly (`throw new RangeError(...)`)."""
    names: set[str] = set()
    for node in walk(root):
        if node.type != "throw_statement":
            continue
        for created in node.named_children:
            if created.type in ("new_expression", "object_creation_expression"):
                names.add(callee(created).removeprefix("new ").rsplit(".", 1)[-1])
    return names


def _expected(node: Node, broad: str) -> str:
    """The exception an expectation names: `RangeError`, `IllegalStateException.class`,
    `{ name: 'TypeError' }`; the language's broad class for a message or pattern."""
    if node.type == "class_literal":
        return text(node.named_children[0]).rsplit(".", 1)[-1]
    if node.type in ("identifier", "member_expression"):
        return text(node).rsplit(".", 1)[-1]
    if node.type == "object":
        for pair in node.named_children:
            key = text(pair.child_by_field_name("key")).strip("'\"")
            value = _string_value(pair.child_by_field_name("value") or pair)
            if key == "name" and value:
                return value
    return broad


def checked_exceptions(root: Node, language: Language) -> set[str]:
    """Exception class names the tests expect (`assert.throws(fn, RangeError)`,
    `expect(fn).toThrow(TypeError)`, `assertThrows(X.class, ...)`); a check that names no class
    (a message, a pattern) expects the language's broad class (`Error`, `Exception`)."""
    broad = sorted(dialect(language).broad_exceptions)[0]
    names: set[str] = set()
    for call in calls(root):
        name = callee(call)
        last = name.rsplit(".", 1)[-1]
        args = arguments(call)
        javascript = language == Language.JAVASCRIPT
        if javascript and last in ("throws", "rejects") and args:
            names.add(_expected(args[1], broad) if len(args) > 1 else broad)
        elif (javascript and name.startswith("expect()") and "Throw" in last) or (
            not javascript and last in ("assertThrows", "assertThrowsExactly")
        ):
            names.add(_expected(args[0], broad) if args else broad)
    return names


# ---------------------------------------------------------------------------------------------
# the module's functions


def module_functions(root: Node, language: Language) -> dict[str, set[int]]:
    """Functions and methods of the module (classes at any depth) -> their own statement lines
    (not those of functions nested in them)."""
    spec = dialect(language)
    found: dict[str, set[int]] = {}

    def own_lines(function: Node) -> set[int]:
        body = function.child_by_field_name("body")
        if body is None:
            return set()
        if body.type not in ("statement_block", "block", "constructor_body"):
            return {line(body)}  # an arrow function's expression body
        return {line(n) for n in _walk_outside(body, spec.functions) if n.type in spec.statements}

    def visit(node: Node, prefix: str) -> None:
        for child in node.named_children:
            kind = child.type
            name_node = child.child_by_field_name("name")
            if kind in ("class_declaration", "class", "record_declaration", "enum_declaration"):
                name = text(name_node) if name_node is not None else ""
                body = child.child_by_field_name("body")
                if body is not None:
                    visit(body, f"{prefix}{name}." if name else prefix)
                continue
            if kind in ("interface_declaration",):
                continue
            if kind in (
                "function_declaration", "generator_function_declaration", "method_definition",
                "method_declaration", "constructor_declaration", "compact_constructor_declaration",
            ):  # fmt: skip
                found[prefix + text(name_node)] = own_lines(child)
                continue
            if kind == "variable_declarator":
                value = child.child_by_field_name("value")
                if value is not None and value.type in spec.functions:
                    if value.type in ("class", "class_declaration"):
                        visit(value, f"{prefix}{text(name_node)}.")
                    else:
                        found[prefix + text(name_node)] = own_lines(value)
                    continue
            if kind == "pair":
                value = child.child_by_field_name("value")
                if value is not None and value.type in ("arrow_function", "function_expression"):
                    key = text(child.child_by_field_name("key")).strip("'\"")
                    found[prefix + key] = own_lines(value)
                    continue
            if kind not in spec.functions:
                visit(child, prefix)

    visit(root, "")
    return {name: lines for name, lines in found.items() if name}


# ---------------------------------------------------------------------------------------------
# non-determinism


_JS_NONDETERMINISTIC = {
    "Math.random": "unseeded random",
    "crypto.getRandomValues": "unseeded random",
    "crypto.randomBytes": "unseeded random",
    "crypto.randomInt": "unseeded random",
    "Date.now": "wall-clock time",
    "performance.now": "wall-clock time",
    "new Date": "wall-clock time",  # without arguments only
    "setTimeout": "sleep",
    "timers.setTimeout": "sleep",
    "crypto.randomUUID": "uuid",
    "fetch": "network",
    "http.get": "network",
    "http.request": "network",
    "https.get": "network",
    "https.request": "network",
    "net.connect": "network",
    "net.createConnection": "network",
    "axios.get": "network",
}
_JAVA_NONDETERMINISTIC = {
    "Math.random": "unseeded random",
    "new Random": "unseeded random",  # without a seed only
    "ThreadLocalRandom.current": "unseeded random",
    "new SecureRandom": "unseeded random",
    "System.currentTimeMillis": "wall-clock time",
    "System.nanoTime": "wall-clock time",
    "Instant.now": "wall-clock time",
    "LocalDate.now": "wall-clock time",
    "LocalDateTime.now": "wall-clock time",
    "LocalTime.now": "wall-clock time",
    "ZonedDateTime.now": "wall-clock time",
    "OffsetDateTime.now": "wall-clock time",
    "new Date": "wall-clock time",  # without arguments only
    "Thread.sleep": "sleep",
    "UUID.randomUUID": "uuid",
    "new Socket": "network",
    "new URL": "network",
    "HttpClient.newHttpClient": "network",
    "new ServerSocket": "network",
}
_NEEDS_NO_ARGUMENTS = {"new Date", "new Random"}
# calls that replace the clock or a function for the tests that follow
_FAKE_CLOCKS = ("useFakeTimers", "mock.timers.enable", "timers.enable", "setSystemTime")
_SPIES = ("mock.method", "spyOn", "mockStatic")


def _replaced_by(call: Node) -> set[str]:
    """Last components of what one call replaces (`mock.method(Math, 'random')` -> random)."""
    name = callee(call)
    if name.endswith(_FAKE_CLOCKS):
        return {"now", "Date", "setTimeout", "currentTimeMillis", "nanoTime"}
    if name.endswith(_SPIES):
        names = set()
        for argument in arguments(call)[:2]:
            value = _string_value(argument)
            names.add(value if value is not None else text(argument).split(".")[0])
        return names
    return set()


def static_findings(root: Node, language: Language) -> list[dict[str, object]]:
    """Calls in a test that make it depend on chance, the clock or the network, unless the test
    or the file (outside any test) replaces them."""
    table = _JS_NONDETERMINISTIC if language == Language.JAVASCRIPT else _JAVA_NONDETERMINISTIC
    tests = tests_in(root, language)
    bodies = {test.body.id for test in tests}
    file_patches: set[str] = set()
    for call in calls(root):
        if not any(ancestor in bodies for ancestor in _ancestor_ids(call)):
            file_patches |= _replaced_by(call)
    findings: list[dict[str, object]] = []
    for test in tests:
        patched = file_patches.union(*(_replaced_by(call) for call in calls(test.body)))
        for call in calls(test.body):
            name = callee(call)
            kind = table.get(name)
            if kind is None or name.rsplit(".", 1)[-1] in patched or name.split(".")[0] in patched:
                continue
            if name in _NEEDS_NO_ARGUMENTS and arguments(call):
                continue
            if name == "new Date" and "Date" in patched:
                continue
            findings.append({"test": test.qualname, "line": line(call), "kind": kind, "call": name})
    return findings


def _ancestor_ids(node: Node) -> Iterator[int]:
    current = node.parent
    while current is not None:
        yield current.id
        current = current.parent


# ---------------------------------------------------------------------------------------------
# readability


def nesting_depth(node: Node, language: Language) -> int:
    """Deepest nesting of if/for/while/try/switch blocks inside `node`."""
    blocks = dialect(language).blocks
    deepest = 0
    stack = [(child, 0) for child in node.children]
    while stack:
        current, depth = stack.pop()
        if current.type in blocks:
            depth += 1
            deepest = max(deepest, depth)
        stack.extend((child, depth) for child in current.children)
    return deepest


def body_shape(node: Node, language: Language) -> str:
    """The test body with every literal masked: equal shapes are copy-pasted tests."""
    literals = dialect(language).literals

    def shape(current: Node) -> str:
        if current.type in literals:
            return "_"
        if current.child_count == 0:
            return text(current)
        return f"({current.type} {' '.join(shape(child) for child in current.children)})"

    return shape(node.child_by_field_name("body") or node)


@dataclass(frozen=True)
class Span:
    lines: int
    depth: int


def span(test: ForeignTest, language: Language) -> Span:
    start, end = test.body.start_point.row, test.body.end_point.row
    return Span(lines=end - start + 1, depth=nesting_depth(test.body, language))
