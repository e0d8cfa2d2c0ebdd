"""`atg metrics serve | show`: the Prometheus exporter over the result store."""

import time
from pathlib import Path
from typing import Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, Workspace

metrics_app = typer.Typer(help="Export stored results as Prometheus metrics.", no_args_is_help=True)


@metrics_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 9090,
    host: Annotated[
        str, typer.Option(help="Address to bind; 0.0.0.0 exposes the metrics to the network.")
    ] = "127.0.0.1",
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    threads: Annotated[
        int, typer.Option(min=1, max=256, help="Requests answered at a time (server threads).")
    ] = 4,
    idle_timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            help="Seconds a client has to send its request, and to read the answer, before its "
            "connection is closed.",
        ),
    ] = 10.0,
) -> None:
    """Serve /metrics and /healthz until interrupted; every scrape reads the database (scrapes
    arriving together share one read)."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.observability.collector import build_registry  # noqa: PLC0415
    from agentic_testgen.observability.exporter import start_exporter  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    err = Console(stderr=True)
    try:
        store = ResultStore.for_workspace(workspace, db)
        registry = build_registry(store, load_settings().business)
        server, _thread = start_exporter(
            store, host, port, registry, threads=threads, idle_timeout=idle_timeout
        )
    except OSError as error:
        raise fail(f"cannot listen on {host}:{port}: {error.strerror or error}", err) from None
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    err.print(
        f"serving http://{host}:{server.server_port}/metrics (and /healthz) from {store.url}; "
        "Ctrl-C stops",
        highlight=False,
        soft_wrap=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


@metrics_app.command("show")
def show(workspace: Workspace = Path("evals"), db: DbUrl = None) -> None:
    """Print the metrics once, in the Prometheus text format (what a scrape would return)."""
    from prometheus_client import generate_latest  # noqa: PLC0415 - imported when it runs
    from rich.console import Console  # noqa: PLC0415

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.observability.collector import build_registry  # noqa: PLC0415
    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    err = Console(stderr=True)
    try:
        store = ResultStore.for_workspace(workspace, db)
        text = generate_latest(build_registry(store, load_settings().business))
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    typer.echo(text.decode(), nl=False)
