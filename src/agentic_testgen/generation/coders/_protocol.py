"""The coder seam: LLM providers and offline tools behind one face."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.sandbox import Sandbox


@dataclass(frozen=True)
class CoderContext:
    """What a coder may use: the module, the tests kept so far, the critic's feedback."""

    source: SourceUnit
    sandbox: Sandbox
    kept_tests: str = ""
    feedback: tuple[str, ...] = field(default=())
    iteration: int = 0
    seconds: float = 30.0


@runtime_checkable
class Coder(Protocol):
    """Proposes test code for the targets of a plan."""

    @property
    def name(self) -> str: ...

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        """Test code (a whole pytest module) for the plan's targets."""
        ...


def write_module(workspace: Path, source: SourceUnit) -> None:
    """Lay the module out under `workspace`, inside its package when it has one, so a tool run
    there imports it by its qualified name."""
    directory = workspace.joinpath(*source.package)
    directory.mkdir(parents=True, exist_ok=True)
    for depth in range(1, len(source.package) + 1):
        (workspace.joinpath(*source.package[:depth]) / "__init__.py").touch()
    (directory / f"{source.module_name}.py").write_text(source.code, encoding="utf-8")
