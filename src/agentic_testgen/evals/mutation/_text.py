"""Source-level mutants of JavaScript and Java code, found through tree-sitter.

Each mutant replaces one span of the module's text (an operator's expression, a literal, a
statement) with another; `apply` makes the mutated module. The operators and their names are
those of the Python engine (`_schema.OPERATORS`), so scores compare across languages: arithmetic,
comparison, boundary, boolean, not, number, string, true-false, return-value, remove-call,
remove-raise and augmented-assignment. The language adapters run the mutants (a fresh module
per mutant: a JVM class loader, a node process) against the tests that cover them.

Written here rather than taken from StrykerJS or PIT: the same operators, the same record of each
mutant and the same selection by per-test coverage as in Python are what make `mutation_score`
one metric across languages (`bench/bench_mutation_java.py` measures the Java side against PIT,
`bench/bench_mutation_js.py` the JavaScript side on the built-in dataset).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentic_testgen.domain import Language
from agentic_testgen.evals.metrics._foreign import callee, parse, text

if TYPE_CHECKING:
    from tree_sitter import Node

ARITHMETIC = {
    "+": "-", "-": "+", "*": "/", "/": "*", "%": "*", "<<": ">>", ">>": "<<", ">>>": "<<",
    "&": "|", "|": "&", "^": "&",
}  # fmt: skip
BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
COMPARISON = {"==": "!=", "!=": "==", "===": "!==", "!==": "==="}
BOOLEAN = {"&&": "||", "||": "&&", "??": "&&"}
AUGMENTED = {f"{op}=": f"{other}=" for op, other in ARITHMETIC.items()}
UPDATE = {"++": "--", "--": "++"}

_FUNCTIONS = {
    Language.JAVASCRIPT: {
        "function_declaration", "generator_function_declaration", "function_expression",
        "function", "generator_function", "arrow_function", "method_definition",
    },
    Language.JAVA: {
        "method_declaration", "constructor_declaration", "lambda_expression",
        "compact_constructor_declaration",
    },
}  # fmt: skip
# code that is not behaviour: module plumbing and declarations
_SKIPPED = {
    "import_statement", "import_declaration", "package_declaration", "marker_annotation",
    "annotation", "comment", "regex", "template_string",
}  # fmt: skip
_JS_MODULE_CALLS = {"require", "import"}


@dataclass(frozen=True)
class TextMutant:
    """One mutant: the bytes `start`..`end` of the module replaced by `mutated`.

    `line`/`col` and `end_line`/`end_col` locate the span (1-based lines, 0-based byte
    columns), `original` is its text, `import_time` says it acts when the module is loaded
    (outside any function: module level, field initializers, static blocks).
    """

    id: int
    operator: str
    start: int
    end: int
    original: str
    mutated: str
    line: int
    col: int
    end_line: int
    end_col: int
    import_time: bool


def apply(code: str, mutant: TextMutant) -> str:
    """The module's code with `mutant` in place."""
    raw = code.encode("utf-8")
    return (raw[: mutant.start] + mutant.mutated.encode("utf-8") + raw[mutant.end :]).decode()


def _with_token(node: Node, token: Node, replacement: str) -> str:
    """`node`'s text with one of its tokens replaced."""
    raw = node.text or b""
    start, end = token.start_byte - node.start_byte, token.end_byte - node.start_byte
    return (raw[:start] + replacement.encode("utf-8") + raw[end:]).decode("utf-8", "replace")


# binding strength of the binary operators the tables swap (JavaScript and Java agree on these)
_PRECEDENCE = {
    "??": 1, "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "===": 6, "!==": 6,
    "<": 7, "<=": 7, ">": 7, ">=": 7, "<<": 8, ">>": 8, ">>>": 8, "+": 9, "-": 9, "*": 10,
    "/": 10, "%": 10,
}  # fmt: skip


def _swapped(node: Node, token: Node, replacement: str) -> str:
    """A binary expression with its operator swapped, grouped as the original was grouped.

    When the new operator binds differently (`||` for `&&`, `|` for `&`), the text alone may
    regroup: the outer `||` of `a || b || c` made `&&` reads `a || (b && c)`, and `a ?? b` made
    `&&` inside another `??` does not parse. An operand, or the whole within its parent, is
    parenthesized where the new operator would bind it otherwise."""
    new = _PRECEDENCE.get(replacement, 0)
    if _PRECEDENCE.get(text(token)) == new:
        return _with_token(node, token, replacement)
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return _with_token(node, token, replacement)

    def loose(inner: Node, *, right_side: bool) -> bool:
        """`inner` is a binary expression the new operator would pull apart."""
        if inner.type != "binary_expression":
            return False
        op = text(_operator_token(inner))
        if _mixes_nullish(op, replacement):
            return True
        strength = _PRECEDENCE.get(op, 0)
        return strength < new or (right_side and strength == new)

    def grouped(operand: Node, *, right_side: bool) -> str:
        loosened = loose(operand, right_side=right_side)
        return f"({text(operand)})" if loosened else text(operand)

    swapped = f"{grouped(left, right_side=False)} {replacement} {grouped(right, right_side=True)}"
    parent = node.parent
    if parent is None or parent.type != "binary_expression":
        return swapped
    outer = text(_operator_token(parent))
    tighter = _PRECEDENCE.get(outer, 0) >= new
    return f"({swapped})" if tighter or _mixes_nullish(outer, replacement) else swapped


def _mixes_nullish(one: str, other: str) -> bool:
    """`??` beside `&&` or `||` does not parse without parentheses."""
    return {one, other} & {"??"} != set() and {one, other} & {"&&", "||"} != set()


def _operator_token(node: Node) -> Node | None:
    found = node.child_by_field_name("operator")
    if found is not None:
        return found
    return next((child for child in node.children if not child.is_named), None)


