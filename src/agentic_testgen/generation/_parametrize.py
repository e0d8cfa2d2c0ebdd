"""Tests that share a body and differ only in constants become one parametrized test."""

from __future__ import annotations

import ast
import copy

from agentic_testgen.generation._imports import ModuleNames
from agentic_testgen.generation._naming import Subject, is_literal

_HOLE = "__atg_literal__"


def _literals(test: ast.FunctionDef) -> tuple[str, list[ast.expr]]:
    """The test's shape with every literal punched out, and its literals (the nodes of `test`
    itself) in the order the shape meets them."""
    found: list[ast.expr] = []

    def collect(node: ast.AST) -> None:
        if isinstance(node, ast.expr) and is_literal(node):
            found.append(node)
            return
        for child in ast.iter_child_nodes(node):
            collect(child)

    class Punch(ast.NodeTransformer):
        def visit(self, node: ast.AST) -> ast.AST:
            if isinstance(node, ast.expr) and is_literal(node):
                return ast.Name(_HOLE, ast.Load())
            return self.generic_visit(node)

    shape = copy.deepcopy(test)
    shape.name = "_"
    Punch().visit(shape)
    collect(test)
    return ast.dump(shape), found


def _plain(test: ast.FunctionDef) -> bool:
    """No decorators, parameters or docstring: a case that can take parameters."""
    arguments = test.args
    return not (
        test.decorator_list
        or arguments.args
        or arguments.posonlyargs
        or arguments.kwonlyargs
        or arguments.vararg
        or arguments.kwarg
        or (test.body and isinstance(test.body[0], ast.Expr) and is_literal(test.body[0].value))
    )


def merge_cases(
    tests: dict[str, ast.FunctionDef],
    subjects: dict[str, Subject | None],
    module: ModuleNames,
    *,
    exclude: set[str],
) -> list[tuple[list[str], ast.FunctionDef]]:
    """Group tests of the same function with the same shape; each group of two or more becomes
    one test parametrized over the constants that differ (an exact repeat is kept once).
    Returns (names merged, test) in the order of each group's first test."""
    groups: dict[tuple[str, str], list[str]] = {}
    order: list[tuple[str, str]] = []
    for name, test in tests.items():
        subject = subjects.get(name)
        if name in exclude or subject is None or not _plain(test):
            key = ("", name)
        else:
            key = (subject.function, _literals(test)[0])
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(name)
    merged = []
    for key in order:
        names = groups[key]
        if len(names) == 1:
            merged.append((names, tests[names[0]]))
            continue
        merged.append((names, _parametrize([tests[n] for n in names], subjects[names[0]], module)))
    return merged


def _parametrize(
    cases: list[ast.FunctionDef], subject: Subject | None, module: ModuleNames
) -> ast.FunctionDef:
    values = [_literals(case)[1] for case in cases]
    differing = [i for i in range(len(values[0])) if len({ast.dump(v[i]) for v in values}) > 1]
    if not differing:
        return cases[0]  # the same test again
    first = cases[0]
    names = _parameter_names(first, [values[0][i] for i in differing], subject, module)
    positions = dict(zip(differing, names, strict=True))
    counter = iter(range(len(values[0])))

    class Fill(ast.NodeTransformer):
        def visit(self, node: ast.AST) -> ast.AST:
            if isinstance(node, ast.expr) and is_literal(node):
                index = next(counter)
                return ast.Name(positions[index], ast.Load()) if index in positions else node
            return self.generic_visit(node)

    test = Fill().visit(copy.deepcopy(first))
    assert isinstance(test, ast.FunctionDef)
    test.args.args = [ast.arg(n) for n in names]
    rows: list[ast.expr] = [
        ast.Tuple([case[i] for i in differing], ast.Load())
        if len(names) > 1
        else case[differing[0]]
        for case in values
    ]
    argnames: ast.expr = (
        ast.Tuple([ast.Constant(n) for n in names], ast.Load())
        if len(names) > 1
        else ast.Constant(names[0])
    )
    decorator = ast.Call(
        ast.parse("pytest.mark.parametrize", mode="eval").body,
        [argnames, ast.List(rows, ast.Load())],
        [],
    )
    test.decorator_list = [decorator]
    return test


def _parameter_names(
    test: ast.FunctionDef,
    literals: list[ast.expr],
    subject: Subject | None,
    module: ModuleNames,
) -> list[str]:
    """Name each varying literal by its role: the called function's parameter it is passed as,
    `expected` when an assertion compares against it, `message` in `match=`, else `value`."""
    signature = dict(module.parameters).get(subject.function, ()) if subject else ()
    roles: dict[int, str] = {}
    for node in ast.walk(test):
        if subject is not None and node is subject.call:
            for index, argument in enumerate(subject.call.args):
                if index < len(signature):
                    roles[id(argument)] = signature[index]
            for keyword in subject.call.keywords:
                if keyword.arg:
                    roles[id(keyword.value)] = keyword.arg
        elif isinstance(node, ast.Compare):
            for comparator in node.comparators:
                roles.setdefault(id(comparator), "expected")
        elif isinstance(node, ast.keyword) and node.arg == "match":
            roles.setdefault(id(node.value), "message")
    names: list[str] = []
    for literal in literals:
        base = roles.get(id(literal), "value")
        name, extra = base, 2
        while name in names:
            name, extra = f"{base}_{extra}", extra + 1
        names.append(name)
    return names
