"""`atg eval baseline set | show`: the reference a suite name is compared against."""

from pathlib import Path
from typing import Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, Workspace
from agentic_testgen.evals import DEFAULT_SUITE_NAME

baseline_app = typer.Typer(help="Set or show the baseline regressions are measured against.")


@baseline_app.command("set")
def set_baseline(
    eval_name: Annotated[str, typer.Argument(help="Suite name.")] = DEFAULT_SUITE_NAME,
    suite: Annotated[
        str | None, typer.Option(help="Suite id [default: the latest completed one].")
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
) -> None:
    """Make the latest completed suite (or --suite) the baseline of EVAL_NAME."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.evals.runner import EvalRunner  # noqa: PLC0415

    console, err = Console(), Console(stderr=True)
    try:
        chosen = EvalRunner(workspace, db_url=db).set_baseline(eval_name, suite)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    console.print(
        f"baseline of {eval_name}: {chosen.id} (score {chosen.overall_score or 0:.3f}, "
        f"{chosen.total_evals} entries, dataset {chosen.dataset})"
    )


@baseline_app.command("show")
def show_baseline(
    eval_name: Annotated[str, typer.Argument(help="Suite name.")] = DEFAULT_SUITE_NAME,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
) -> None:
    """Print the baseline of EVAL_NAME and its metric means."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    console, err = Console(), Console(stderr=True)
    try:
        baseline = ResultStore.for_workspace(workspace, db).baseline(eval_name)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    if baseline is None:
        raise fail(f"no baseline for {eval_name!r}: set one with `atg eval baseline set`", err)
    console.print(
        f"{eval_name}: suite {baseline.suite_id}, score {baseline.baseline_score:.3f}, "
        f"set {baseline.set_at:%Y-%m-%d %H:%M} UTC"
    )
    for name, value in baseline.baseline_metrics.items():
        console.print(f"  {name:<14} {value:.3f}")
