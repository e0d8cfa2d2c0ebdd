"""`atg eval`: evaluate tests against the code they test."""

import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agentic_testgen.cli import eval_agents, eval_suite, eval_system
from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_baseline import baseline_app
from agentic_testgen.cli.eval_changed import eval_changed
from agentic_testgen.sandbox import SANDBOX_NAMES

# `eval file` imports what it runs when it runs (settings, the evaluation, reports, rich): the
# other commands and `--help` do not pay for them.
if TYPE_CHECKING:
    from rich.console import Console

    from agentic_testgen.domain import GeneratedTests, RunOutcome, SourceUnit

eval_app = typer.Typer(help="Evaluate tests against the code they test.", no_args_is_help=True)
eval_suite.register(eval_app)
eval_app.add_typer(baseline_app, name="baseline")
eval_app.command("changed")(eval_changed)
eval_app.command("safety")(eval_system.safety)
eval_app.command("redteam")(eval_system.redteam)
eval_app.command("agents")(eval_agents.agents)

EXIT_BELOW = 1


def _overrides(**run: Any) -> dict[str, Any]:
    chosen = {key: value for key, value in run.items() if value is not None}
    return {"run": chosen} if chosen else {}


@eval_app.command("file")
def eval_file(
    source: Annotated[Path, typer.Option("--source", "-s", help="The module under test.")],
    tests: Annotated[Path, typer.Option("--tests", "-t", help="The test file to evaluate.")],
    language: Annotated[
        str | None, typer.Option(help="Language of both files (default: from the extension).")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the result as JSON to this file.")
    ] = None,
    reruns: Annotated[
        int | None, typer.Option(min=0, help="Extra runs to detect flaky tests [default: 5].")
    ] = None,
    sandbox: Annotated[
        str | None,
        typer.Option(help=f"One of {', '.join(SANDBOX_NAMES)} [default: auto = bwrap]."),
    ] = None,
    test_timeout: Annotated[
        float | None, typer.Option(min=0.1, help="Seconds one test may take [default: 10].")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(min=1, help="Seconds the whole run may take [default: 600].")
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            min=0,
            max=1,
            help="Exit with status 1 when the score is below this [default: scoring.fail_under].",
        ),
    ] = None,
    mutation: Annotated[
        bool | None, typer.Option("--mutation/--no-mutation", help="Run mutation testing.")
    ] = None,
    max_mutants: Annotated[
        int | None, typer.Option(min=1, help="Run a seeded sample of at most N mutants.")
    ] = None,
    derandomize: Annotated[
        bool | None,
        typer.Option(
            "--derandomize/--no-derandomize",
            help="Hypothesis tests draw the same examples in every run [default: off].",
        ),
    ] = None,
    python: Annotated[
        Path | None,
        typer.Option(
            "--python",
            help="Run the tests with this interpreter or virtualenv [default: the project's].",
        ),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework",
            help="JavaScript: run the tests with node (node:test), jest or vitest "
            "[default: auto, as the test file or its project says].",
        ),
    ] = None,
    html_dir: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write an HTML page (annotated source, tests, score) into this folder.",
        ),
    ] = None,
    mutation_report: Annotated[
        Path | None,
        typer.Option(
            "--mutation-report",
            help="Also write every mutant as a mutation-testing-report-schema JSON file (read "
            "by mutation-testing-elements and the Stryker dashboard).",
        ),
    ] = None,
) -> None:
    """Evaluate one test file against its module from one sandboxed, instrumented run."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.text import Text  # noqa: PLC0415

    from agentic_testgen.cli._status import working  # noqa: PLC0415
    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.evals import evaluate_run, load_inputs  # noqa: PLC0415
    from agentic_testgen.observability.tracing import span  # noqa: PLC0415
    from agentic_testgen.sandbox import get_sandbox  # noqa: PLC0415

    out = Console()
    err = Console(stderr=True)
    try:
        settings = load_settings(
            source,
            **_overrides(
                reruns=reruns,
                sandbox=sandbox,
                test_timeout_s=test_timeout,
                timeout_s=timeout,
                mutation=mutation,
                max_mutants=max_mutants,
                derandomize=derandomize,
                python=str(python.absolute()) if python else None,
                framework=framework,
            ),
        )
        source_unit, test_file = load_inputs(source, tests, language)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            chosen = get_sandbox(settings.run.sandbox)
        for warning in caught:
            err.print(Text.assemble(("WARNING: ", "bold yellow"), str(warning.message)))
        with (
            working(err, f"Running {tests} against {source} in the {chosen.name} sandbox..."),
            span(f"eval_file {source.name}", {"atg.source": str(source), "atg.tests": str(tests)}),
        ):
            outcome, result = evaluate_run(source_unit, test_file, settings, chosen)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    # each report's code when it is written
    from agentic_testgen.reports import render  # noqa: PLC0415

    render(result, out)
    if json_path is not None:
        from agentic_testgen.reports import write_json  # noqa: PLC0415

        try:
            write_json(result, json_path)
        except OSError as error:
            raise fail(f"{json_path}: cannot write JSON: {error.strerror}", err) from None
        err.print(f"wrote {json_path}", soft_wrap=True, highlight=False)
    if mutation_report is not None:
        _write_mutation_report(mutation_report, source_unit, test_file, outcome, err)
    if html_dir is not None:
        from agentic_testgen.reports import render_entry_html  # noqa: PLC0415

        page = html_dir / f"{source.stem}.html"
        try:
            html_dir.mkdir(parents=True, exist_ok=True)
            page.write_text(
                render_entry_html(result, title=str(source), module_code=source_unit.code),
                encoding="utf-8",
            )
        except OSError as error:
            raise fail(f"{page}: cannot write the HTML page: {error.strerror}", err) from None
        err.print(f"wrote {page}", soft_wrap=True, highlight=False)
    gate, named = (
        (fail_under, "--fail-under")
        if fail_under is not None
        else (settings.scoring.fail_under, "scoring.fail_under")
    )
    if gate is not None and result.score < gate:
        err.print(f"[bold red]score {result.score:.3f} is below {named} {gate:g}[/]")
        raise typer.Exit(EXIT_BELOW)


def _write_mutation_report(
    path: Path, source: "SourceUnit", tests: "GeneratedTests", outcome: "RunOutcome", err: "Console"
) -> None:
    from agentic_testgen.reports import mutation_testing_report  # noqa: PLC0415 - when asked

    report = mutation_testing_report(source, tests, outcome)
    if report is None:
        err.print("no mutation report: mutation testing did not run", highlight=False)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        raise fail(f"{path}: cannot write the mutation report: {error.strerror}", err) from None
    err.print(f"wrote {path}", soft_wrap=True, highlight=False)
