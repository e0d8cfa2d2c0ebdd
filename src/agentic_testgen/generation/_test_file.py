"""The Python test file the critic reviews round after round: imports, helpers and test units
kept apart, so a unit can be dropped, renamed or merged without disturbing the rest."""

from __future__ import annotations

import ast
import builtins
import re
import sys
from dataclasses import dataclass, field

from agentic_testgen.domain import SourceUnit


def unit_of(nodeid: str) -> str:
    """The top-level test function or class a pytest node id belongs to."""
    return re.sub(r"\[.*\]$", "", nodeid.partition("::")[2]).split("::")[0]


@dataclass(frozen=True)
class Statements:
    """A test file's imports and helpers at one moment (the statements besides the tests)."""

    imports: dict[str, ast.stmt]
    helpers: dict[str, ast.stmt]


@dataclass
class TestFile:
    """A test module split into imports, helpers and test units (functions or Test classes)."""

    __test__ = False

    imports: dict[str, ast.stmt] = field(default_factory=dict)
    helpers: dict[str, ast.stmt] = field(default_factory=dict)
    units: dict[str, ast.stmt] = field(default_factory=dict)

    def add(self, code: str) -> list[str]:
        """Add a module's statements (renaming clashing tests); return the new units' names."""
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return []
        added = []
        for node in tree.body:
            text = ast.unparse(node)
            if isinstance(node, ast.Import | ast.ImportFrom):
                self.imports.setdefault(text, node)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
                node.name.startswith(("test", "Test"))
            ):
                if any(ast.unparse(unit) == text for unit in self.units.values()):
                    continue  # the same test again
                name = self._free_name(node.name)
                node.name = name
                self.units[name] = node
                added.append(name)
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                self.helpers.setdefault(text, node)
        return added

    def import_missing(self, source: SourceUnit) -> None:
        """Import names of the module that tests use but never import (coders forget them)."""
        tree = ast.parse(source.code)
        offered = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        } | {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        bound = {
            (alias.asname or alias.name).split(".")[0]
            for node in self.imports.values()
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        used = {
            node.id
            for unit in [*self.units.values(), *self.helpers.values()]
            for node in ast.walk(unit)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        for name in sorted((used & offered) - bound):
            statement = ast.ImportFrom(
                module=source.qualified_name, names=[ast.alias(name=name)], level=0
            )
            self.imports[ast.unparse(statement)] = statement
        # a standard-library module used by name but never imported (`functools.partial`)
        for name in sorted((used & sys.stdlib_module_names) - offered - bound - self._assigned()):
            if not hasattr(builtins, name):
                module = ast.Import(names=[ast.alias(name=name)])
                self.imports[ast.unparse(module)] = module

    def _assigned(self) -> set[str]:
        """Every name the file binds anywhere (assignments, parameters, definitions)."""
        names: set[str] = set()
        for statement in [*self.helpers.values(), *self.units.values()]:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    names.add(node.id)
                elif isinstance(node, ast.arg):
                    names.add(node.arg)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    names.add(node.name)
                elif isinstance(node, ast.alias):
                    names.add((node.asname or node.name).split(".")[0])
        return names

    def statement_at(self, line: int) -> tuple[str, str] | None:
        """The statement of the full rendering that holds `line` (1-based): its section
        (`imports`, `helpers` or `units`) and key."""
        layout = self._layout(None)
        spans: list[tuple[int, tuple[str, str]]] = []
        position = 1
        for section, key, text in (item for item in layout if item[0] == "imports"):
            spans.append((position, (section, key)))
            position += text.count("\n") + 1
        position = max(position - 1, 1) + 3  # `render`: two blank lines after the imports
        for section, key, text in (item for item in layout if item[0] != "imports"):
            spans.append((position, (section, key)))
            position += text.count("\n") + 3  # and between blocks
        holding = [statement for first, statement in spans if first <= line]
        return holding[-1] if holding else None

    def remove(self, section: str, key: str) -> None:
        """Drop one statement (as `statement_at` names it)."""
        getattr(self, section).pop(key, None)

    def statements(self) -> Statements:
        """The imports and helpers as they are now, for `restore`."""
        return Statements(dict(self.imports), dict(self.helpers))

    def restore(self, statements: Statements) -> None:
        """Put the imports and helpers back as `statements` took them (the units stay)."""
        self.imports, self.helpers = dict(statements.imports), dict(statements.helpers)

    def keep_only(self, names: list[str]) -> None:
        """Forget the units not in `names`."""
        self.units = {name: unit for name, unit in self.units.items() if name in names}

    def unit_of(self, nodeid: str) -> str:
        """The top-level test function or class a run's node id belongs to."""
        return unit_of(nodeid)

    def _free_name(self, name: str) -> str:
        if name not in self.units:
            return name
        base = re.sub(r"_\d+$", "", name)
        number = 2
        while f"{base}_{number}" in self.units:
            number += 1
        return f"{base}_{number}"

    def render(self, keep: list[str] | None = None) -> str:
        imports = [text for section, _, text in self._layout(keep) if section == "imports"]
        blocks = [text for section, _, text in self._layout(keep) if section != "imports"]
        return "\n".join(imports) + "\n\n\n" + "\n\n\n".join(blocks) + "\n"

    def _layout(self, keep: list[str] | None) -> list[tuple[str, str, str]]:
        """(section, key, source text) of each statement, in the order `render` writes them:
        imports (`__future__` first) one a line, then helpers and tests two blank lines apart."""
        names = keep if keep is not None else list(self.units)
        imports = sorted(
            self.imports.items(),
            key=lambda item: (
                not (isinstance(item[1], ast.ImportFrom) and item[1].module == "__future__")
            ),
        )
        layout = [("imports", key, ast.unparse(node)) for key, node in imports]
        layout += [("helpers", key, ast.unparse(node)) for key, node in self.helpers.items()]
        layout += [("units", name, ast.unparse(self.units[name])) for name in names]
        return layout
