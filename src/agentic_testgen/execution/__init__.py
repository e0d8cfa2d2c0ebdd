"""Executors: where a suite's entries run — a local process pool (default) or a Dask cluster.

Only the local pool is imported here; Dask is imported when a Dask executor is opened, so a
command that runs locally never pays for it.
"""

from agentic_testgen.execution._executor import (
    DEFAULT_RETRIES,
    Executor,
    ExecutorChoice,
    OnFailure,
    open_executor,
    parse_executor,
)
from agentic_testgen.execution._local import LocalExecutor, die_with_parent, workers_can_start

__all__ = [
    "DEFAULT_RETRIES",
    "Executor",
    "ExecutorChoice",
    "LocalExecutor",
    "OnFailure",
    "die_with_parent",
    "open_executor",
    "parse_executor",
    "workers_can_start",
]
