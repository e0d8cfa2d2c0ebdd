"""The Dask executor: each item a task on a Dask cluster, an existing one or a `LocalCluster`.

Results come back to this process as their futures complete and are handed to the caller at
once, so the caller (the suite runner) is the only writer of the store: workers need no database
access, SQLite works for a local cluster, and a task that Dask runs twice (its worker was lost
after finishing) is still handed over once. Imported only when a Dask executor is chosen.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from distributed import Client, Future, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from agentic_testgen.errors import ExecutorUnavailableError
from agentic_testgen.execution._executor import DEFAULT_RETRIES, Executor, OnFailure
from agentic_testgen.execution._local import describe_failure

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT_S = 10


class DaskExecutor:
    """Tasks on the scheduler at `address`, or on a `LocalCluster` of `workers` processes (one
    thread each; default: cores) started on enter and closed on exit.

    Retries: Dask itself reruns the tasks of a lost worker (up to the scheduler's
    `distributed.scheduler.allowed-failures`) and, with `retries=`, a task that raised. A task
    Dask gave up on because its workers kept dying (`KilledWorker`) is submitted again, up to
    `retries` times.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        workers: int | None = None,
        retries: int = DEFAULT_RETRIES,
    ) -> None:
        self.address = address
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.retries = retries
        self.cluster: LocalCluster | None = None
        self._client: Client | None = None
        self.description = (
            f"Dask scheduler at {address}"
            if address
            else f"Dask LocalCluster of {self.workers} worker process"
            f"{'es' if self.workers > 1 else ''}"
        )

    @property
    def client(self) -> Client:
        if self._client is None:
            raise RuntimeError("enter the executor (`with executor:`) before using its client")
        return self._client

    @property
    def dashboard_link(self) -> str | None:
        return str(self.client.dashboard_link) if self._client is not None else None

    def slots_per_host(self) -> int | None:
        # a local cluster's workers share this machine; a remote worker's share is its own
        return self.workers if self.address is None else None

    def __enter__(self) -> Executor:
        if self.address is None:
            self.cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True
            )
            self._client = Client(self.cluster)
            return self
        try:
            self._client = Client(f"tcp://{self.address}", timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError) as error:
            raise ExecutorUnavailableError(
                f"cannot reach the Dask scheduler at {self.address} ({_reason(error)}); start "
                "one with `dask scheduler`, or check the address and port"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def map(
        self, task: Callable[[T], R], items: Sequence[T], on_failure: OnFailure[T, R]
    ) -> Iterator[R]:
        client = self.client
        run = uuid.uuid4().hex[:12]
        index: dict[str, int] = {}
        live: dict[str, Future[R]] = {}
        resubmitted: Counter[int] = Counter()

        def submit(position: int) -> Future[R]:
            # a key per attempt: a task Dask gave up on cannot be submitted again under its key
            key = f"atg-{run}-{position}-{resubmitted[position]}"
            index[key] = position
            future: Future[R] = client.submit(
                task, items[position], key=key, retries=self.retries, pure=False
            )
            live[key] = future
            return future

        futures = [submit(position) for position in range(len(items))]
        completed = as_completed(futures)
        try:
            for future in completed:
                position = index.pop(str(future.key))
                live.pop(str(future.key), None)
                if future.status == "finished":
                    result: R = future.result()
                    future.release()
                    yield result
                elif future.status == "cancelled":
                    raise ExecutorUnavailableError(
                        f"{self.description} cancelled the suite's tasks (scheduler lost?); "
                        "finished entries are stored: continue with --resume"
                    )
                else:
                    error = future.exception()
                    future.release()
                    if isinstance(error, KilledWorker) and resubmitted[position] < self.retries:
                        resubmitted[position] += 1
                        completed.add(submit(position))
                    else:
                        yield on_failure(items[position], _gave_up(error, self.retries))
        finally:
            # on an interrupt, drop what has not finished; what is stored stays for --resume
            if live and client.status == "running":
                client.cancel(list(live.values()))


def _gave_up(error: BaseException | None, retries: int) -> str:
    what = "its workers kept dying" if isinstance(error, KilledWorker) else None
    reason = what or (describe_failure(error) if error else "unknown")
    return f"not evaluated: {reason} ({retries + 1} attempts on Dask)"


def _reason(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
