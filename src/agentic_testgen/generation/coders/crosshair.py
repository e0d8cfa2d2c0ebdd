"""CrossHair's `cover`: concrete pytest tests found by symbolic execution, run in the sandbox."""

from __future__ import annotations

import json

from agentic_testgen.generation._types import Candidate, Plan
from agentic_testgen.generation.coders._protocol import (
    CoderContext,
    run_python,
    tool_failure,
    tool_workspace,
)

MAX_TARGETS_PER_ROUND = 8
_FAILED = 3  # the driver's exit status when a function failed or ran out of time
# One CrossHair run per function, each within its share of the time left: CrossHair prints its
# tests only at the end, and one function whose path never finishes (humanize's `fractional`:
# 22 s at any per-condition limit) would otherwise take every other function's tests with it.
DRIVER = """
import json, subprocess, sys, time

job = json.loads(sys.argv[1])
deadline = time.monotonic() + job["seconds"]
failed = []
for index, target in enumerate(job["targets"]):
    left = deadline - time.monotonic()
    if left < 1:
        failed.append(f"{target}: no time left")
        continue
    share = left / (len(job["targets"]) - index)
    command = [sys.executable, "-m", "crosshair", "cover", *job["options"], target]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=share)
    except subprocess.TimeoutExpired:
        failed.append(f"{target}: no result within its {share:.1f} s")
        continue
    sys.stdout.write(run.stdout)
    sys.stdout.flush()
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        failed.append(f"{target}: {lines[-1] if lines else f'exit status {run.returncode}'}")
if failed:
    more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
    sys.stderr.write(f"{failed[0]}{more}\\n")
    sys.exit(job["failed"])
"""


class CrossHairCoder:
    """Each round, the functions with the most left to cover, with more time in later rounds.

    CrossHair imports and explores the module under test, so it runs inside the sandbox too.
    """

    @property
    def name(self) -> str:
        return "crosshair"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        source = context.source
        module = source.qualified_name
        if not plan.targets:
            targets = [module]
        else:  # the functions with the most left to cover: on a big module, the whole of it
            # does not finish within any budget (and CrossHair prints nothing until the end)
            targets = [f"{module}.{t.qualname}" for t in plan.targets[:MAX_TARGETS_PER_ROUND]]
        seconds = max(context.seconds - 2.0, 1.0)  # the driver's own start-up
        # small: a path that outlives it is cut at its square root, and past about 1 s some
        # functions take far longer (humanize's `intword`: 0.9 s at 0.5, 16 s at 1.0)
        per_condition = min(0.5 * (context.iteration + 1), 0.2 * seconds / len(targets))
        per_condition = max(per_condition, 0.2)
        options = ["--example_output_format=pytest", f"--per_condition_timeout={per_condition:g}"]
        job = {"seconds": seconds, "options": options, "targets": targets, "failed": _FAILED}
        with tool_workspace(source, "atg-crosshair-") as (workspace, layout):
            args = ["-c", DRIVER, json.dumps(job)]
            completed = run_python(context, workspace, layout, args, context.seconds)
        # a crash on one function can follow tests for the others: keep those, and say why
        failure = tool_failure(completed)
        if completed.returncode == _FAILED and not completed.timed_out:  # the driver's own line
            failure = completed.stderr.strip().splitlines()[-1]
        return Candidate(coder=self.name, code=completed.stdout, failure=failure)
