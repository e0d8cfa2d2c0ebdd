"""Executors: the local pool, a real Dask LocalCluster and a scheduler with workers started as
processes of their own run the same suite to the same results, store every entry exactly once
when a worker dies, and resume each other's suites."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client
from typer.testing import CliRunner

import agentic_testgen
from agentic_testgen.cli import app
from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.execution import (
    ExecutorChoice,
    LocalExecutor,
    open_executor,
    parse_executor,
)
from agentic_testgen.storage import ResultStore, StoredResult

DATASET = "synthetic-simple"  # 10 Python entries
DETERMINISTIC = ("coverage", "pass_rate", "mutation_score")


def fast_settings() -> Settings:
    return Settings(
        run=RunSettings(reruns=1, test_timeout_s=5.0, parallel=1, mutation=True, max_mutants=4)
    )


def square_or_fail(value: int) -> int:
    if value < 0:
        raise RuntimeError(f"no square for {value}")
    return value * value


def die_on_negative(value: int) -> int:
    if value < 0:
        os._exit(3)  # the worker process itself goes, as when the kernel kills it
    return value * value


def gave_up(value: int, reason: str) -> int:
    gave_up.reasons.append(reason)  # type: ignore[attr-defined]
    return -1000 + value


gave_up.reasons = []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("spec", "choice"),
    [
        ("local", ExecutorChoice("local")),
        ("dask-local", ExecutorChoice("dask-local")),
        ("dask://scheduler.internal:8786", ExecutorChoice("dask", "scheduler.internal:8786")),
        ("dask://10.0.0.5", ExecutorChoice("dask", "10.0.0.5:8786")),
    ],
)
def test_executor_specs_parse(spec: str, choice: ExecutorChoice) -> None:
    assert parse_executor(spec) == choice


@pytest.mark.parametrize("spec", ["ray", "dask://", "dask://host:port", "dask:/h:1", ""])
def test_unknown_executor_specs_are_refused_with_the_accepted_forms(spec: str) -> None:
    with pytest.raises(ValueError, match="use local, dask-local or dask://HOST:PORT"):
        parse_executor(spec)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_local_pool_retries_a_raising_task_then_yields_its_failure(jobs: int) -> None:
    gave_up.reasons.clear()  # type: ignore[attr-defined]
    with LocalExecutor(jobs, retries=1) as pool:
        results = sorted(pool.map(square_or_fail, [1, -2, 3], gave_up))
    assert results == [-1002, 1, 9]
    if jobs == 1:  # the reason is only seen in this process
        (reason,) = gave_up.reasons  # type: ignore[attr-defined]
        assert "no square for -2" in reason and "2 attempts" in reason


def test_a_dead_local_worker_breaks_no_result_and_its_task_is_bounded() -> None:
    with LocalExecutor(2, retries=1) as pool:
        results = sorted(pool.map(die_on_negative, [1, 2, -3, 4], gave_up))
    # -3 kills its worker every time: after 2 attempts it is given up; the others all finish
    assert results == [-1003, 1, 4, 16]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unknown_executor_and_unreachable_scheduler_end_in_one_line_and_exit_2(
    tmp_path: Path,
) -> None:
    cli = CliRunner()
    common = ["eval", "run", "--workspace", str(tmp_path / "w"), "--dataset", DATASET]
    unknown = cli.invoke(app, [*common, "--executor", "ray://x"], env={"COLUMNS": "200"})
    assert unknown.exit_code == 2
    assert unknown.output.strip().splitlines() == [
        "error: --executor 'ray://x': unknown executor; use local, dask-local or dask://HOST:PORT"
    ]
    address = f"127.0.0.1:{_free_port()}"
    down = cli.invoke(app, [*common, "--executor", f"dask://{address}"], env={"COLUMNS": "400"})
    assert down.exit_code == 2
    (line,) = down.output.strip().splitlines()
    assert line.startswith(f"error: cannot reach the Dask scheduler at {address}")


def _deterministic(results: list[StoredResult]) -> dict[str, tuple[object, ...]]:
    def tests_of(result: StoredResult) -> int:
        return len(result.result.tests) if result.result else -1

    return {
        r.entry_id: (*(r.metrics.get(name) for name in DETERMINISTIC), tests_of(r), r.status)
        for r in results
    }


@pytest.mark.slow
def test_a_local_cluster_of_two_workers_gives_the_local_runs_results(tmp_path: Path) -> None:
    runner = EvalRunner(tmp_path / "evals", settings=fast_settings())
    dataset = runner.load(DATASET)
    local, _ = runner.run_suite(dataset, name="on-local", executor=LocalExecutor(2))
    with open_executor(parse_executor("dask-local"), jobs=2) as cluster:
        assert len(cluster.client.scheduler_info()["workers"]) == 2  # type: ignore[attr-defined]
        # Dask's own dashboard is served, at the link `atg eval run` prints
        with urllib.request.urlopen(cluster.dashboard_link, timeout=30) as page:  # type: ignore[attr-defined]
            assert page.status == 200
        on_dask, _ = runner.run_suite(dataset, name="on-dask", executor=cluster)
    by_local = _deterministic(runner.storage.suite_results(local.id))
    by_dask = _deterministic(runner.storage.suite_results(on_dask.id))
    assert len(by_local) == len(dataset.entries) == 10
    assert by_dask == by_local
    assert all(values[2] is not None for values in by_local.values())  # mutation ran
    assert on_dask.overall_score == local.overall_score


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_stores_each_entry_once(
    tmp_path: Path,
) -> None:
    runner = EvalRunner(tmp_path / "evals", settings=fast_settings())
    dataset = runner.load(DATASET)
    killed: list[int] = []
    with open_executor(parse_executor("dask-local"), jobs=2, retries=2) as cluster:
        client = cluster.client  # type: ignore[attr-defined]
        pids = client.run(os.getpid)

        def kill_a_busy_worker(entry_id: str, stored: StoredResult) -> None:
            if killed:
                return
            busy = [address for address, keys in client.processing().items() if keys]
            victim = pids[busy[0] if busy else next(iter(pids))]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        suite, _ = runner.run_suite(dataset, executor=cluster, on_result=kill_a_busy_worker)
    assert killed
    results = runner.storage.suite_results(suite.id)
    assert sorted(r.entry_id for r in results) == sorted(e.id for e in dataset.entries)
    assert runner.storage.count("suite_results") == runner.storage.count("eval_results") == 10
    assert suite.status == "completed" and suite.total_evals == 10
    assert all(r.status == "completed" for r in results), [r.errors for r in results]


class Interrupt(Exception):
    pass


def _interrupt_after(count: int) -> object:
    seen: list[str] = []

    def on_result(entry_id: str, stored: StoredResult) -> None:
        seen.append(entry_id)
        if len(seen) == count:
            raise Interrupt

    return on_result


@pytest.mark.slow
@pytest.mark.parametrize("first", ["local", "dask-local"])
def test_a_suite_interrupted_on_one_executor_is_resumed_on_the_other(
    tmp_path: Path, first: str
) -> None:
    runner = EvalRunner(tmp_path / "evals", settings=fast_settings())
    dataset = runner.load(DATASET)
    then = "dask-local" if first == "local" else "local"
    with open_executor(parse_executor(first), jobs=2) as executor, pytest.raises(Interrupt):
        runner.run_suite(dataset, executor=executor, on_result=_interrupt_after(3))  # type: ignore[arg-type]
    interrupted = runner.storage.resumable_suite("test_quality", dataset.content_hash)
    assert interrupted is not None
    done_before = runner.storage.completed_entries(interrupted.id)
    assert 3 <= len(done_before) < 10
    with open_executor(parse_executor(then), jobs=2) as executor:
        suite, already = runner.run_suite(dataset, executor=executor, resume=True)
    assert suite.id == interrupted.id and already == len(done_before)
    assert suite.status == "completed" and suite.total_evals == 10
    assert runner.storage.count("suite_results") == runner.storage.count("eval_results") == 10


def test_tasks_beside_a_killer_are_never_given_up_for_it() -> None:
    # every task runs beside the killer at some point; only the killer uses up its attempts
    gave_up.reasons.clear()  # type: ignore[attr-defined]
    items = [1, -2, 3, 4, 5, -6, 7]
    with LocalExecutor(2, retries=1) as pool:
        results = sorted(pool.map(die_on_negative, items, gave_up))
    assert results == [-1006, -1002, 1, 9, 16, 25, 49]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a process and everything it started (its own process group): TERM, then KILL."""
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
        # the leader has gone or would not: none of the group outlives the test
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


