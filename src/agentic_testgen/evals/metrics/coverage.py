"""Coverage: coverage.py's own line and branch figures for the module under test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import GeneratedTests, MetricValue, RunOutcome, SourceUnit


@dataclass(frozen=True)
class Coverage:
    """coverage.py's total: (covered lines + covered branches) / (statements + branches).

    The figures are never re-estimated: they are what `coverage json` reports for the file.
    """

    threshold: float = 0.90
    name: str = "coverage"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        measured = outcome.coverage
        if measured is None or not outcome.tests:
            details: dict[str, Any] = {"line_rate": 0.0, "branch_rate": 0.0}
            # an empty module "fully covered" by tests that never ran is not coverage
            details["reason"] = "no test ran" if not outcome.tests else "the module never ran"
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        details = {
            "line_rate": measured.line_rate,
            "branch_rate": measured.branch_rate,
            "percent_covered": measured.percent_covered,
            "num_statements": measured.num_statements,
            "covered_lines": measured.covered_lines,
            "num_branches": measured.num_branches,
            "covered_branches": measured.covered_branches,
            "missing_lines": list(measured.missing_lines),
            "missing_branches": [list(arc) for arc in measured.missing_branches],
        }
        value = min(max(measured.percent_covered / 100.0, 0.0), 1.0)
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)
