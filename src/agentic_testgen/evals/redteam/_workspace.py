"""The real entry points the input attacks go through: a suite workspace with its store, and
the `atg` command line (typer's runner, in this process)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.evals.redteam._host import Placed
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.sandbox import Sandbox

CALC = "def double(x):\n    return 2 * x\n"
CALC_TESTS = "from calc import double\n\n\ndef test_double_of_two():\n    assert double(2) == 4\n"
RUN_LIMIT_S = 60.0


def suite_settings(sandbox: Sandbox) -> Settings:
    """Suite settings for an attack: its sandbox, no reruns, no mutants, short limits."""
    run = RunSettings(
        reruns=0, parallel=1, test_timeout_s=5.0, timeout_s=RUN_LIMIT_S, mutation=False,
        sandbox=sandbox.name,
    )  # fmt: skip
    return Settings(run=run)


def suite_runner(workspace: Path, sandbox: Sandbox) -> EvalRunner:
    """The suite runner on `workspace` (its own SQLite store, `evals.db`)."""
    return EvalRunner(workspace, settings=suite_settings(sandbox))


def stored_texts(workspace: Path) -> Iterator[Placed]:
    """Everything a command left in `workspace`, by relative path: the database's files as
    bytes (SQLite keeps text as it was given), every report, page and other file."""
    for path in sorted(workspace.rglob("*")):
        if path.is_file() and not path.is_symlink():
            text = path.read_bytes().decode("utf-8", errors="replace")
            yield str(path.relative_to(workspace)), text


@dataclass(frozen=True)
class CliRun:
    """One `atg` invocation: its arguments, exit status and everything it printed."""

    args: tuple[str, ...]
    exit_code: int
    output: str

    def first_error(self) -> str:
        """The `error:` line the command printed ("" when it printed none)."""
        for line in self.output.splitlines():
            if line.strip().startswith("error:"):
                return line.strip()
        return ""


def invoke_atg(args: Sequence[str], env: Mapping[str, str] | None = None) -> CliRun:
    """Run `atg ARGS` through typer's test runner, with `env` added to the environment."""
    from agentic_testgen.cli import app  # noqa: PLC0415 - the whole CLI only when asked for

    result = CliRunner().invoke(app, list(args), env=dict(env or {}), catch_exceptions=True)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\n{type(result.exception).__name__}: {result.exception}"
    return CliRun(tuple(args), result.exit_code, output)


def sandbox_env(sandbox: Sandbox) -> dict[str, str]:
    """Settings for commands that read them from the environment: the attack's sandbox, one
    rerun, no mutants."""
    return {
        "ATG_RUN__SANDBOX": sandbox.name,
        "ATG_RUN__RERUNS": "0",
        "ATG_RUN__MUTATION": "false",
        "ATG_RUN__TIMEOUT_S": str(RUN_LIMIT_S),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
