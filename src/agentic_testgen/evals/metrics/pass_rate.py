"""Pass rate: passing tests over tests run, by the runner's own verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import GeneratedTests, MetricValue, RunOutcome, SourceUnit, TestOutcome

NOT_RUN = {TestOutcome.SKIPPED, TestOutcome.XFAIL, TestOutcome.XPASS}


@dataclass(frozen=True)
class PassRate:
    """Passed / run, from the instrumented run.

    Skipped and expected-failure tests are not "run" and are reported apart; each collection error
    counts as one test that did not pass, so a file that cannot be imported scores 0.
    """

    threshold: float = 0.90
    name: str = "pass_rate"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        counts = Counter(test.outcome.value for test in outcome.tests)
        run = [test for test in outcome.tests if test.outcome not in NOT_RUN]
        passed = sum(test.outcome == TestOutcome.PASSED for test in run)
        total = len(run) + len(outcome.collection_errors)
        details: dict[str, Any] = {
            "passed": passed,
            "run": total,
            "outcomes": dict(sorted(counts.items())),
            "collection_errors": len(outcome.collection_errors),
            "not_passing": [test.nodeid for test in run if test.outcome != TestOutcome.PASSED],
        }
        value = passed / total if total else 0.0
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)