@pytest.fixture
def dask_scheduler(tmp_path: Path) -> Iterator[str]:
    """`dask scheduler` and two `dask worker` processes, started as an operator starts them (each
    in its own process group, with this checkout's atg on their path); the scheduler's address."""
    dask = Path(sys.executable).parent / "dask"
    source = str(Path(agentic_testgen.__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))
    address = f"127.0.0.1:{_free_port()}"
    host, port = address.split(":")
    commands = [[str(dask), "scheduler", "--host", host, "--port", port, "--no-dashboard"]]
    for n in (1, 2):
        commands.append([
            str(dask), "worker", f"tcp://{address}", "--nworkers", "1", "--nthreads", "1",
            "--no-dashboard", "--name", f"worker-{n}", "--local-directory", str(tmp_path / f"w{n}"),
        ])  # fmt: skip
    started: list[subprocess.Popen[bytes]] = []
    try:
        for number, command in enumerate(commands):
            with (tmp_path / f"dask-{number}.log").open("wb") as log:
                process = subprocess.Popen(
                    command, env={**os.environ, "PYTHONPATH": path}, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            started.append(process)
        with Client(f"tcp://{address}", timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(started):
            _stop(process)


def _eval_run(workspace: Path, name: str, executor: str) -> None:
    done = CliRunner().invoke(app, [
        "eval", "run", "--dataset", DATASET, "--workspace", str(workspace), "--name", name,
        "--executor", executor, "--jobs", "2", "--reruns", "1", "--mutation", "--max-mutants", "4",
        "--evaluators", "none", "--no-reports", "--no-regression-check",
    ], env={"COLUMNS": "200"})  # fmt: skip
    assert done.exit_code == 0, done.output


@pytest.mark.slow
def test_a_scheduler_and_workers_started_apart_give_the_local_runs_results(
    tmp_path: Path, dask_scheduler: str
) -> None:
    workspace = tmp_path / "evals"
    _eval_run(workspace, "on-local", "local")
    _eval_run(workspace, "on-dask", f"dask://{dask_scheduler}")
    with Client(f"tcp://{dask_scheduler}", timeout="30s") as client:
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    # both worker processes ran entries, and every entry ran there
    assert len(executed) == 2 and all(count > 0 for count in executed.values()), executed
    assert sum(executed.values()) >= 10
    store = ResultStore.for_workspace(workspace)
    try:
        local, on_dask = store.latest_suite("on-local"), store.latest_suite("on-dask")
        assert local is not None and on_dask is not None
        by_local = _deterministic(store.suite_results(local.id))
        by_dask = _deterministic(store.suite_results(on_dask.id))
        assert store.count("suite_results") == store.count("eval_results") == 20
    finally:
        store.close()
    assert len(by_local) == 10
    assert by_dask == by_local
    assert all(values[2] is not None for values in by_local.values())  # mutation ran
    assert on_dask.overall_score == local.overall_score
