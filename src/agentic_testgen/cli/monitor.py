"""`atg monitor`: the live terminal dashboard (from the exporter with --url, else the database)."""

import time
import urllib.error
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, Workspace

if TYPE_CHECKING:
    from agentic_testgen.observability.monitor import ReadMetrics, Snapshot


def monitor(
    interval: Annotated[float, typer.Option(min=0.2, help="Seconds between refreshes.")] = 5.0,
    url: Annotated[
        str | None,
        typer.Option(help="Read an exporter's metrics (e.g. http://localhost:9090/metrics)."),
    ] = None,
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    once: Annotated[bool, typer.Option("--once", help="Draw one frame and exit.")] = False,
) -> None:
    """Coverage and pass rate per language, LLM latency, tokens and cost, guardrails, agents,
    recent suites and regressions, refreshed every INTERVAL seconds; Ctrl-C quits."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs
    from rich.live import Live  # noqa: PLC0415

    from agentic_testgen.observability.monitor import (  # noqa: PLC0415
        read_from_store,
        read_from_url,
        render,
    )
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    console, err = Console(), Console(stderr=True)
    try:
        read: ReadMetrics = (
            read_from_url(url) if url else read_from_store(ResultStore.for_workspace(workspace, db))
        )
        source = url or f"database {workspace / 'evals.db' if db is None else db}"
        current = _snapshot(read)
    except (urllib.error.URLError, OSError) as error:
        raise fail(
            f"cannot read metrics from {url}: {getattr(error, 'reason', error)}", err
        ) from None
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    if once:
        console.print(render(current, None, source))
        return
    previous: Snapshot | None = None
    try:
        with Live(render(current, None, source), console=console, screen=True,
                  auto_refresh=False) as live:  # fmt: skip
            while True:
                time.sleep(interval)
                try:
                    previous, current = current, _snapshot(read)
                except (urllib.error.URLError, OSError) as error:
                    err.print(f"cannot read metrics: {error}")  # shown after the screen closes
                    continue
                live.update(render(current, previous, source), refresh=True)
    except KeyboardInterrupt:
        pass


def _snapshot(read: "ReadMetrics") -> "Snapshot":
    from agentic_testgen.observability.monitor import Snapshot  # noqa: PLC0415 - as in monitor

    return Snapshot.parse(read())
