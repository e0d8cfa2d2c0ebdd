"""The local executor: a pool of spawned worker processes on this machine."""

from __future__ import annotations

import ast
import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from agentic_testgen.execution._executor import DEFAULT_RETRIES, Executor, OnFailure

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def die_with_parent() -> None:
    """In a worker: be killed when the process that started it dies (even by SIGKILL), so no
    worker, and no sandbox it started, runs on after `atg` is gone."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def workers_can_start() -> bool:
    """Whether spawned workers can import `__main__`: a module run with `-m`, an interactive
    session and `python -c` are fine; a script must keep its top-level work under a
    `__name__ == "__main__"` guard, or each worker would run it again and die."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or getattr(main, "__spec__", None) is not None or not path:
        return True
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return True
    return any(
        isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
        and "__name__" in ast.unparse(node.test)
        for node in tree.body
    )  # fmt: skip


def describe_failure(error: BaseException) -> str:
    """One line for a task that produced no result."""
    if isinstance(error, BrokenProcessPool):
        return "its worker process died"
    return traceback.format_exception_only(error)[-1].strip()


class LocalExecutor:
    """Up to `jobs` spawned worker processes (default: cores); one job runs in this process.

    Workers are spawned, not forked: the parent runs a progress-bar thread and holds a database
    connection, neither of which a forked child may inherit safely. A worker that dies breaks
    the pool: the tasks in flight then run again one at a time, so only the task that kills its
    worker uses up its attempts.
    """

    def __init__(self, jobs: int | None = None, *, retries: int = DEFAULT_RETRIES) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.retries = retries
        self.description = f"local pool of {self.jobs} process{'es' if self.jobs > 1 else ''}"

    def slots_per_host(self) -> int | None:
        return self.jobs

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(
        self, task: Callable[[T], R], items: Sequence[T], on_failure: OnFailure[T, R]
    ) -> Iterator[R]:
        jobs = self.jobs
        if jobs > 1 and len(items) > 1 and not workers_can_start():
            from agentic_testgen.observability.logs import get_logger  # noqa: PLC0415

            get_logger("executor").warning(
                "evaluating one entry at a time: worker processes re-import the script that "
                'runs the suite, and this one has no `if __name__ == "__main__":` guard'
            )
            jobs = 1
        if jobs == 1 or len(items) <= 1:
            yield from self._in_process(task, items, on_failure)
        else:
            yield from self._in_pool(task, items, on_failure, jobs)

    def _in_process(
        self, task: Callable[[T], R], items: Sequence[T], on_failure: OnFailure[T, R]
    ) -> Iterator[R]:
        for item in items:
            for attempt in range(self.retries + 1):
                try:
                    result = task(item)
                except Exception as error:
                    if attempt == self.retries:
                        yield on_failure(item, self._gave_up(error))
                else:
                    yield result
                    break

    def _in_pool(  # noqa: PLR0912 - one scheduling loop, its cases side by side
        self,
        task: Callable[[T], R],
        items: Sequence[T],
        on_failure: OnFailure[T, R],
        jobs: int,
    ) -> Iterator[R]:
        """At most `jobs` tasks in flight, so every task a broken pool takes down was running.

        A dying worker breaks the whole pool, and the pool cannot say whose task killed it: the
        tasks that were in flight become suspects and run again one at a time, each in a pool
        of its own, where a death is its own and counts an attempt. A task beside a killer is
        never given up for its neighbour's death.
        """
        attempts: Counter[int] = Counter()
        todo = list(range(len(items)))
        suspects: list[int] = []
        context = multiprocessing.get_context("spawn")
        while todo or suspects:
            alone = not todo
            batch = [suspects.pop(0)] if alone else todo
            todo = []
            pool = ProcessPoolExecutor(
                1 if alone else min(jobs, len(batch)), mp_context=context,
                initializer=die_with_parent,
            )  # fmt: skip
            waiting = list(batch)
            running: dict[Future[R], int] = {}
            try:
                while waiting or running:
                    while waiting and len(running) < (1 if alone else jobs):
                        index = waiting.pop(0)
                        running[pool.submit(task, items[index])] = index
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    broken = False
                    for future in done:
                        index = running.pop(future)
                        error = future.exception()
                        if error is None:
                            yield future.result()
                            continue
                        if isinstance(error, BrokenProcessPool) and not alone:
                            suspects.append(index)  # no attempt counted: whose death is unknown
                            broken = True
                            continue
                        attempts[index] += 1
                        if attempts[index] > self.retries:
                            yield on_failure(items[index], self._gave_up(error))
                        elif isinstance(error, BrokenProcessPool):
                            suspects.append(index)  # its own death: again, alone
                            broken = True
                        else:
                            waiting.append(index)
                    if broken:
                        for future, index in running.items():  # went down with the pool
                            if future.done() and future.exception() is None:
                                yield future.result()  # finished just before it broke
                            else:
                                suspects.append(index)
                        todo += waiting  # never started: back to the shared pool
                        running, waiting = {}, []
            finally:
                # on an interrupt, drop what has not started; what is stored stays for --resume
                pool.shutdown(wait=True, cancel_futures=True)

    def _gave_up(self, error: BaseException) -> str:
        tries = self.retries + 1
        return f"not evaluated: {describe_failure(error)} ({tries} attempt{'s' * (tries > 1)})"
