"""The metric seam: a pure function of one run, the module and the test code."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from agentic_testgen.domain import GeneratedTests, MetricValue, RunOutcome, SourceUnit


@runtime_checkable
class MetricCalculator(Protocol):
    """Scores one aspect of a test file in [0, 1] from evidence already gathered.

    A calculator never runs anything: everything it knows comes from the `RunOutcome`, the
    source and the test code, so a stored run can be re-scored exactly.
    """

    @property
    def name(self) -> str: ...

    @property
    def threshold(self) -> float: ...

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue | None:
        """The metric's value, threshold and evidence; None when the run gathered no evidence
        for it (e.g. mutation testing was off), so the score leaves it out."""
        ...
