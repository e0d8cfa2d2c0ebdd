"""Hypothesis' ghostwriter: property-based tests from signatures and type hints, in the sandbox.

It writes useful strategies only for annotated code (untyped arguments get `st.nothing()`, whose
tests fail and are dropped by the critic); what it adds is exploration of inputs, not asserted
values.
"""

from __future__ import annotations

from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.generation.coders._protocol import (
    CoderContext,
    run_python,
    tool_failure,
    tool_workspace,
)

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
        with tool_workspace(source, "atg-ghostwriter-") as (workspace, layout):
            if layout.site is not None and not any(
                (path / "hypothesis" / "__init__.py").is_file() for path in layout.readonly
            ):  # its tests would fail to import where the project's pytest runs them
                return Candidate(coder=self.name, code="", failure=NO_HYPOTHESIS)
            args = ["-c", SCRIPT, source.qualified_name]
            completed = run_python(context, workspace, layout, args, min(context.seconds, 60.0))
        failure = tool_failure(completed)
        return Candidate(coder=self.name, code="" if failure else completed.stdout, failure=failure)
