"""AgenticTestGenerator: generate unit tests with agents and measure how good they are."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("agentic-testgen")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from agentic_testgen.domain import EvalResult, MetricValue, RunOutcome
from agentic_testgen.evals import evaluate_files, evaluate_generated_tests

__all__ = [
    "EvalResult",
    "MetricValue",
    "RunOutcome",
    "__version__",
    "evaluate_files",
    "evaluate_generated_tests",
]
