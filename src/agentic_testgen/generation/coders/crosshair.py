"""CrossHair's `cover`: concrete pytest tests found by symbolic execution, run in the sandbox."""

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

MAX_TARGETS_PER_ROUND = 6


class CrossHairCoder:
    """Round 0 covers the whole module; later rounds the functions with gaps, with more time.

    CrossHair imports and explores the module under test, so it runs inside the sandbox too.
    """

    @property
    def name(self) -> str:
        return "crosshair"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        source = context.source
        module = source.qualified_name
        if context.iteration == 0 or not plan.targets:
            targets = [module]
        else:
            targets = [f"{module}.{t.qualname}" for t in plan.targets[:MAX_TARGETS_PER_ROUND]]
        # every function gets its turn within the coder's time: CrossHair prints nothing until
        # the end, so a run killed at its limit loses every test it found
        functions = max(1, len(plan.targets) if context.iteration == 0 else len(targets))
        per_condition = min(2.0 * (context.iteration + 1), 0.7 * context.seconds / functions)
        per_condition = max(per_condition, 0.2)
        workspace = Path(tempfile.mkdtemp(prefix="atg-crosshair-"))
        try:
            layout = lay_out_for_tool(workspace, source)
            completed = context.sandbox.execute(
                [sys.executable, "-m", "crosshair", "cover", "--example_output_format=pytest",
                 f"--per_condition_timeout={per_condition:g}", *targets],
                workspace,
                Limits(wall_time_s=context.seconds),
                env={"PYTHONPATH": layout.pythonpath(), "PYTHONDONTWRITEBYTECODE": "1"},
                readonly_paths=[*interpreter_paths(), *layout.readonly],
            )  # fmt: skip
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        # a crash on one function can follow tests for the others: keep those, and say why
        return Candidate(coder=self.name, code=completed.stdout, failure=tool_failure(completed))
