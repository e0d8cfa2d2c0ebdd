"""Runs every mutant of a schemata module inside the sandbox, each in a fork of a warm process.

Executed by path with the sandbox's interpreter, beside `_runner.py` (whose warm-up and pytest
arguments it shares). The module under test holds every mutant behind the builtin switch
`__atg_mutant__` (see `agentic_testgen.evals.mutation`):

- Mutants that act in function bodies run in children forked from one pytest session that has
  already imported pytest, the tests and the module: the child flips the switch and runs only the
  tests that covered the mutant's line, through pytest's per-test protocol, stopping at the first
  failure. A failure's report is made cheap: a mutant only needs "killed or not".
- Mutants that act at import time (module or class level, defaults, decorators) run the same
  way, after the child re-executes the module (and the test modules, to rebind the names they
  imported from it) with the switch on: `importlib.reload` keeps each module's namespace, so
  the collected tests see the mutated definitions.

The parent keeps one child per core busy and kills a child that outlives its mutant's time
limit: that mutant is recorded as a timeout (counted as killed).

Usage: python _mutation_runner.py CONFIG.json  (writes the results file named in the config)
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import importlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SWITCH = "__atg_mutant__"
setattr(builtins, SWITCH, 0)  # the original module, until a child flips it

import pytest  # noqa: E402 - the switch must exist before anything imports the module
from _pytest.runner import runtestprotocol  # noqa: E402 - pytest's own per-test runner
from _runner import PYTEST_ARGS, _warm_up  # type: ignore[import-not-found]  # noqa: E402

KILLED, SURVIVED, TIMEOUT = "killed", "survived", "timeout"
EXIT_SURVIVED, EXIT_KILLED = 0, 1


def _cheap_failure(*args: Any, **kwargs: Any) -> str:
    return "killed"


def _mark_kill(workdir: Path, mutant_id: int, nodeid: str) -> None:
    (workdir / f"kill-{mutant_id}").write_text(nodeid)


def run_pool(
    mutants: list[dict[str, Any]],
    start: Callable[[dict[str, Any]], int],
    parallel: int,
    workdir: Path,
) -> dict[int, dict[str, Any]]:
    """Run `start(mutant)` children, `parallel` at a time, under each mutant's time limit."""
    results: dict[int, dict[str, Any]] = {}
    pending = list(mutants)
    running: dict[int, tuple[dict[str, Any], float]] = {}
    timed_out: set[int] = set()
    while pending or running:
        while pending and len(running) < parallel:
            mutant = pending.pop(0)
            running[start(mutant)] = (mutant, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (mutant, started) in running.items():
                if child not in timed_out and now - started > mutant["timeout_s"]:
                    timed_out.add(child)
                    os.kill(child, signal.SIGKILL)
            time.sleep(0.0005)
            continue
        if pid not in running:
            continue
        mutant, started = running.pop(pid)
        with contextlib.suppress(OSError):  # whatever the mutant's tests left running
            os.killpg(pid, signal.SIGKILL)
        if pid in timed_out:
            verdict = TIMEOUT
        elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_SURVIVED:
            verdict = SURVIVED
        else:  # a failing test, or a crash the mutant caused: either way the tests noticed
            verdict = KILLED
        kill_file = workdir / f"kill-{mutant['id']}"
        results[mutant["id"]] = {
            "status": verdict,
            "duration_s": time.monotonic() - started,
            "killed_by": kill_file.read_text() if kill_file.exists() else None,
        }
    return results


class WarmMutationPlugin:
    """Takes over pytest's test loop: one forked child per mutant, selected tests only."""

    def __init__(self, config: dict[str, Any], mutants: list[dict[str, Any]]) -> None:
        self.config = config
        self.mutants = mutants
        self.results: dict[int, dict[str, Any]] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: Any) -> bool:
        items = {item.nodeid: item for item in session.items}
        workdir = Path(self.config["workdir"])
        # Children live for milliseconds: collect once here, then no collector runs in them and
        # none walks (and so copies) the pages they share with this process.
        gc.collect()
        gc.freeze()

        def start(mutant: dict[str, Any]) -> int:
            pid = os.fork()
            if pid:
                with contextlib.suppress(OSError):
                    os.setpgid(pid, pid)
                return pid
            code = EXIT_KILLED
            try:
                gc.disable()
                os.setpgid(0, 0)
                setattr(builtins, SWITCH, mutant["id"])
                selected = [items[nodeid] for nodeid in mutant["tests"] if nodeid in items]
                if mutant["import_time"]:
                    _reimport(self.config["module_file"], selected)
                code = EXIT_SURVIVED
                for index, item in enumerate(selected):
                    item.repr_failure = _cheap_failure
                    item._repr_failure_py = _cheap_failure
                    following = selected[index + 1] if index + 1 < len(selected) else None
                    reports = runtestprotocol(item, nextitem=following, log=False)
                    if any(report.failed for report in reports):
                        _mark_kill(workdir, mutant["id"], item.nodeid)
                        code = EXIT_KILLED
                        break
            finally:
                os._exit(code)

        self.results = run_pool(self.mutants, start, self.config["parallel"], workdir)
        return True


def _reimport(module_file: str, items: list[Any]) -> None:
    """Re-execute the module under test (under every name it was imported by), then the test
    modules, so names bound by `from module import ...` point at the mutated definitions."""
    target = os.path.realpath(module_file)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and os.path.realpath(path) == target:
            importlib.reload(module)
    for test_module in {id(item.module): item.module for item in items}.values():
        importlib.reload(test_module)


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    workdir = Path(config["workdir"])
    _warm_up(workdir)
    warm = config["mutants"]
    results: dict[int, dict[str, Any]] = {}
    if warm:
        plugin = WarmMutationPlugin(config, warm)
        log = os.open(workdir / "mutation.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        saved = os.dup(1), os.dup(2)
        os.dup2(log, 1)
        os.dup2(log, 2)
        try:
            pytest.main(
                [config["tests_file"], *PYTEST_ARGS, "--rootdir", config["rootdir"],
                 "-c", config["ini_file"]],
                plugins=[plugin],
            )  # fmt: skip
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
        results.update(plugin.results)
        missing = [m["id"] for m in warm if m["id"] not in plugin.results]
        for mutant_id in missing:  # the session never reached its test loop (collection failed)
            results[mutant_id] = {"status": "error", "duration_s": 0.0, "killed_by": None}
    Path(config["results_file"]).write_text(json.dumps({str(k): v for k, v in results.items()}))


if __name__ == "__main__":
    main(sys.argv[1])
