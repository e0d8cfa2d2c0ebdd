"""The critic: keep a proposed test only if it passes, is not flaky, and adds coverage.

It runs the kept tests and the new candidates together, once, in the sandbox (with reruns, so a
flaky test is seen), then keeps greedily: the tests already kept first, then each candidate in
order of the new lines and branches it covers. What it drops goes back to the coder with the
reason.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace

from agentic_testgen.domain import GeneratedTests, RunOutcome, SourceUnit, TestOutcome
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import Sandbox


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

    def _free_name(self, name: str) -> str:
        if name not in self.units:
            return name
        base = re.sub(r"_\d+$", "", name)
        number = 2
        while f"{base}_{number}" in self.units:
            number += 1
        return f"{base}_{number}"

    def render(self, keep: list[str] | None = None) -> str:
        names = keep if keep is not None else list(self.units)
        future = [
            n
            for n in self.imports.values()
            if isinstance(n, ast.ImportFrom) and n.module == "__future__"
        ]
        others = [n for n in self.imports.values() if n not in future]
        parts = [ast.unparse(n) for n in [*future, *others]]
        blocks = [ast.unparse(n) for n in self.helpers.values()]
        blocks += [ast.unparse(self.units[name]) for name in names]
        return "\n".join(parts) + "\n\n\n" + "\n\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class Review:
    """The critic's verdict on one round."""

    code: str
    kept: tuple[str, ...]
    dropped: dict[str, str]
    outcome: RunOutcome

    @property
    def feedback(self) -> list[str]:
        return [f"{name}: {reason}" for name, reason in self.dropped.items()]


def unit_of(nodeid: str) -> str:
    """The top-level test function or class a node id belongs to."""
    return _unit_of(nodeid)


def _file_name(source: SourceUnit) -> str:
    return f"test_{source.module_name}.py"


def _unit_of(nodeid: str) -> str:
    return re.sub(r"\[.*\]$", "", nodeid.partition("::")[2]).split("::")[0]


def _first_error_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip().startswith("E ")]
    return lines[0].removeprefix("E").strip() if lines else "failed"


def review(
    source: SourceUnit,
    tests: TestFile,
    kept_before: list[str],
    sandbox: Sandbox,
    options: RunOptions,
    *,
    kill_mutants: bool = False,
) -> Review:
    """Run every unit of `tests` once and keep those that earn their place: new coverage, or
    (with `kill_mutants`) a mutant no kept test kills."""
    candidate = GeneratedTests(code=tests.render(), filename=_file_name(source))
    run_options = replace(options, mutation=False)
    outcome = get_adapter(source.language).run(source, candidate, sandbox, run_options)
    flaky = outcome.flaky_nodeids()
    verdicts: dict[str, str] = {}
    coverage: dict[str, set[object]] = {}
    for test in outcome.tests:
        unit = _unit_of(test.nodeid)
        if test.outcome != TestOutcome.PASSED:
            verdicts[unit] = f"{test.outcome.value}: {_first_error_line(test.failure)}"
        elif test.nodeid in flaky:
            verdicts[unit] = "flaky: its outcome changed across reruns"
        elif not test.reached_module:
            verdicts.setdefault(unit, "never calls the module under test")
        coverage.setdefault(unit, set()).update(test.lines, test.branches)
    for error in outcome.collection_errors:
        return Review(
            code=tests.render(kept_before) if kept_before else "",
            kept=tuple(kept_before),
            dropped={
                name: f"the file does not import: {_first_error_line(error.message)}"
                for name in tests.units
                if name not in kept_before
            },
            outcome=outcome,
        )
    covered: set[object] = set()
    kept: list[str] = []
    dropped: dict[str, str] = {}
    order = [n for n in kept_before if n in tests.units] + sorted(
        (n for n in tests.units if n not in kept_before),
        key=lambda n: -len(coverage.get(n, set())),
    )
    for name in order:
        reason = verdicts.get(name) if name in coverage or name in verdicts else "not collected"
        gain = coverage.get(name, set()) - covered
        if reason:
            dropped[name] = reason
        elif not gain and name not in kept_before:
            dropped[name] = "adds no coverage the kept tests lack"
        else:
            kept.append(name)
            covered |= coverage.get(name, set())
    no_gain = [n for n, reason in dropped.items() if reason.startswith("adds no coverage")]
    if no_gain and kept and kill_mutants:
        killers = _mutant_killers(
            source, tests, kept, no_gain, outcome=outcome, sandbox=sandbox, options=run_options
        )
        for name in killers:
            kept.append(name)
            del dropped[name]
    return Review(code=tests.render(kept), kept=tuple(kept), dropped=dropped, outcome=outcome)


def _mutant_killers(
    source: SourceUnit,
    tests: TestFile,
    kept: list[str],
    candidates: list[str],
    *,
    outcome: RunOutcome,
    sandbox: Sandbox,
    options: RunOptions,
) -> list[str]:
    """Candidates that kill a mutant none of the kept tests kills (kept tests run first)."""
    from agentic_testgen.languages.python._adapter import PythonAdapter  # noqa: PLC0415
    from agentic_testgen.languages.python._mutation import run_mutants  # noqa: PLC0415

    code = GeneratedTests(code=tests.render([*kept, *candidates]), filename=_file_name(source))
    first = frozenset(t.nodeid for t in outcome.tests if _unit_of(t.nodeid) in kept)
    mutation = run_mutants(
        source, code, outcome, sandbox, options=options, lay_out=PythonAdapter()._lay_out,
        first=first,
    )  # fmt: skip
    killers = {_unit_of(m.killed_by) for m in mutation.mutants if m.killed_by}
    return [name for name in candidates if name in killers]
