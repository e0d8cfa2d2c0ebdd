"""Pynguin: search-based test generation, run as a tool process from its own environment.

Pynguin pins its own pytest, so it lives in a separate virtual environment (`make setup` makes
`.venv-pynguin`; `ATG_PYNGUIN` names the `pynguin` executable of any other one). It runs inside
the sandbox with its environment bound read-only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from agentic_testgen.generation._types import Candidate, GenerationError, Plan
from agentic_testgen.generation.coders._protocol import CoderContext, write_module
from agentic_testgen.sandbox import Limits

DEFAULT_LOCATION = Path(".venv-pynguin") / "bin" / "pynguin"
SEARCH_SECONDS = 20


def find_pynguin() -> Path | None:
    """`ATG_PYNGUIN`, else `.venv-pynguin/bin/pynguin` here, else `pynguin` on the PATH."""
    for candidate in (os.environ.get("ATG_PYNGUIN"), str(DEFAULT_LOCATION.resolve())):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    found = shutil.which("pynguin")
    return Path(found) if found else None


class PynguinCoder:
    """Whole-module search within a time budget (longer in later rounds)."""

    def __init__(self, executable: Path | None = None, seed: int = 0) -> None:
        self.seed = seed  # Pynguin's search is random: a fixed seed makes runs repeatable
        found = executable or find_pynguin()
        if found is None:
            raise GenerationError(
                "Pynguin is not installed: run `make setup` (it makes .venv-pynguin) or set "
                "ATG_PYNGUIN to a pynguin executable"
            )
        self.executable = found

    @property
    def name(self) -> str:
        return "pynguin"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        source = context.source
        search = min(SEARCH_SECONDS * (context.iteration + 1), max(5, int(context.seconds / 2)))
        workspace = Path(tempfile.mkdtemp(prefix="atg-pynguin-"))
        try:
            (workspace / "out").mkdir()
            write_module(workspace, source)
            venv = self.executable.resolve().parent.parent
            python = venv / "bin" / "python"
            context.sandbox.execute(
                [str(python), str(self.executable), "--project-path", str(workspace),
                 "--module-name", source.qualified_name, "--output-path", str(workspace / "out"),
                 "--maximum-search-time", str(search), "--seed", str(self.seed)],
                workspace,
                # the search stops at `search`, but Pynguin's own test executions can overrun it
                # on slow code: the coder's time budget (plus start-up) is the hard limit
                Limits(wall_time_s=context.seconds + 30),
                env={"PYNGUIN_DANGER_AWARE": "1", "PYTHONDONTWRITEBYTECODE": "1"},
                readonly_paths=[venv, Path(os.path.realpath(python)).parent.parent],
            )  # fmt: skip
            written = sorted((workspace / "out").glob("test_*.py"))
            code = written[0].read_text() if written else ""
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        return Candidate(coder=self.name, code=code)
