"""`atg slo report`: each SLO's indicator, error budget and burn rate, from the database."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, JsonFile, Workspace

if TYPE_CHECKING:
    from rich.table import Table

    from agentic_testgen.observability.slo import SloStatus

slo_app = typer.Typer(help="Service level objectives: indicators, error budgets, burn rates.",
                      no_args_is_help=True)  # fmt: skip

EXIT_EXHAUSTED = 1
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_window(text: str) -> timedelta:
    """`30d`, `12h`, `90m` or `2w` as a time span."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", text)
    if not found or float(found[1]) <= 0:
        raise ValueError(f"window {text!r} is not a span such as 30d, 12h, 90m or 2w")
    return timedelta(**{_UNITS[found[2]]: float(found[1])})


@slo_app.command("report")
def report(
    window: Annotated[
        str | None,
        typer.Option(help="How far back to look: 30d, 12h, 90m, 2w [default: slo.window_days]."),
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    json_file: JsonFile = None,
    fail_when_exhausted: Annotated[
        bool, typer.Option(help="Exit 1 when an SLO has spent its whole error budget.")
    ] = False,
) -> None:
    """Each SLO over the window: its indicator, the objective, the error budget left and the
    burn rate (over the window, the last 6 hours and the last hour) — computed from the stored
    records by the same definitions as the Prometheus recording rules (docs/slo.md)."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.observability.slo import evaluate  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    out, err = Console(), Console(stderr=True)
    try:
        settings = load_settings()
        span = parse_window(window) if window else timedelta(days=settings.slo.window_days)
        until = datetime.now(UTC)
        activity = ResultStore.for_workspace(workspace, db).activity(until - span, until)
        statuses = evaluate(activity, settings.slo)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    label = window or f"{settings.slo.window_days:g}d"
    out.print(slo_table(statuses, label))
    if json_file:
        document = {
            "window": label,
            "since": activity.since.isoformat(),
            "until": activity.until.isoformat(),
            "slos": [slo_json(s) for s in statuses],
        }
        json_file.write_text(json.dumps(document, indent=2) + "\n")  # fmt: skip
    exhausted = [status.slo.name for status in statuses if not status.met]
    if exhausted:
        err.print(f"[bold red]error budget spent: {', '.join(exhausted)}[/]")
        if fail_when_exhausted:
            raise typer.Exit(EXIT_EXHAUSTED)


def _sli(status: "SloStatus") -> str:
    if status.sli is None:
        return "no data"
    return f"${status.sli:.3f}" if status.slo.kind == "ceiling" else f"{status.sli:.1%}"


def _objective(status: "SloStatus") -> str:
    objective = status.slo.objective
    return f"<=${objective:.2f}" if status.slo.kind == "ceiling" else f"{objective:.1%}"


def _burn(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}x"


def slo_table(statuses: "list[SloStatus]", window: str) -> "Table":
    from rich import box  # noqa: PLC0415 - imported when it runs
    from rich.table import Table  # noqa: PLC0415

    table = Table(
        title=f"SLOs over the last {window} (a burn of 1.00x spends the budget in the window)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("SLO", no_wrap=True)
    # burn: over the whole window, then over the last 6 hours and the last hour
    for column in ("SLI", "goal", "events", "budget left", "burn", "6h", "1h"):
        table.add_column(column, justify="right", no_wrap=True)
    for status in statuses:
        left = f"{status.budget_left:.0%}" if status.has_data else "-"
        table.add_row(
            status.slo.short, _sli(status), _objective(status), f"{status.tally.total:g}",
            left if status.met else f"[bold red]{left}[/]",
            _burn(status.burn_rate if status.has_data else None),
            _burn(status.recent_burn.get("6h")), _burn(status.recent_burn.get("1h")),
        )  # fmt: skip
    return table


def slo_json(status: "SloStatus") -> dict[str, Any]:
    has = status.has_data
    return {
        "name": status.slo.name,
        "title": status.slo.title,
        "kind": status.slo.kind,
        "objective": status.slo.objective,
        "good_event": status.slo.good,
        "bad": status.tally.bad,
        "total": status.tally.total,
        "sli": status.sli,
        "error_budget_left": status.budget_left if has else None,
        "burn_rate": status.burn_rate if has else None,
        "burn_rate_6h": status.recent_burn.get("6h"),
        "burn_rate_1h": status.recent_burn.get("1h"),
        "met": status.met,
        "promql_burn_rate_1h": status.slo.burn_rate_promql("1h"),
    }
