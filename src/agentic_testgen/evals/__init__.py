"""Evaluations: run tests once, derive every metric from that run, score the result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentic_testgen._lazy import lazy_exports
from agentic_testgen.errors import InputFileError

if TYPE_CHECKING:
    from agentic_testgen.evals._evaluate import (
        evaluate,
        evaluate_files,
        evaluate_generated_tests,
        evaluate_run,
        generation_goal,
        load_inputs,
        run_options,
        score_measured,
    )
    from agentic_testgen.evals.scoring import compute_metrics, score_run, weighted_score

# The suite name results are stored under unless one is given (baselines and trends follow it).
DEFAULT_SUITE_NAME = "test_quality"

# Imported on first use: a submodule (the cost attribution, the agents' evaluators, a command's
# options) must not pay for the evaluation, its languages and OpenTelemetry.
_EVALUATE = "agentic_testgen.evals._evaluate"
_SCORING = "agentic_testgen.evals.scoring"
_LAZY = {
    "compute_metrics": _SCORING,
    "evaluate": _EVALUATE,
    "evaluate_files": _EVALUATE,
    "evaluate_generated_tests": _EVALUATE,
    "evaluate_run": _EVALUATE,
    "generation_goal": _EVALUATE,
    "load_inputs": _EVALUATE,
    "run_options": _EVALUATE,
    "score_measured": _EVALUATE,
    "score_run": _SCORING,
    "weighted_score": _SCORING,
}


__getattr__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "DEFAULT_SUITE_NAME",
    "InputFileError",
    "compute_metrics",
    "evaluate",
    "evaluate_files",
    "evaluate_generated_tests",
    "evaluate_run",
    "generation_goal",
    "load_inputs",
    "run_options",
    "score_measured",
    "score_run",
    "weighted_score",
]