def _number_plus_one(literal: str) -> str | None:
    body, suffix = literal, ""
    if body[-1:] in ("l", "L", "f", "F", "d", "D") and not body.lower().startswith("0x"):
        body, suffix = body[:-1], body[-1]
    body = body.replace("_", "")
    try:
        value = int(body) if body.isdigit() else float(body)
    except ValueError:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return f"{value + 1}{suffix}"


def _string_variant(node: Node) -> str | None:
    raw = text(node)
    if len(raw) < 2 or raw[0] not in "'\"" or raw.startswith('"""'):
        return None
    return f"{raw[0]}XX{raw[1:-1]}XX{raw[-1]}"


# methods whose result is a String: `+` on them joins text
_TEXT_METHODS = {
    "toString", "join", "format", "formatted", "substring", "trim", "strip", "toUpperCase",
    "toLowerCase", "repeat", "replace", "replaceAll", "valueOf", "name", "concat", "getName",
    "getMessage", "getSimpleName", "lineSeparator", "charAt",
}  # fmt: skip


def _joins_text(node: Node) -> bool:
    """Whether a Java `+` has a String operand as far as the syntax tells."""
    for operand in (node.child_by_field_name("left"), node.child_by_field_name("right")):
        inner = operand
        while inner is not None and inner.type == "parenthesized_expression":
            inner = inner.named_children[0] if inner.named_children else None
        if inner is None:
            continue
        joined = (
            inner.type in ("string_literal", "text_block")
            or (inner.type == "binary_expression" and text(_operator_token(inner)) == "+"
                and _joins_text(inner))
            or (inner.type == "method_invocation"
                and text(inner.child_by_field_name("name")) in _TEXT_METHODS)
        )  # fmt: skip
        if joined:
            return True
    return False


def _variants(node: Node, language: Language) -> list[tuple[str, str]]:  # noqa: PLR0911, PLR0912 - one case per node type
    """(operator, mutated text of `node`) for each mutant of `node`."""
    kind = node.type
    if kind == "binary_expression":
        token = _operator_token(node)
        op = text(token)
        if op == "+" and language == Language.JAVA and _joins_text(node):
            return []  # `-` on a String does not compile
        for table, name in (
            (ARITHMETIC, "arithmetic"), (BOUNDARY, "boundary"),
            (COMPARISON, "comparison"), (BOOLEAN, "boolean"),
        ):  # fmt: skip
            if token is not None and op in table:
                return [(name, _swapped(node, token, table[op]))]
        return []
    if kind == "unary_expression":
        token = _operator_token(node)
        operand = node.child_by_field_name("argument") or node.child_by_field_name("operand")
        literal = operand is not None and operand.type in ("number", "decimal_integer_literal")
        if token is not None and operand is not None and text(token) in ("!", "-") and not literal:
            return [("not" if text(token) == "!" else "arithmetic", text(operand))]
        return []
    if kind == "update_expression":
        token = next((c for c in node.children if text(c) in UPDATE), None)
        if token is None:
            return []
        return [("augmented-assignment", _with_token(node, token, UPDATE[text(token)]))]
    if kind in ("augmented_assignment_expression", "assignment_expression"):
        token = _operator_token(node)
        op = text(token)
        if token is not None and op in AUGMENTED:
            return [("augmented-assignment", _with_token(node, token, AUGMENTED[op]))]
        return []
    if kind in ("true", "false"):
        return [("true-false", "false" if kind == "true" else "true")]
    if kind in ("number", "decimal_integer_literal", "decimal_floating_point_literal"):
        bumped = _number_plus_one(text(node))
        return [("number", bumped)] if bumped is not None else []
    if kind in ("string", "string_literal"):
        changed = _string_variant(node)
        return [("string", changed)] if changed is not None else []
    if kind == "return_statement" and language == Language.JAVASCRIPT and node.named_children:
        return [("return-value", "return undefined;")]
    if kind == "expression_statement" and node.named_children:
        inner = node.named_children[0]
        if inner.type in ("call_expression", "method_invocation", "await_expression"):
            return [("remove-call", ";")]
        return []
    if kind == "throw_statement":
        return [("remove-raise", ";")]
    return []


def _skipped(node: Node, language: Language) -> bool:
    """Code no mutant is made in: imports, annotations, `require(...)`, object keys."""
    if node.type in _SKIPPED:
        return True
    if language == Language.JAVASCRIPT and node.type == "call_expression":
        return callee(node) in _JS_MODULE_CALLS
    if node.type == "expression_statement" and node.named_children:
        directive = node.named_children[0]
        return directive.type == "string"  # "use strict"
    return False


def text_mutants(code: str, language: Language) -> list[TextMutant]:
    """Every mutant of a JavaScript or Java module, in source order; none when it does not
    parse."""
    root = parse(code, language)
    if root is None:
        return []
    functions = _FUNCTIONS[language]
    mutants: list[TextMutant] = []

    def visit(node: Node, in_function: bool) -> None:
        if _skipped(node, language):
            return
        key = node.parent is not None and node.parent.type == "pair" and node.prev_sibling is None
        if not key:
            for operator, mutated in _variants(node, language):
                mutants.append(
                    TextMutant(
                        id=len(mutants) + 1,
                        operator=operator,
                        start=node.start_byte,
                        end=node.end_byte,
                        original=text(node),
                        mutated=mutated,
                        line=node.start_point.row + 1,
                        col=node.start_point.column,
                        end_line=node.end_point.row + 1,
                        end_col=node.end_point.column,
                        import_time=not in_function,
                    )
                )
        inside = in_function or node.type in functions
        for child in node.children:
            visit(child, inside)

    visit(root, False)
    return mutants
