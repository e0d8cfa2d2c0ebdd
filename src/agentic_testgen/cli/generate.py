"""`atg generate`: write a test file for a module with the planner -> coder -> critic agents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.config import load_settings
from agentic_testgen.evals import InputFileError, run_options
from agentic_testgen.generation import Budget, GenerationError, generate_tests
from agentic_testgen.generation._select import choose_coders
from agentic_testgen.languages.python import source_unit_from_path
from agentic_testgen.observability.tracing import span
from agentic_testgen.sandbox import get_sandbox


def generate(
    file: Annotated[Path, typer.Option("--file", "-f", help="The module to write tests for.")],
    output: Annotated[
        Path | None, typer.Option(help="Test file to write [default: tests/test_<module>.py].")
    ] = None,
    coder: Annotated[
        str,
        typer.Option(help="auto, offline, crosshair, pynguin, ghostwriter, llm, provider/model."),
    ] = "auto",
    model: Annotated[
        str | None, typer.Option(help="provider/model for --coder llm, e.g. openai/gpt-4o-mini.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server, e.g. http://localhost:11434/v1.")
    ] = None,
    max_iterations: Annotated[int, typer.Option(min=1, help="Rounds of plan, code, review.")] = 3,
    max_seconds: Annotated[float, typer.Option(min=1, help="Wall-time budget.")] = 300.0,
    max_tokens: Annotated[int | None, typer.Option(min=1, help="Token budget.")] = None,
    max_cost: Annotated[float | None, typer.Option(min=0, help="Budget in US dollars.")] = None,
) -> None:
    """Generate tests for a module; keep only tests that pass, are stable and add coverage."""
    out, err = Console(), Console(stderr=True)
    try:
        if not file.is_file():
            raise InputFileError(f"{file}: source file not found")
        source = source_unit_from_path(file)
        compile(source.code, str(file), "exec")
        settings = load_settings(file)
        coders = choose_coders(coder, model=model, base_url=base_url, pynguin=settings.pynguin)
        sandbox = get_sandbox(settings.run.sandbox)
        budget = Budget(max_iterations, max_seconds, max_tokens, max_cost)
        with (
            err.status(f"Generating tests for {file}...") as status,
            span(f"generate {file.name}", {"atg.source": str(file)}),
        ):
            outcome = generate_tests(
                source, coders, sandbox, options=run_options(settings), budget=budget,
                on_progress=status.update,
            )  # fmt: skip
    except SyntaxError as error:
        raise fail(f"{file}:{error.lineno}: SyntaxError: {error.msg}", err) from None
    except (*USER_ERRORS, GenerationError) as error:
        raise fail(str(error), err) from None
    # what went wrong on the way is said first, so it also precedes an error below
    for failure in outcome.failures:
        err.print(f"warning: {failure}", highlight=False, soft_wrap=True)
    for note in outcome.notes:
        err.print(f"note: {note}", highlight=False, soft_wrap=True)
    if not outcome.code:
        raise fail(f"no test survived review for {file} ({outcome.proposed_tests} proposed)", err)
    target = output or Path("tests") / f"test_{source.module_name}.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(outcome.code, encoding="utf-8")
    out.print(
        f"wrote {target}: {outcome.kept_tests} tests kept of {outcome.proposed_tests} proposed, "
        f"coverage {outcome.coverage:.1%}, pass rate {outcome.pass_rate:.1%}, "
        f"{outcome.iterations} rounds"
    )
    if outcome.calls:
        out.print(
            f"{len(outcome.calls)} LLM calls, {outcome.tokens} tokens, ${outcome.cost_usd:.4f}"
        )
    for name, stats in outcome.agents.items():
        out.print(f"  {name}: {stats.iterations} runs, {stats.seconds:.1f} s")
