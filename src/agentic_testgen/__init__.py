"""AgenticTestGenerator: generate unit tests with agents and measure how good they are."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("agentic-testgen")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EvalResult",
    "EvalRunner",
    "MetricValue",
    "RunOutcome",
    "__version__",
    "evaluate_files",
    "evaluate_generated_tests",
]
