"""The coder seam: LLM providers and offline tools behind one face."""

from __future__ import annotations

import re
import shutil
import site
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.languages import RunOptions
from agentic_testgen.projects import find_project
from agentic_testgen.projects import lay_out_for_tool as lay_out_for_tool_in_project
from agentic_testgen.sandbox import Completed, Limits, Sandbox, interpreter_paths

MAX_REASON = 200
# a log record at ERROR or above, as Pynguin logs through rich:
# "[10:31:28] ERROR    Failed to load SUT: boom          generator.py:297"
_LOGGED_ERROR = re.compile(r"\b(?:ERROR|CRITICAL)\s+(?P<message>.+?)(?:\s+\S+\.py:\d+)?\s*$")
# the last line of a Python traceback: "TypeError: ...", "bytecode.cfg.StackError: ..."
_EXCEPTION = re.compile(r"^(?:[\w.]+\.)?(?P<line>[A-Z]\w*(?:Error|Exception|Exit)\b.*)$")


@dataclass(frozen=True)
class CoderContext:
    """What a coder may use: the module, the tests kept so far, the critic's feedback."""

    source: SourceUnit
    sandbox: Sandbox
    kept_tests: str = ""
    feedback: tuple[str, ...] = field(default=())
    iteration: int = 0
    seconds: float = 30.0
    canary: str = ""  # a token in a model's instructions only: seen in its answer, it obeyed
    options: RunOptions = field(default_factory=RunOptions)  # how the critic runs tests


@runtime_checkable
class Coder(Protocol):
    """Proposes test code for the targets of a plan."""

    @property
    def name(self) -> str: ...

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        """Test code (a whole pytest module) for the plan's targets."""
        ...


@dataclass(frozen=True)
class ToolLayout:
    """Where a generator finds the module and what it imports with it.

    Attributes:
        import_root: the directory the module is imported from (on the tool's PYTHONPATH).
        site: a directory holding a `sitecustomize` that appends the project environment's
            site directories after the tool's own (None outside a project environment).
        readonly: the project environment's directories the sandbox must show.
    """

    import_root: Path
    site: Path | None = None
    readonly: tuple[Path, ...] = ()

    def pythonpath(self) -> str:
        return ":".join(str(path) for path in (self.import_root, self.site) if path is not None)


def lay_out_for_tool(workspace: Path, source: SourceUnit) -> ToolLayout:
    """The module for a generator run in `workspace`: inside a copy of its project's code when
    it has one (so its relative imports and sibling modules work) with the project
    environment's packages importable after the tool's own; else alone in its package."""
    if source.project_root is None:
        write_module(workspace, source)
        return ToolLayout(import_root=workspace)
    # an imported project's own environment when its dataset names one
    project = find_project(source.project_root, python=source.python)
    import_root = lay_out_for_tool_in_project(
        project,
        workspace,
        module_parts=(*source.package, source.module_name),
        module_code=source.code,
    )
    readonly = tuple(interpreter_paths(project.interpreter.path))
    own = {Path(path).resolve() for path in site.getsitepackages()}
    site_dirs = [
        str(path)
        for path in readonly
        if path.name in {"site-packages", "dist-packages"} and path.resolve() not in own
    ]
    if not site_dirs:  # the project runs with atg's own environment
        return ToolLayout(import_root=import_root)
    site_dir = workspace / ".atg-site"
    site_dir.mkdir()
    # appended, not prepended: the tool's own packages (pytest, hypothesis) must win
    (site_dir / "sitecustomize.py").write_text(
        "import site\n" + "".join(f"site.addsitedir({d!r})\n" for d in site_dirs)
    )
    return ToolLayout(import_root=import_root, site=site_dir, readonly=readonly)


@contextmanager
def tool_workspace(source: SourceUnit, prefix: str) -> Iterator[tuple[Path, ToolLayout]]:
    """A temporary workspace with the module laid out for a tool (removed afterwards)."""
    workspace = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workspace, lay_out_for_tool(workspace, source)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def run_python(
    context: CoderContext, workspace: Path, layout: ToolLayout, args: list[str], seconds: float
) -> Completed:
    """atg's interpreter with `args`, in the sandbox, seeing the module as `layout` shows it."""
    return context.sandbox.execute(
        [sys.executable, *args],
        workspace,
        Limits(wall_time_s=seconds),
        env={"PYTHONPATH": layout.pythonpath(), "PYTHONDONTWRITEBYTECODE": "1"},
        readonly_paths=[*interpreter_paths(), *layout.readonly],
    )


def write_module(workspace: Path, source: SourceUnit) -> None:
    """Lay the module out under `workspace`, inside its package when it has one, so a tool run
    there imports it by its qualified name."""
    directory = workspace.joinpath(*source.package)
    directory.mkdir(parents=True, exist_ok=True)
    for depth in range(1, len(source.package) + 1):
        (workspace.joinpath(*source.package[:depth]) / "__init__.py").touch()
    (directory / f"{source.module_name}.py").write_text(source.code, encoding="utf-8")


def tool_failure(completed: Completed) -> str:
    """One line saying why a tool run failed, from its own output; "" when it exited cleanly.

    The first error the tool logged wins, then the last exception line of a traceback, then the
    exit status; a run the sandbox killed says which limit it hit.
    """
    if completed.timed_out:
        return next((note for note in completed.notes if "limit" in note), "timed out")
    if completed.returncode == 0:
        return ""
    lines = [line.strip() for line in f"{completed.stdout}\n{completed.stderr}".splitlines()]
    for line in lines:
        logged = _LOGGED_ERROR.search(line)
        if logged:
            return _one_line(logged["message"])
    for line in reversed(lines):
        raised = _EXCEPTION.match(line)
        if raised:
            return _one_line(raised["line"])
    killed = [note for note in completed.notes if "limit" in note]
    if killed:
        return killed[0]
    last = next((line for line in reversed(lines) if line), "")
    status = f"exit status {completed.returncode}"
    return _one_line(f"{status}: {last}" if last else status)


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


class Unavailable:
    """A coder of the default set whose tool is not there: every round it says why and how to
    get it, so the output names what was missed rather than dropping the coder silently."""

    def __init__(self, name: str, reason: str) -> None:
        self._name = name
        self.reason = reason

    @property
    def name(self) -> str:
        return self._name

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        return Candidate(coder=self._name, code="", failure=self.reason)
