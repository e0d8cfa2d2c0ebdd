"""The `atg` typer application: one sub-app per command group.

Registering a command costs its signature only: each command imports what it runs (settings,
storage, the evaluation, OpenTelemetry, rich) when it runs, so `atg --help` and every command
start without the others' dependencies (tests/cli/test_startup.py keeps it so).

Typer reads the signature of every command at each start, even of those it does not run. The
command modules therefore write their annotations without `from __future__ import annotations`:
typer would evaluate each string annotation four times (most of the cost of building them);
names imported only for type checking are quoted instead.
"""

import atexit
import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from agentic_testgen.cli._errors import fail
from agentic_testgen.cli.cost import cost_app
from agentic_testgen.cli.dataset import dataset_app
from agentic_testgen.cli.deploy import deploy_app
from agentic_testgen.cli.eval import eval_app
from agentic_testgen.cli.generate import generate
from agentic_testgen.cli.guard import guard_app
from agentic_testgen.cli.metrics import metrics_app
from agentic_testgen.cli.monitor import monitor
from agentic_testgen.cli.setup import setup_app
from agentic_testgen.cli.slo import slo_app
from agentic_testgen.cli.trace import trace_app

app = typer.Typer(
    name="atg",
    help="Generate unit tests with agents and measure, from real execution, how good they are.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # atg --install-completion bash|zsh|fish|powershell
    rich_markup_mode=None,  # help texts say "[default: ...]": rich markup would eat it
)
app.add_typer(eval_app, name="eval")
app.command("generate")(generate)
app.add_typer(guard_app, name="guard")
app.add_typer(metrics_app, name="metrics")
app.add_typer(trace_app, name="trace")
app.command("monitor")(monitor)
app.add_typer(setup_app, name="setup")
app.add_typer(slo_app, name="slo")
app.add_typer(cost_app, name="cost")
app.add_typer(deploy_app, name="deploy")
app.add_typer(dataset_app, name="dataset")


def _show_version(value: bool) -> None:
    if value:
        from agentic_testgen import __version__  # noqa: PLC0415 - read from the metadata

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
    log_file: Annotated[
        Path | None,
        typer.Option(
            help="Append the logs as JSON lines to this file instead of stderr, where the "
            "progress and the results stay [default: ATG_LOG_FILE].",
        ),
    ] = None,
) -> None:
    """Generate unit tests with agents and measure, from real execution, how good they are."""
    # runs before every command (not before --help of the root): what it loads, each command pays
    from agentic_testgen.observability.logs import configure_logging  # noqa: PLC0415
    from agentic_testgen.observability.tracing import configure_export  # noqa: PLC0415

    # through the environment, so the worker processes of a suite log the same way
    if log_level:
        os.environ["ATG_LOG_LEVEL"] = log_level
    if log_format:
        os.environ["ATG_LOG_FORMAT"] = log_format
    if log_file:
        os.environ["ATG_LOG_FILE"] = str(log_file.absolute())
    try:
        configure_logging()
    except ValueError as error:
        from rich.console import Console  # noqa: PLC0415 - only to report the error

        raise fail(str(error), Console(stderr=True)) from None
    # every command's spans go out over OTLP when it is configured; a suite also keeps them
    # (its runner configures that): otherwise no span is recorded and the SDK is not loaded
    configure_export()


def main() -> None:
    """Run `atg`. A reader that stops early (`atg eval file ... | head`) ends the command
    quietly with status 0, as `cat` and `git log` do: rich and click report a broken pipe as
    status 1, which a CI step would take for a failed gate."""
    was_devnull = _stdout_is_devnull()
    try:
        app()
    except SystemExit as done:
        if done.code == 1 and _pipe_broke(was_devnull):
            _end(0)
        _end(done.code)


def _end(code: object) -> NoReturn:
    """Exit with `code` once the exit handlers ran (logging, spans, temporary folders) and
    the output is flushed, without the interpreter tearing down every module and object it
    loaded: 40-70 ms at the end of every command, which nothing here needs. Where another
    thread still runs, or the code is a message to print, the ordinary exit does it."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if not (code is None or isinstance(code, int)) or any(not t.daemon for t in others):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone, or a stream closed
            stream.flush()
    os._exit(code or 0)


def _stdout_is_devnull() -> bool:
    try:
        mine, null = os.fstat(sys.stdout.fileno()), os.stat(os.devnull)
    except (OSError, ValueError):
        return False
    return (mine.st_dev, mine.st_ino) == (null.st_dev, null.st_ino)


def _pipe_broke(was_devnull: bool) -> bool:
    """Whether the exit came from a broken stdout: click then wraps stdout in its
    PacifyFlushWrapper, rich points file descriptor 1 at /dev/null."""
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return True
    return not was_devnull and _stdout_is_devnull()
