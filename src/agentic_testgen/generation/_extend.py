"""`atg generate --extend`: the new tests added to an existing test file, keeping what is there.

The existing text is kept as it is, except the import of a module it already imports from,
which gains the new names; new import statements go after its last import, new tests (renamed
when a name is taken, left out when the same test is already there) at its end.
"""

from __future__ import annotations

import ast
import re

from agentic_testgen.generation._naming import unique


def _bound(tree: ast.Module) -> set[str]:
    return {
        (alias.asname or alias.name).split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }


def _shape(node: ast.stmt) -> str:
    """A definition's text without its name, to see the same test under another name."""
    text = ast.unparse(node)
    name = getattr(node, "name", "")
    return text.replace(f"def {name}(", "def _(", 1) if name else text


def _block(lines: list[str], node: ast.stmt) -> str:
    """The statement's own text with its decorators and the comment lines right above it."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
    while first > 0 and lines[first - 1].lstrip().startswith("#"):
        first -= 1
    return "".join(lines[first : node.end_lineno]).rstrip() + "\n"


def extend_file(existing: str, new: str) -> str:
    """`existing` with the imports and tests of `new` that it lacks.

    Raises:
        SyntaxError: the existing file does not parse.
    """
    old_tree, new_tree = ast.parse(existing), ast.parse(new)
    old_lines = existing.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    bound = _bound(old_tree)
    replaced: dict[int, tuple[int, str]] = {}  # first line -> (last line, new text)
    added_imports: list[str] = []
    for statement in new_tree.body:
        if not isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        missing = [a for a in statement.names if (a.asname or a.name).split(".")[0] not in bound]
        if not missing:
            continue
        bound |= {(a.asname or a.name).split(".")[0] for a in missing}
        target = next(
            (
                s
                for s in old_tree.body
                if isinstance(s, ast.ImportFrom)
                and isinstance(statement, ast.ImportFrom)
                and s.module == statement.module
                and s.level == statement.level
                and all(a.name != "*" for a in s.names)
            ),
            None,
        )
        if target is not None and target.end_lineno is not None:
            target.names = [*target.names, *missing]
            replaced[target.lineno] = (target.end_lineno, ast.unparse(target) + "\n")
        else:
            statement.names = missing
            added_imports.append(ast.unparse(statement) + "\n")
    shapes = {_shape(s) for s in old_tree.body}
    taken = {getattr(s, "name", "") for s in old_tree.body} - {""}
    blocks: list[str] = []
    for statement in new_tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom) or _shape(statement) in shapes:
            continue
        block = _block(new_lines, statement)
        name = getattr(statement, "name", None)
        if isinstance(name, str):
            free = unique(name, taken, ["also"])
            taken.add(free)
            block = re.sub(rf"\b(def|class) {re.escape(name)}\b", rf"\1 {free}", block, count=1)
        blocks.append(block)
    lines = list(old_lines)
    for first, (last, text) in sorted(replaced.items(), reverse=True):
        lines[first - 1 : last] = [text]
    imports = [s for s in old_tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    if added_imports:
        after = max((s.end_lineno or s.lineno for s in imports), default=0)
        after -= sum(last - first for first, (last, _) in replaced.items() if first <= after)
        lines[after:after] = added_imports
    body = "".join(lines).rstrip("\n") + "\n"
    return body + "".join(f"\n\n{block}" for block in blocks)
