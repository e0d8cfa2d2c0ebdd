"""The live monitor, driven in a real terminal (tmux), and its quantiles against hand counts."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agentic_testgen.observability.monitor import Snapshot
from agentic_testgen.storage import ResultStore
from tests.conftest import make_result

CALL = {"agent": "coder", "provider": "openai", "model": "gpt-4o-mini", "input_tokens": 1000,
        "output_tokens": 500, "cost_usd": 0.25, "latency_s": 1.0}  # fmt: skip


SOCKET = "atg-tests"  # a tmux server of our own: the user's sessions and options stay apart


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    )


def wait_for(screen: Callable[[], str], pattern: str, timeout_s: float = 30.0) -> str:
    """The screen once `pattern` (a regular expression) appears on it."""
    deadline = time.monotonic() + timeout_s
    while not re.search(pattern, shown := screen()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{pattern!r} never appeared; the screen:\n{shown}")
        time.sleep(0.2)
    return shown


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    store = ResultStore.for_workspace(tmp_path / "evals")
    suite = store.start_suite("nightly")
    for entry, coverage in (("a", 0.8), ("b", 0.9)):
        result = make_result(0.85, {"coverage": coverage, "pass_rate": 1.0})
        store.add_result(suite.id, entry, result, started_at=datetime.now(UTC))
    store.finish_suite(suite.id)
    store.add_llm_calls([CALL] * 3)
    return store


@pytest.fixture
def terminal(store: ResultStore, tmp_path: Path) -> Iterator[Callable[[], str]]:
    session = f"atg-monitor-{tmp_path.name}"
    # the pane's own size, not a width inherited from the test runner's environment
    command = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-m",
                          "agentic_testgen", "monitor", "--interval", "0.5", "--workspace",
                          str(tmp_path / "evals")])  # fmt: skip
    started = tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "45", command)
    assert started.returncode == 0, started.stderr

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", session).stdout

    yield screen
    tmux("kill-session", "-t", session)


def test_the_monitor_shows_the_database_and_follows_new_work(
    store: ResultStore, terminal: Callable[[], str], tmp_path: Path
) -> None:
    screen = wait_for(terminal, "recent suites")
    assert re.search(r"python +85\.0%", screen)  # mean coverage of the latest suite
    assert "100.0%" in screen
    assert re.search(r"calls +3\b", screen)
    assert re.search(r"cost +\$0\.7500", screen)
    assert re.search(r"nightly +0\.850 +unit", screen)
    store.add_llm_calls([CALL])  # another writer; the next frames count it, with a rate
    wait_for(terminal, r"calls +4\b")
    wait_for(terminal, r"token rate +0\.00/s")  # no new tokens since the last frame
    session = f"atg-monitor-{tmp_path.name}"
    tmux("send-keys", "-t", session, "C-c")
    wait_for(lambda: "gone" if tmux("has-session", "-t", session).returncode else "", "gone")


def test_monitor_once_and_an_unreachable_exporter(store: ResultStore, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from agentic_testgen.cli import app

    once = CliRunner().invoke(app, ["monitor", "--once", "-w", str(tmp_path / "evals")],
                              env={"COLUMNS": "150"})  # fmt: skip
    assert once.exit_code == 0 and "LLM calls" in once.output
    from agentic_testgen.observability.exporter import start_exporter

    server, _ = start_exporter(store, port=0)
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        remote = CliRunner().invoke(app, ["monitor", "--once", "--url", url],
                                    env={"COLUMNS": "150"})  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert remote.exit_code == 0 and url in remote.output
    assert re.search(r"calls +3\b", remote.output) and re.search(r"python +85\.0%", remote.output)
    down = CliRunner().invoke(app, ["monitor", "--once", "--url", "http://127.0.0.1:9/metrics"])
    assert down.exit_code == 2
    assert down.output.startswith("error: cannot read metrics from http://127.0.0.1:9/metrics")


def test_quantiles_interpolate_inside_buckets_like_promql() -> None:
    text = "\n".join([
        "# TYPE d histogram",
        'd_bucket{le="1.0"} 10', 'd_bucket{le="2.0"} 30', 'd_bucket{le="4.0"} 40',
        'd_bucket{le="+Inf"} 40', "d_sum 70", "d_count 40",
    ]) + "\n"  # fmt: skip
    snapshot = Snapshot.parse(text, taken_at=0)
    assert snapshot.quantile("d", 0.25) == pytest.approx(1.0)  # rank 10: top of the first bucket
    assert snapshot.quantile("d", 0.50) == pytest.approx(1.5)  # rank 20: half of (1, 2]
    assert snapshot.quantile("d", 0.99) == pytest.approx(2 + 2 * (39.6 - 30) / 10)
    assert Snapshot.parse("", taken_at=0).quantile("d", 0.5) is None
