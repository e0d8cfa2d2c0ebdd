"""Runs a test file inside the sandbox: one instrumented pytest run and the reruns, each a fork.

This file is executed by path with the sandbox's interpreter and imports only the standard
library, pytest and coverage.py. The parent imports pytest and warms it up once, then forks a
child per run, so every run starts from a clean module state without paying interpreter start-up
again; the reruns run alongside the instrumented run. The parent watches its children: a test
that hangs past its deadline, or a child that dies mid-test (memory limit, ``os._exit``), is
recorded against the test it was running and the run is restarted without that test, so one bad
test never costs the measurements of the others. Tests the instrumented run had to stop are
listed in a shared file and not run again by the reruns: each would cost its full time limit
again to reach the same verdict.

Test code runs under the integrity guard (`_integrity.py`): the harness's files are out of its
reach while tests run, so each child writes its result only after its session ended, and every
test's final verdict is also appended to a ledger the moment it is known: a verdict changed after
the fact, or written twice, is a finding. The summary leaves through this process's standard
output, which no child holds (their outputs go to log files before any test code runs).

Usage: python _runner.py CONFIG.json  (prints the summary as JSON on standard output)
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest
from _evidence import coverage_payload, ledger_findings  # type: ignore[import-not-found]
from _integrity import (  # type: ignore[import-not-found]
    FINDINGS,
    GuardHandle,
    TamperCheck,
    install,
)
from _session import (  # type: ignore[import-not-found]
    PYTEST_ARGS,
    compiled_patterns,
    exit_descriptor,
    project_plugin_args,
    warm_up,
)

FAILURE_TEXT_LIMIT = 4000
MAX_RESTARTS = 20
WATCHDOG_GRACE_S = 5.0
COLLECTING = "<collect>"
STOPPED = "stopped-tests.txt"
LEDGER = "ledger.jsonl"
FORK_ATTEMPTS = 20
CRASH_STATUS = 70
WATCH_INTERVAL_MS = 10  # how often the watchdog looks at the running tests


@dataclass
class Job:
    """One run of the test file: the instrumented one (index 0) or a rerun."""

    index: int
    instrumented: bool
    # each restart (after a test that killed its run) is a new attempt with its own ledger lines
    attempt: int = 0
    deselect: list[str] = field(default_factory=list)
    # node id -> why the run lost it (timeout, killed); such tests are deselected on restart
    casualties: dict[str, str] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class Channels:
    """Descriptors opened by the harness before any test code runs; children inherit them.

    Test code may write to them (it shares the process) but cannot open, truncate or remove the
    files they name: the guard blocks it."""

    stopped: int
    ledger: int
    progress: dict[int, int] = field(default_factory=dict)


@dataclass
class Harness:
    """What every forked run shares: its channels, the integrity guard, pytest's snapshot,
    and the plugin arguments every session gets (worked out once, from the files)."""

    channels: Channels
    guard: GuardHandle
    tamper: TamperCheck
    plugin_args: list[str]


class TestTimeoutError(BaseException):
    """Raised into a test that outlived its deadline (a BaseException: `except Exception` in
    the test must not swallow it)."""

    __test__ = False


class ResultPlugin:
    """Records outcomes, per-test coverage contexts and progress; enforces per-test deadlines."""

    def __init__(
        self,
        index: int,
        *,
        attempt: int,
        channels: Channels,
        timeout_s: float,
        cov: Any,
        guard: GuardHandle,
        tamper: TamperCheck,
        on_tamper: Any,
    ) -> None:
        self.index = index
        self.attempt = attempt
        self.instrumented = index == 0
        self.progress = channels.progress[index]
        self.channels = channels
        self.timeout_s = timeout_s
        self.cov = cov
        self.set_test = guard.set_test
        self.tamper = tamper
        self.on_tamper = on_tamper
        self.owner = os.getpid()
        self.tests: dict[str, dict[str, Any]] = {}
        self.collection_errors: list[dict[str, str]] = []
        self.timed_out: set[str] = set()
        self.current = ""
        self.deadline = 0.0

    def _mark(self, text: str) -> None:
        # one write, the text up to its newline (`_progress`): a truncate first cost 0.1 ms a
        # call, two calls a test
        os.pwrite(self.progress, text.encode() + b"\n", 0)

    def _escaped_fork(self) -> None:
        # A child forked by a test that returned into pytest instead of exiting: end it quietly.
        if os.getpid() != self.owner:
            os._exit(0)

    def _on_alarm(self, signum: int, frame: Any) -> None:
        __tracebackhide__ = True  # pytest leaves this frame out of the failure report
        self.timed_out.add(self.current)
        raise TestTimeoutError(f"test exceeded its {self.timeout_s:g} s time limit")

    @contextlib.contextmanager
    def _deadline(self) -> Generator[None]:
        remaining = max(self.deadline - time.monotonic(), 0.05)
        previous = signal.signal(signal.SIGALRM, self._on_alarm)
        # Re-fire every second: a test that catches the first interruption gets another.
        signal.setitimer(signal.ITIMER_REAL, remaining, 1.0)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> bool | None:
        """In a rerun, skip a test the instrumented run had to stop (returning True ends it)."""
        if not self.instrumented and item.nodeid in stopped_tests(self.channels.stopped):
            return True
        return None

    def pytest_sessionstart(self, session: Any) -> None:
        self.tamper.take()

    def pytest_collection_finish(self, session: Any) -> None:
        plugins = session.config.pluginmanager.get_plugins()
        self.tamper.remember_plugins(plugins)
        for kind, detail in self.tamper.changes(plugins):  # patched while test files loaded
            self.on_tamper(kind, detail)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: Any) -> None:
        for kind, detail in self.tamper.changes(session.config.pluginmanager.get_plugins()):
            self.on_tamper(kind, detail)

    def pytest_collectstart(self, collector: Any) -> None:
        self._mark(f"{COLLECTING} {collector.nodeid}")

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.collection_errors.append(
                {"nodeid": report.nodeid, "message": _cut(report.longreprtext)}
            )

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.current = nodeid
        self.set_test(nodeid)
        self.deadline = time.monotonic() + self.timeout_s
        self._mark(nodeid)
        if self.cov is not None:
            self.cov.switch_context(nodeid)

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        # The context stays the test's until the next test starts: between the two only
        # pytest runs, and each switch costs coverage.py a write of its data file (0.4 ms)
        record = self.tests.get(nodeid, {})
        entry = {
            "run": self.index,
            "attempt": self.attempt,
            "test": nodeid,
            "outcome": record.get("outcome"),
        }
        os.write(self.channels.ledger, (json.dumps(entry) + "\n").encode())
        self.set_test("")
        self._mark("")

    def _guarded(self) -> Generator[None, Any, Any]:
        with self._deadline():
            result = yield
        self._escaped_fork()
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: Any) -> Generator[None, Any, Any]:
        return (yield from self._guarded())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: Any) -> Generator[None, Any, Any]:
        return (yield from self._guarded())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: Any) -> Generator[None, Any, Any]:
        return (yield from self._guarded())

    def pytest_runtest_logreport(self, report: Any) -> None:
        self._escaped_fork()
        record = self.tests.setdefault(
            report.nodeid, {"outcome": "passed", "duration_s": 0.0, "failure": None}
        )
        record["duration_s"] += report.duration
        expected_failure = hasattr(report, "wasxfail")
        if report.when == "call":
            if report.passed:
                record["outcome"] = "xpass" if expected_failure else "passed"
            elif report.skipped:
                record["outcome"] = "xfail" if expected_failure else "skipped"
            else:
                record["outcome"] = "failed"
                record["failure"] = _cut(report.longreprtext)
        elif report.skipped:
            record["outcome"] = "xfail" if expected_failure else "skipped"
        elif report.failed:
            record["outcome"] = "error"
            record["failure"] = _cut(report.longreprtext)
        if report.nodeid in self.timed_out and report.failed:
            record["outcome"] = "timeout"
            if self.instrumented:
                add_stopped_test(self.channels.stopped, report.nodeid)


def stopped_tests(fd: int) -> set[str]:
    size = os.fstat(fd).st_size
    return set(os.pread(fd, size, 0).decode(errors="replace").splitlines())


def add_stopped_test(fd: int, nodeid: str) -> None:
    os.write(fd, (nodeid + "\n").encode())


def _cut(text: str) -> str:
    return text if len(text) <= FAILURE_TEXT_LIMIT else text[:FAILURE_TEXT_LIMIT] + "\n[cut]"


def _child(config: dict[str, Any], job: Job, harness: Harness) -> None:
    """Body of one forked run; always ends the process."""
    channels, guard, tamper = harness.channels, harness.guard, harness.tamper
    workdir = Path(config["workdir"])
    index = job.index
    log = os.open(workdir / f"run-{index}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    cov = None
    if job.instrumented or config["property_based"]:
        import coverage  # noqa: PLC0415 - only measured runs need it

        cov = coverage.Coverage(
            data_file=str(workdir / f"coverage-{index}.data"),
            branch=True,
            include=[config["module_file"]],
            config_file=False,
        )
        cov.erase()
        cov.start()
    plugin = ResultPlugin(
        index,
        attempt=job.attempt,
        channels=channels,
        timeout_s=config["test_timeout_s"],
        cov=cov,
        guard=guard,
        tamper=tamper,
        on_tamper=guard.record,
    )
    args = [config["tests_file"], *PYTEST_ARGS, *harness.plugin_args, *config["extra_args"]]
    args += ["--rootdir", config["rootdir"], "-c", config["ini_file"]]
    for nodeid in job.deselect:
        args += ["--deselect", nodeid]
    guard.arm()
    exit_status = int(pytest.main(args, plugins=[plugin]))
    if not guard.channel_intact():
        guard.record("channel", "the findings descriptor was closed or replaced")
    guard.finish()
    payload: dict[str, Any] = {
        "tests": plugin.tests,
        "collection_errors": plugin.collection_errors,
        "exit_status": exit_status,
    }
    if job.instrumented:
        payload["patterns"] = compiled_patterns()
    if cov is not None:
        cov.stop()
        cov.save()
        try:
            payload["coverage"] = coverage_payload(cov, config["module_file"], workdir, index)
        except Exception as error:  # coverage has nothing to report: the module never loaded
            payload["coverage_error"] = f"{type(error).__name__}: {error}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        out = os.open(workdir / f"result-{index}.json", flags, 0o600)
    except FileExistsError:  # planted before the harness wrote it
        guard.record("harness-file", f"the result file of run {index} existed before its end")
        os._exit(CRASH_STATUS)
    with os.fdopen(out, "w") as handle:
        handle.write(json.dumps(payload))
    sys.stdout.flush()
    os._exit(0)


def _start(config: dict[str, Any], job: Job, harness: Harness) -> int:
    channels, guard = harness.channels, harness.guard
    progress = Path(config["workdir"]) / f"progress-{job.index}"
    previous = channels.progress.pop(job.index, None)
    if previous is not None:
        os.close(previous)
    channels.progress[job.index] = os.open(progress, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    for attempt in range(FORK_ATTEMPTS):
        try:
            pid = os.fork()
            break
        except BlockingIOError:  # the process limit is full of a previous run's leftovers
            time.sleep(0.1 * (attempt + 1))
    else:
        raise RuntimeError("cannot start a test run: the sandbox's process limit stays full")
    if pid == 0:
        try:
            os.setpgid(0, 0)
            _child(config, job, harness)
        except BaseException as error:  # recorded for the parent, which explains the loss
            guard.finish()
            crash = Path(config["workdir"]) / f"crash-{job.index}"
            with contextlib.suppress(OSError):
                crash.write_text(f"{type(error).__name__}: {error}"[:FAILURE_TEXT_LIMIT])
        finally:
            os._exit(CRASH_STATUS)
    with contextlib.suppress(OSError):  # either side may win the race to set the group
        os.setpgid(pid, pid)
    return pid


def _end_leftovers(pid: int) -> None:
    """Kill what a finished run's tests left behind (sleeping forks), freeing the process limit."""
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


