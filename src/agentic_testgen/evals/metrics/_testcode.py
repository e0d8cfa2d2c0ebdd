"""What the metrics read from test code: test functions, resolved call names, node id mapping."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class TestFunction:
    """A test pytest would collect: a `test*` function, or a `test*` method of a `Test*` class."""

    __test__ = False

    qualname: str
    node: FunctionNode


def parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def test_functions(tree: ast.Module) -> list[TestFunction]:
    found: list[TestFunction] = []
    for node in tree.body:
        if isinstance(node, FunctionNode) and node.name.startswith("test"):
            found.append(TestFunction(node.name, node))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found.extend(
                TestFunction(f"{node.name}.{item.name}", item)
                for item in node.body
                if isinstance(item, FunctionNode) and item.name.startswith("test")
            )
    return found


def helper_functions(tree: ast.Module) -> dict[str, FunctionNode]:
    """Module-level functions that are not tests (assertion helpers, builders)."""
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, FunctionNode) and not node.name.startswith("test")
    }


def qualname_of(nodeid: str) -> str:
    """`tests/test_x.py::TestA::test_b[1-2]` -> `TestA.test_b`."""
    _, _, rest = nodeid.partition("::")
    return re.sub(r"\[.*\]$", "", rest).replace("::", ".")


def import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted origin, from the file's imports (`from time import sleep`)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted_name(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """`np.random.rand` -> `numpy.random.rand` given `import numpy as np`; None when dynamic."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.insert(0, aliases.get(node.id, node.id))
    return ".".join(parts)
