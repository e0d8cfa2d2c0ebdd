"""Metric calculators, one module each, registered by name."""

from __future__ import annotations

from collections.abc import Callable

from agentic_testgen.evals.metrics._protocol import MetricCalculator
from agentic_testgen.evals.metrics.assertions import Assertions
from agentic_testgen.evals.metrics.completeness import Completeness
from agentic_testgen.evals.metrics.correctness import Correctness
from agentic_testgen.evals.metrics.coverage import Coverage
from agentic_testgen.evals.metrics.determinism import Determinism
from agentic_testgen.evals.metrics.mutation_score import MutationScore
from agentic_testgen.evals.metrics.pass_rate import PassRate
from agentic_testgen.evals.metrics.readability import Readability

# name -> factory taking an optional `threshold=` keyword
METRICS: dict[str, Callable[..., MetricCalculator]] = {
    "correctness": Correctness,
    "pass_rate": PassRate,
    "coverage": Coverage,
    "completeness": Completeness,
    "assertions": Assertions,
    "determinism": Determinism,
    "readability": Readability,
    "mutation_score": MutationScore,
}

__all__ = [
    "METRICS",
    "Assertions",
    "Completeness",
    "Correctness",
    "Coverage",
    "Determinism",
    "MetricCalculator",
    "MutationScore",
    "PassRate",
    "Readability",
]