def _progress(path: Path) -> str:
    """What a child is doing: a test's node id, `COLLECTING` and where, or "" between tests
    (older, longer text may follow the newline)."""
    return path.read_text(errors="replace").partition("\n")[0]


def _hung(config: dict[str, Any], job: Job) -> bool:
    """Whether the child's current test has outlived its deadline (the in-test alarm failed)."""
    progress = Path(config["workdir"]) / f"progress-{job.index}"
    with contextlib.suppress(OSError):
        if _progress(progress):
            age = time.time() - progress.stat().st_mtime
            return bool(age > config["test_timeout_s"] + WATCHDOG_GRACE_S)
    return False


def _read_result(path: Path) -> dict[str, Any] | None:
    """A child's result file, read without following links; None when it wrote none."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    with os.fdopen(fd) as handle:
        loaded: dict[str, Any] = json.loads(handle.read())
    return loaded


def _finish(
    config: dict[str, Any], job: Job, status: int, killed: bool, channels: Channels
) -> bool:
    """Record a finished child; return True when the job must be started again."""
    workdir = Path(config["workdir"])
    result = _read_result(workdir / f"result-{job.index}.json")
    if result is not None:
        job.result = result
        return False
    current = _progress(workdir / f"progress-{job.index}")
    if killed:
        reason = "timeout"
    elif os.WIFSIGNALED(status):
        sig = signal.Signals(os.WTERMSIG(status)).name
        reason = f"killed by {sig} (memory or process limit, or the test killed itself)"
    else:
        code = os.waitstatus_to_exitcode(status)
        crash = workdir / f"crash-{job.index}"
        if code == CRASH_STATUS and crash.exists():
            reason = f"the test run crashed: {crash.read_text()}"
        else:
            reason = f"the process exited with status {code}"
    if current.startswith(COLLECTING) or not current:
        where = current.removeprefix(COLLECTING).strip()
        stage = f"while collecting {where or 'the tests'}" if current else "outside any test"
        job.result = {
            "tests": {},
            "collection_errors": [{"nodeid": where, "message": f"{reason} ({stage})"}],
            "exit_status": 2,
        }
        return False
    job.casualties[current] = reason
    if job.instrumented:
        add_stopped_test(channels.stopped, current)
    job.deselect.append(current)
    job.attempt += 1
    return len(job.casualties) <= MAX_RESTARTS


def _run_jobs(
    config: dict[str, Any],
    jobs: list[Job],
    parallel: int,
    harness: Harness,
) -> None:
    pending = list(jobs)
    running: dict[int, Job] = {}
    watchdog_killed: set[int] = set()
    ends = select.poll()
    reapers: dict[int, int] = {}
    while pending or running:
        while pending and len(running) < parallel:
            job = pending.pop(0)
            pid = _start(config, job, harness)
            running[pid] = job
            reaper = exit_descriptor(pid)
            if reaper is not None:
                reapers[pid] = reaper
                ends.register(reaper, select.POLLIN)
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            for child, job in running.items():
                if child not in watchdog_killed and _hung(config, job):
                    watchdog_killed.add(child)
                    os.kill(child, signal.SIGKILL)
            if len(reapers) == len(running):
                ends.poll(WATCH_INTERVAL_MS)  # returns as soon as a child ends
            else:
                time.sleep(WATCH_INTERVAL_MS / 1000)
            continue
        if pid not in running:
            continue
        job = running.pop(pid)
        reaper = reapers.pop(pid, None)
        if reaper is not None:
            ends.unregister(reaper)
            os.close(reaper)
        _end_leftovers(pid)
        if _finish(config, job, status, pid in watchdog_killed, harness.channels):
            pending.insert(0, job)


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    workdir = Path(config["workdir"])
    workdir.mkdir(parents=True, exist_ok=True)
    import coverage  # noqa: F401, PLC0415 - a warm import shared by every forked run

    tamper = TamperCheck()
    first = Job(index=0, instrumented=True)
    reruns = [Job(index=i, instrumented=False) for i in range(1, config["reruns"] + 1)]
    jobs = [first, *reruns]
    plugin_args = project_plugin_args(config)
    if reruns:  # the forks share one warm pytest; a lone run would pay a session for nothing
        warm_up(workdir, plugin_args)
    guard = install(
        str(workdir / FINDINGS),
        harness_dirs=[workdir, config["inputs_dir"]],
        test_roots=[str(Path(config["tests_file"]).parent)],
        project_root=config["rootdir"],
        finishers=(_child.__code__, _start.__code__),
        trusted=(
            ResultPlugin.pytest_runtest_logstart.__code__,
            ResultPlugin.pytest_runtest_logfinish.__code__,
        ),
    )
    append = os.O_RDWR | os.O_CREAT | os.O_APPEND
    channels = Channels(
        stopped=os.open(workdir / STOPPED, append, 0o600),
        ledger=os.open(workdir / LEDGER, append, 0o600),
    )
    _run_jobs(config, jobs, config["parallel"], Harness(channels, guard, tamper, plugin_args))
    findings = guard.findings() + ledger_findings(
        workdir / LEDGER, ((job.index, job.attempt, job.result) for job in jobs)
    )
    summary = {
        "runs": [asdict(job) for job in jobs],
        "integrity": findings,
        "derandomized": "--hypothesis-seed=0" in config["extra_args"],
    }
    sys.stdout.write(config["report_key"] + json.dumps(summary))
    sys.stdout.flush()
    # the children are gone and the summary is out: the interpreter's teardown of a warm
    # pytest and coverage.py would only be time the host waits for
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
