"""AgenticTestGenerator: generate unit tests with agents and measure how good they are."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from agentic_testgen._lazy import lazy_exports

if TYPE_CHECKING:
    __version__: str
    from agentic_testgen.domain import EvalResult, MetricValue, RunOutcome
    from agentic_testgen.evals import evaluate_files, evaluate_generated_tests
    from agentic_testgen.evals.runner import EvalRunner

# Imported on first use: the pytest plugin imports this package in every pytest session of an
# environment where atg is installed, and must not pay for the evaluation code unless asked.
_LAZY = {
    "EvalRunner": "agentic_testgen.evals.runner",
    "EvalResult": "agentic_testgen.domain",
    "MetricValue": "agentic_testgen.domain",
    "RunOutcome": "agentic_testgen.domain",
    "evaluate_files": "agentic_testgen.evals",
    "evaluate_generated_tests": "agentic_testgen.evals",
}


@cache
def _version() -> str:
    # read from the installed metadata when asked: importlib.metadata costs every `atg` start
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("agentic-testgen")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0"


_exported = lazy_exports(__name__, _LAZY)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    return _exported(name)


__all__ = [
    "EvalResult",
    "EvalRunner",
    "MetricValue",
    "RunOutcome",
    "__version__",
    "evaluate_files",
    "evaluate_generated_tests",
]
