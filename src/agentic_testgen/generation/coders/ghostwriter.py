"""Hypothesis' ghostwriter: property-based tests from signatures and type hints, in the sandbox.

It writes useful strategies only for annotated code (untyped arguments get `st.nothing()`, whose
tests fail and are dropped by the critic); what it adds is exploration of inputs, not asserted
values.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.generation.coders._protocol import (
    CoderContext,
    lay_out_for_tool,
    tool_failure,
)
from agentic_testgen.sandbox import Limits, interpreter_paths

NO_HYPOTHESIS = (
    "Hypothesis is not installed in the project's environment, where its tests would run "
    "(add hypothesis to the project's test dependencies)"
)
SCRIPT = (
    "import importlib, sys\n"
    "from hypothesis.extra import ghostwriter\n"
    "print(ghostwriter.magic(importlib.import_module(sys.argv[1])))\n"
)


class GhostwriterCoder:
    @property
    def name(self) -> str:
        return "ghostwriter"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        source = context.source
        workspace = Path(tempfile.mkdtemp(prefix="atg-ghostwriter-"))
        try:
            layout = lay_out_for_tool(workspace, source)
            if layout.site is not None and not any(
                (path / "hypothesis" / "__init__.py").is_file() for path in layout.readonly
            ):  # its tests would fail to import where the project's pytest runs them
                return Candidate(coder=self.name, code="", failure=NO_HYPOTHESIS)
            completed = context.sandbox.execute(
                [sys.executable, "-c", SCRIPT, source.qualified_name],
                workspace,
                Limits(wall_time_s=min(context.seconds, 60.0)),
                env={"PYTHONPATH": layout.pythonpath(), "PYTHONDONTWRITEBYTECODE": "1"},
                readonly_paths=[*interpreter_paths(), *layout.readonly],
            )
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        failure = tool_failure(completed)
        return Candidate(coder=self.name, code="" if failure else completed.stdout, failure=failure)
