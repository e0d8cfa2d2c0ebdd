"""A tool's failure in one line, taken from its own output."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation import Budget, generate_tests
from agentic_testgen.generation.coders import CrossHairCoder, tool_failure
from agentic_testgen.sandbox import Completed, get_sandbox
from tests.generation.test_generate import OPTIONS

LITERAL_ALIAS = (
    "from typing import Literal\n\n"
    'Mode = Literal["up", "down"]\n\n\n'
    "def step(mode: Mode, x: int) -> int:\n"
    '    if mode == "up":\n        return x + 1\n    return x - 1\n'
)


def completed(returncode: int, stdout: str = "", stderr: str = "") -> Completed:
    return Completed(returncode, stdout, stderr, timed_out=False, duration_s=1.0)


def test_a_clean_exit_is_no_failure() -> None:
    assert tool_failure(completed(0, stdout="def test_x(): ...")) == ""


def test_the_last_exception_line_of_a_traceback_is_the_reason() -> None:
    stderr = (
        "Traceback (most recent call last):\n  File 'x.py', line 3, in <module>\n"
        "    cover(...)\nbytecode.cfg.StackError: Failed to compute stacksize, got negative size\n"
    )
    assert tool_failure(completed(1, stderr=stderr)) == (
        "StackError: Failed to compute stacksize, got negative size"
    )


def test_a_logged_error_comes_before_the_traceback() -> None:
    stdout = (
        "[10:31:28] ERROR    Failed to load SUT: boom at import          generator.py:297\n"
        "│ ❱ 1 raise RuntimeError('boom at import') │\nRuntimeError: boom at import\n"
    )
    assert tool_failure(completed(1, stdout=stdout)) == "Failed to load SUT: boom at import"


def test_a_run_the_sandbox_killed_names_the_limit() -> None:
    killed = Completed(-9, "", "", timed_out=True, duration_s=30.0,
                       notes=("wall-time limit of 30 s reached: killed",))  # fmt: skip
    assert tool_failure(killed) == "wall-time limit of 30 s reached: killed"


def test_otherwise_the_exit_status_and_last_line_are_given_on_one_line() -> None:
    reason = tool_failure(completed(3, stderr="usage: tool\n" + "x" * 400 + "\n"))
    assert reason.startswith("exit status 3: xxx")
    assert len(reason) <= 200 and "\n" not in reason


def test_crosshair_on_a_literal_alias_says_why_it_wrote_nothing() -> None:
    source = SourceUnit(path="steps.py", module_name="steps", code=LITERAL_ALIAS)
    outcome = generate_tests(
        source, [CrossHairCoder()], get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=1, max_seconds=60),
    )  # fmt: skip
    assert outcome.code == ""
    [failure] = outcome.failures
    assert failure.coder == "crosshair"
    assert failure.reason.startswith(
        "steps.step: TypeError: typing.Literal['up', 'down'] is not a module"
    )


def test_atg_generate_prints_each_coders_failure_before_the_error(tmp_path: Path) -> None:
    (tmp_path / "steps.py").write_text(LITERAL_ALIAS)
    result = CliRunner().invoke(
        app, ["generate", "--file", str(tmp_path / "steps.py"), "--coder", "crosshair",
              "--max-iterations", "1", "--output", str(tmp_path / "test_steps.py")],
        env={"COLUMNS": "300"},
    )  # fmt: skip
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("warning: crosshair: steps.step: TypeError: typing.Literal")
    assert (
        lines[-1]
        == "error: no test survived review for " + str(tmp_path / "steps.py") + " (0 proposed)"
    )


def test_crosshair_stuck_on_a_function_is_stopped_long_before_its_share() -> None:
    from agentic_testgen.generation import plan
    from agentic_testgen.generation.coders import CoderContext

    # a regular expression that backtracks for minutes, in C where CrossHair cannot stop it
    stuck = (
        "import re\n\n\ndef wait(x: int) -> int:\n    re.match(r'(a+)+b', 'a' * 40)\n    return x\n"
    )
    source = SourceUnit(path="stuck.py", module_name="stuck", code=stuck)
    context = CoderContext(source=source, sandbox=get_sandbox("bwrap"), seconds=30.0)
    candidate = CrossHairCoder().generate(plan(source), context)
    # at its 0.5 s per-condition limit, 6 x 0.5 + 1 s, not the 28 s its share would allow
    assert candidate.failure == "stuck.wait: no result within its 4.0 s"
