"""`atg cost report`: model spend per tag (team, project, generator, model, prompt version),
per test, per file and per coverage point gained, against the budgets."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, JsonFile, Workspace
from agentic_testgen.cli.slo import parse_window

if TYPE_CHECKING:
    from agentic_testgen.evals.cost import TagCost

cost_app = typer.Typer(help="Model spend per tag, per test, per file and per coverage point.",
                       no_args_is_help=True)  # fmt: skip


def _money(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"${value:.{digits}f}"


@cost_app.command("report")
def report(
    window: Annotated[str, typer.Option(help="How far back to look: 30d, 12h, 90m, 2w.")] = "30d",
    by: Annotated[
        str | None,
        typer.Option(help="Only these tag keys, comma-separated (team,model) [default: all]."),
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    json_file: JsonFile = None,
) -> None:
    """What each tag's runs spent on models and what it bought: generated files, kept tests
    and coverage points gained, and the cost of each; budgets (cost.budgets) beside them."""
    from rich import box  # noqa: PLC0415 - imported when it runs
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.evals.cost import attribute  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    try:
        settings = load_settings()
        until = datetime.now(UTC)
        activity = ResultStore.for_workspace(workspace, db).activity(
            until - parse_window(window), until
        )
        keys = [key.strip() for key in by.split(",") if key.strip()] if by else None
        lines = attribute(activity, keys)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    budgets = settings.cost.budgets
    table = Table(title=f"model cost per tag over the last {window}", title_justify="left",
                  box=box.SIMPLE_HEAD)  # fmt: skip
    table.add_column("tag", no_wrap=True)
    for column in ("cost", "files", "tests", "per test", "per file", "per point", "budget"):
        table.add_column(column, justify="right", no_wrap=True)
    for line in lines:
        budget = budgets.get(f"{line.tag}={line.value}")
        table.add_row(
            f"{line.tag}={line.value}", _money(line.cost_usd, 2), str(line.files),
            str(line.tests), _money(line.per_test), _money(line.per_file),
            _money(line.per_coverage_point), "-" if budget is None else f"${budget:g}",
        )  # fmt: skip
    if not lines:
        table.add_row("no generated work in the window", "", "", "", "", "", "", "")
    out.print(table)
    if json_file:
        json_file.write_text(json.dumps([_as_json(line, budgets) for line in lines], indent=2))


def _as_json(line: "TagCost", budgets: dict[str, float]) -> dict[str, object]:
    return {
        "tag": line.tag, "value": line.value, "cost_usd": line.cost_usd, "files": line.files,
        "tests": line.tests, "coverage_points": line.coverage_points,
        "cost_per_test": line.per_test, "cost_per_file": line.per_file,
        "cost_per_coverage_point": line.per_coverage_point,
        "budget_usd": budgets.get(f"{line.tag}={line.value}"),
    }  # fmt: skip
