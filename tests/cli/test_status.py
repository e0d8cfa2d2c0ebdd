"""The spinner of long commands: shown on a terminal, no thread elsewhere."""

from __future__ import annotations

import io
import threading

from rich.console import Console

from agentic_testgen.cli._status import working


def test_no_spinner_thread_runs_where_no_terminal_shows_it() -> None:
    before = set(threading.enumerate())
    with working(Console(file=io.StringIO()), "Running...") as status:
        assert set(threading.enumerate()) == before
        status.update("still running")  # the updates a command sends go nowhere


def test_a_terminal_gets_the_spinner_and_its_updates() -> None:
    before = set(threading.enumerate())
    with working(Console(file=io.StringIO(), force_terminal=True), "Running...") as status:
        assert set(threading.enumerate()) - before  # rich's thread that redraws it
        assert status.status == "Running..."
        status.update("Measuring...")
        assert status.status == "Measuring..."
