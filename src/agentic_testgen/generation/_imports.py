"""The module under test imported one way in a test file, and no import left that nothing uses."""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleNames:
    """How the module under test is named: `intervals.parse`, and what it defines at top level
    (in source order)."""

    qualified_name: str
    defined: tuple[str, ...]
    constants: tuple[str, ...] = ()  # assigned once at top level, never declared `global`
    parameters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # function -> parameter names

    @property
    def module_name(self) -> str:
        return self.qualified_name.rpartition(".")[2]

    @property
    def package(self) -> str:
        return self.qualified_name.rpartition(".")[0]

    @classmethod
    def of(cls, qualified_name: str, code: str) -> ModuleNames:
        tree = ast.parse(code)
        defined: list[str] = []
        assigned: list[str] = []
        parameters: list[tuple[str, tuple[str, ...]]] = []
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.append(node.name)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                parameters.append((node.name, tuple(a.arg for a in arguments)))
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                assigned += [t.id for t in targets if isinstance(t, ast.Name)]
        rebound = {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
        once = [n for n in assigned if assigned.count(n) == 1 and n not in rebound]
        return cls(
            qualified_name,
            tuple(dict.fromkeys([*defined, *assigned])),
            tuple(once),
            tuple(parameters),
        )


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for an attribute chain over a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


class _Rewrite(ast.NodeTransformer):
    """Replace `alias.f` (the module reached through an alias) and `g` (a name imported under
    another name) by the one spelling chosen for the file."""

    def __init__(self, module_paths: set[str], names: dict[str, str], prefix: str) -> None:
        self.module_paths = module_paths  # dotted spellings that denote the module object
        self.names = names  # local name -> name in the module
        self.prefix = prefix  # "" (from-import) or "mod." (module-object form)
        self.read: set[str] = set()  # names of the module the file uses

    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        if self.prefix and isinstance(node.ctx, ast.Load) and _dotted(node) in self.module_paths:
            return ast.copy_location(ast.Name(self.prefix.rstrip("."), ast.Load()), node)
        dotted = _dotted(node.value)
        if dotted in self.module_paths and isinstance(node.ctx, ast.Load):
            self.read.add(node.attr)
            return ast.copy_location(self._name(node.attr), node)
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if isinstance(node.ctx, ast.Load) and node.id in self.names:
            self.read.add(self.names[node.id])
            return ast.copy_location(self._name(self.names[node.id]), node)
        if isinstance(node.ctx, ast.Load) and node.id in self.module_paths and self.prefix:
            return ast.copy_location(ast.Name(self.prefix.rstrip("."), ast.Load()), node)
        return node

    def _name(self, name: str) -> ast.expr:
        if not self.prefix:
            return ast.Name(name, ast.Load())
        return ast.Attribute(ast.Name(self.prefix.rstrip("."), ast.Load()), name, ast.Load())


def _module_bindings(  # noqa: PLR0911 - one return per import form
    statement: ast.stmt, module: ModuleNames, uses_attributes: set[str]
) -> tuple[set[str], dict[str, str]] | None:
    """What an import of the module under test binds: the names denoting the module object and
    the names imported from it (local -> original). None: it imports something else."""
    qualified, short = module.qualified_name, module.module_name
    if isinstance(statement, ast.Assign) and _looked_up(statement.value) in (qualified, short):
        # Pynguin's `parse_ = sys.modules["intervals.parse"]`, `importlib.import_module(...)`
        return {t.id for t in statement.targets if isinstance(t, ast.Name)}, {}
    if isinstance(statement, ast.Import):
        paths: set[str] = set()
        for alias in statement.names:
            if alias.name not in (qualified, short):
                return None
            paths.add(alias.asname or alias.name)
        return paths, {}
    if not isinstance(statement, ast.ImportFrom) or statement.level:
        return None
    source = statement.module or ""
    if source in (qualified, short) and all(a.name != "*" for a in statement.names):
        return set(), {a.asname or a.name: a.name for a in statement.names}
    if source and source == module.package:
        paths, names = set(), {}
        for alias in statement.names:
            local = alias.asname or alias.name
            if alias.name != short:
                return None
            # `from slugify import slugify` is the module when the file reaches into it
            # (`slugify.x`), else the function of that name the package re-exports
            if local in uses_attributes or short not in module.defined:
                paths.add(local)
            else:
                names[local] = short
        return paths, names
    return None


def _looked_up(value: ast.expr) -> str | None:
    """`m` for `sys.modules["m"]` or `importlib.import_module("m")`."""
    if (
        isinstance(value, ast.Subscript)
        and ast.unparse(value.value) == "sys.modules"
        and isinstance(value.slice, ast.Constant)
        and isinstance(value.slice.value, str)
    ):
        return value.slice.value
    if (
        isinstance(value, ast.Call)
        and ast.unparse(value.func) in ("importlib.import_module", "import_module")
        and len(value.args) == 1
        and isinstance(value.args[0], ast.Constant)
        and isinstance(value.args[0].value, str)
    ):
        return value.args[0].value
    return None


def unify_module_imports(tree: ast.Module, module: ModuleNames) -> None:
    """Rewrite every way the file reaches the module (`import m; m.f()`, `from m import f`,
    `from pkg.m import f as g`, `import pkg.m as module_0`) to one form, in place:
    `from pkg.m import f, g`, or `from pkg import m` with `m.f` when the file needs the module
    object itself (passes it, patches it)."""
    uses_attributes = {
        root
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and (root := _dotted(node.value)) is not None
    }
    paths: set[str] = set()
    names: dict[str, str] = {}
    kept: list[ast.stmt] = []
    position = None
    for statement in tree.body:
        bound = _module_bindings(statement, module, uses_attributes)
        if bound is None:
            kept.append(statement)
            continue
        paths |= bound[0]
        names.update(bound[1])
        position = len(kept) if position is None else position
    if position is None:
        return
    tree.body = kept
    bare_use = _module_object_used(tree, paths)
    prefix = f"{module.module_name}." if bare_use else ""
    rewrite = _Rewrite(paths, names, prefix)
    tree.body = [rewrite.visit(s) for s in tree.body]
    used = sorted(rewrite.read)
    if bare_use:
        single: ast.stmt = (
            ast.ImportFrom(module.package, [ast.alias(module.module_name)], 0)
            if module.package
            else ast.Import([ast.alias(module.module_name)])
        )
    else:
        single = ast.ImportFrom(module.qualified_name, [ast.alias(n) for n in used], 0)
    if bare_use or used:
        tree.body.insert(position, single)


def _module_object_used(tree: ast.Module, paths: set[str]) -> bool:
    """Whether the module object itself is used (passed, patched), not only `m.attr`."""
    values = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return any(
        isinstance(node, ast.Name | ast.Attribute)
        and isinstance(node.ctx, ast.Load)
        and _dotted(node) in paths
        and id(node) not in values
        for node in ast.walk(tree)
    )


def remove_unused_imports(tree: ast.Module) -> list[str]:
    """Drop top-level imports (or names of them) that nothing in the file uses; return what
    was removed. `__future__` imports and star imports stay."""
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    removed: list[str] = []
    body: list[ast.stmt] = []
    for statement in tree.body:
        if not isinstance(statement, ast.Import | ast.ImportFrom) or (
            isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
        ):
            body.append(statement)
            continue
        aliases = []
        for alias in statement.names:
            bound = (alias.asname or alias.name).split(".")[0]
            if alias.name == "*" or bound in used:
                aliases.append(alias)
            else:
                removed.append(alias.asname or alias.name)
        if aliases:
            statement.names = aliases
            body.append(statement)
    tree.body = body
    return removed
