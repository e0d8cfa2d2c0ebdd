"""The `Executor` seam: run a task over items, yield results as they finish, retry lost tasks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from agentic_testgen.errors import ExecutorUnavailableError

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_RETRIES = 2
DASK_SCHEME = "dask://"
DASK_PORT = 8786  # the port `dask scheduler` listens on by default

# what the executor yields for an item whose task failed for good: the caller decides its shape
OnFailure = Callable[[T, str], R]


@runtime_checkable
class Executor(Protocol):
    """Runs `task(item)` for every item, in parallel, and yields each result as it finishes.

    A task that fails for a reason outside the task's own work (its worker died, an exception
    escaped it) is run again up to `retries` times; past that, `on_failure(item, reason)` is
    yielded in its place, so every item yields exactly once. An executor is a context manager:
    what it starts (a cluster, a connection) is stopped on exit.
    """

    description: str

    def map(
        self, task: Callable[[T], R], items: Sequence[T], on_failure: OnFailure[T, R]
    ) -> Iterator[R]: ...

    def slots_per_host(self) -> int | None:
        """How many tasks run at once on one machine, when known (to share its cores)."""
        ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


@dataclass(frozen=True)
class ExecutorChoice:
    """A parsed `--executor`: `local`, `dask-local`, or `dask` with a scheduler address."""

    kind: str
    address: str | None = None

    def __str__(self) -> str:
        return self.kind if self.address is None else f"{DASK_SCHEME}{self.address}"


def parse_executor(spec: str) -> ExecutorChoice:
    """`local` | `dask-local` | `dask://HOST[:PORT]` (port 8786 by default).

    Raises:
        ValueError: anything else, in one line that names the accepted forms.
    """
    text = spec.strip()
    if text in {"local", "dask-local"}:
        return ExecutorChoice(text)
    if text.startswith(DASK_SCHEME):
        address = text.removeprefix(DASK_SCHEME)
        host, _, port = address.rpartition(":") if ":" in address else (address, "", "")
        if host and "/" not in address and (not port or port.isdigit()):
            return ExecutorChoice("dask", f"{host}:{port or DASK_PORT}")
    raise ValueError(
        f"--executor {spec!r}: unknown executor; use local, dask-local or dask://HOST:PORT"
    )


def open_executor(
    choice: ExecutorChoice, *, jobs: int | None = None, retries: int = DEFAULT_RETRIES
) -> Executor:
    """The executor for `choice`, not yet entered. `jobs`: local processes, or the worker
    processes of a `dask-local` cluster (default: cores); a remote cluster has its own workers.

    Raises:
        ExecutorUnavailableError: Dask is chosen and not installed.
    """
    if choice.kind == "local":
        from agentic_testgen.execution._local import LocalExecutor  # noqa: PLC0415 - no cycle

        return LocalExecutor(jobs, retries=retries)
    try:
        from agentic_testgen.execution._dask import DaskExecutor  # noqa: PLC0415 - optional
    except ImportError:
        raise ExecutorUnavailableError(
            f"--executor {choice}: Dask is not installed; pip install 'agentic-testgen[dask]'"
        ) from None
    return DaskExecutor(choice.address, workers=jobs, retries=retries)
