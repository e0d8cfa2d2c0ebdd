"""`atg eval agents`: the planner, coder and critic evaluators, alone."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, JsonFile, Workspace
from agentic_testgen.evals.agents import EVALUATORS

if TYPE_CHECKING:
    from rich.table import Table

    from agentic_testgen.evals.agents import AgentReport

EXIT_BELOW = 1


def agents(
    only: Annotated[
        str,
        typer.Option(help="Evaluators to run, comma-separated: planner, coder, critic."),
    ] = ",".join(EVALUATORS),
    coders: Annotated[
        str | None,
        typer.Option(
            help="Coders the coder evaluator compares, comma-separated (crosshair, pynguin, "
            "ghostwriter, offline, llm) [default: the offline ones].",
        ),
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    json_file: JsonFile = None,
    store: Annotated[bool, typer.Option(help="Store each run in the workspace's database.")] = (
        True
    ),
) -> None:
    """Evaluate the agents on their labeled sets (shipped with atg): the planner's targets
    against known gaps, each coder's proposals (parse, import, framework, call the target,
    pass) and the critic's keep/drop decisions against labels. Exits 1 below a threshold."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.progress import Progress  # noqa: PLC0415

    from agentic_testgen.evals.agents import run_agent_evaluator  # noqa: PLC0415
    from agentic_testgen.evals.system import store_agent  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in EVALUATORS]
    if unknown or not names:
        raise fail(f"unknown evaluator {(unknown or [only])[0]!r} (known: "
                   f"{', '.join(EVALUATORS)})", err)  # fmt: skip
    chosen_coders = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
    reports: list[AgentReport] = []
    try:
        results = ResultStore.for_workspace(workspace, db) if store else None
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("agents", total=None)
            for name in names:
                started = datetime.now(UTC)
                report = run_agent_evaluator(
                    name, coders=chosen_coders,
                    on_progress=lambda message: progress.update(task, description=message),
                )  # fmt: skip
                reports.append(report)
                if results is not None:
                    suite = store_agent(results, report, started)
                    err.print(f"{name}: stored {suite.id}", highlight=False)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    out.print(agents_table(reports))
    for report in reports:
        for note in report.notes:
            err.print(f"{report.evaluator}: {note}", highlight=False, soft_wrap=True)
    if json_file:
        json_file.write_text(json.dumps([agents_json(r) for r in reports], indent=2) + "\n")
    below = [r.name for report in reports for r in report.results if not r.passed]
    if below:
        err.print(f"[bold red]below the threshold: {', '.join(below)}[/]")
        raise typer.Exit(EXIT_BELOW)


def agents_table(reports: "list[AgentReport]") -> "Table":
    from rich.table import Table  # noqa: PLC0415 - imported when it runs

    table = Table(title="agents on their labeled sets", title_justify="left")
    table.add_column("eval")
    for column in ("score", "goal", ""):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("metrics", overflow="fold")
    for report in reports:
        for result in report.results:
            metrics = "  ".join(f"{name} {value:.2f}" for name, value in result.metrics.items())
            table.add_row(
                result.name, f"{result.score:.3f}", f"{result.threshold:.2f}",
                "ok" if result.passed else "BELOW", metrics,
            )  # fmt: skip
    return table


def agents_json(report: "AgentReport") -> dict[str, object]:
    return {
        "evaluator": report.evaluator,
        "score": report.score,
        "passed": report.passed,
        "notes": list(report.notes),
        "results": [
            {"name": r.name, "score": r.score, "threshold": r.threshold, "passed": r.passed,
             "metrics": r.metrics, "details": r.details, "seconds": r.seconds}
            for r in report.results
        ],
    }  # fmt: skip
