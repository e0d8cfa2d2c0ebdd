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
# CrossHair ends a function at its per-condition limit; one still running long past it is stuck
# where CrossHair cannot interrupt it, and prints nothing. Measured under load (three at a time on
# two cores): `crosshair cover --per_condition_timeout=0.5` on a three-branch function finished
# in 0.7-2.6 s, or ran past 15 s (6 runs in 24); its forked child in atg's driver hung to the end
# of its 10 s share in 2 runs of 24, the others took at most 1.8 s
STUCK_FACTOR = 6.0
STUCK_SLACK_S = 1.0
# One CrossHair run per function, each within its share of the time left: CrossHair prints its
# tests only at the end, and one function whose path never finishes (humanize's `fractional`:
# 22 s at any per-condition limit) would otherwise take every other function's tests with it.
# Each run is a child forked from a driver that imported CrossHair once: a new interpreter per
# function paid CrossHair's import again (about 0.4 s a function, seconds a round).
DRIVER = """
import json, os, signal, sys, tempfile, time, traceback
from crosshair.main import main as crosshair

job = json.loads(sys.argv[1])
deadline = time.monotonic() + job["seconds"]


def cover(target, share):
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            try:
                crosshair(["cover", *job["options"], target])
                status = 0
            except SystemExit as stop:
                status = stop.code if isinstance(stop.code, int) else 1
            except BaseException:
                traceback.print_exc()
                status = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        end = time.monotonic() + share
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > end:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None, "", ""
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), err.read()


failed = []
for index, target in enumerate(job["targets"]):
    left = deadline - time.monotonic()
    if left < 1:
        failed.append(f"{target}: no time left")
        continue
    share = min(left / (len(job["targets"]) - index), job["stuck_after"])
    returncode, stdout, stderr = cover(target, share)
    if returncode is None:
        failed.append(f"{target}: no result within its {share:.1f} s")
        continue
    sys.stdout.write(stdout)
    sys.stdout.flush()
    if returncode != 0:
        lines = [line for line in stderr.splitlines() if line.strip()]
        failed.append(f"{target}: {lines[-1] if lines else f'exit status {returncode}'}")
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
        # a whole module is many conditions: only a function's run is known to be stuck
        stuck_after = STUCK_FACTOR * per_condition + STUCK_SLACK_S if plan.targets else seconds
        job = {"seconds": seconds, "options": options, "targets": targets, "failed": _FAILED,
               "stuck_after": stuck_after}  # fmt: skip
        with tool_workspace(source, "atg-crosshair-") as (workspace, layout):
            args = ["-c", DRIVER, json.dumps(job)]
            completed = run_python(context, workspace, layout, args, context.seconds)
        # a crash on one function can follow tests for the others: keep those, and say why
        failure = tool_failure(completed)
        if completed.returncode == _FAILED and not completed.timed_out:  # the driver's own line
            failure = completed.stderr.strip().splitlines()[-1]
        return Candidate(coder=self.name, code=completed.stdout, failure=failure)
