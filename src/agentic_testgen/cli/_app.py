"""The `atg` typer application: one sub-app per command group."""

from __future__ import annotations

import os

import typer
from rich.console import Console

from agentic_testgen import __version__
from agentic_testgen.cli._errors import fail
from agentic_testgen.cli.eval import eval_app
from agentic_testgen.cli.generate import generate
from agentic_testgen.cli.metrics import metrics_app
from agentic_testgen.cli.monitor import monitor
from agentic_testgen.cli.setup import setup_app
from agentic_testgen.cli.trace import trace_app
from agentic_testgen.observability.logs import configure_logging
from agentic_testgen.observability.tracing import configure_tracing

app = typer.Typer(
    name="atg",
    help="Generate unit tests with agents and measure, from real execution, how good they are.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")
app.command("generate")(generate)
app.add_typer(metrics_app, name="metrics")
app.add_typer(trace_app, name="trace")
app.command("monitor")(monitor)
app.add_typer(setup_app, name="setup")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"atg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
    log_level: str | None = typer.Option(
        None, help="DEBUG, INFO, WARNING or ERROR [default: ATG_LOG_LEVEL, else WARNING]."
    ),
    log_format: str | None = typer.Option(
        None, help="auto, json or console [default: ATG_LOG_FORMAT, else auto]."
    ),
) -> None:
    """Generate unit tests with agents and measure, from real execution, how good they are."""
    # through the environment, so the worker processes of a suite log the same way
    if log_level:
        os.environ["ATG_LOG_LEVEL"] = log_level
    if log_format:
        os.environ["ATG_LOG_FORMAT"] = log_format
    try:
        configure_logging()
    except ValueError as error:
        raise fail(str(error), Console(stderr=True)) from None
    configure_tracing()  # every command traces (OTLP when configured); suites also store spans


def main() -> None:
    app()
