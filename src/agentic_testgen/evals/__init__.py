"""Evaluations: run tests once, derive every metric from that run, score the result."""

from agentic_testgen.errors import InputFileError
from agentic_testgen.evals._evaluate import (
    evaluate,
    evaluate_files,
    evaluate_generated_tests,
    evaluate_run,
    load_inputs,
    run_options,
)
from agentic_testgen.evals.scoring import compute_metrics, score_run, weighted_score

__all__ = [
    "InputFileError",
    "compute_metrics",
    "evaluate",
    "evaluate_files",
    "evaluate_generated_tests",
    "evaluate_run",
    "load_inputs",
    "run_options",
    "score_run",
    "weighted_score",
]
