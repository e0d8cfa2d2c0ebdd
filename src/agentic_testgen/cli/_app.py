"""The `atg` typer application: one sub-app per command group."""

from __future__ import annotations

import typer

from agentic_testgen import __version__
from agentic_testgen.cli.eval import eval_app
from agentic_testgen.cli.generate import generate
from agentic_testgen.cli.metrics import metrics_app
from agentic_testgen.cli.trace import trace_app

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
) -> None:
    """Generate unit tests with agents and measure, from real execution, how good they are."""


def main() -> None:
    app()
