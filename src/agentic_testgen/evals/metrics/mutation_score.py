"""Mutation score (bug_detection_rate): the share of injected bugs the tests catch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import (
    GeneratedTests,
    MetricValue,
    MutantResult,
    MutantStatus,
    RunOutcome,
    SourceUnit,
)

SURVIVORS_LISTED = 50


def breakdown(mutants: list[MutantResult]) -> dict[str, Any]:
    """Counts by status of `mutants`, and their score (None when none was killed or survived)."""
    counts = {status.value: 0 for status in MutantStatus}
    for mutant in mutants:
        counts[mutant.status.value] += 1
    caught = counts[MutantStatus.KILLED.value] + counts[MutantStatus.TIMEOUT.value]
    judged = caught + counts[MutantStatus.SURVIVED.value]
    return {"mutants": len(mutants), **counts, "score": caught / judged if judged else None}


@dataclass(frozen=True)
class MutationScore:
    """killed / (killed + survived) over the mutants the tests covered; timeouts count as
    killed and are reported apart; mutants no passing test executed are "no coverage" and left
    out of the score (coverage already charges for them). The surviving mutants are listed: they
    are what to read to improve the tests. Counts and score are also given apart for mutants in
    function bodies (`function_level`) and at import time (`module_level`). Absent when mutation
    testing was not run.
    """

    threshold: float = 0.80
    name: str = "mutation_score"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue | None:
        mutation = outcome.mutation
        if mutation is None:
            return None
        survivors = [m for m in mutation.mutants if m.status == MutantStatus.SURVIVED]
        details: dict[str, Any] = {
            "mutants": len(mutation.mutants),
            "killed": mutation.count(MutantStatus.KILLED),
            "timeout": mutation.count(MutantStatus.TIMEOUT),
            "survived": len(survivors),
            "no_coverage": mutation.count(MutantStatus.NO_COVERAGE),
            "not_sampled": mutation.count(MutantStatus.NOT_SAMPLED),
            "errors": mutation.count(MutantStatus.ERROR),
            "sampled": mutation.sampled,
            "seed": mutation.seed,
            "duration_s": mutation.duration_s,
            # mutants in function bodies act when a test calls the code; module-level ones
            # (constants, defaults, decorators, class bodies) act when it is imported
            "function_level": breakdown([m for m in mutation.mutants if not m.import_time]),
            "module_level": breakdown([m for m in mutation.mutants if m.import_time]),
            "surviving_mutants": [
                {
                    "line": m.line,
                    "operator": m.operator,
                    "original": m.original,
                    "mutated": m.mutated,
                    "import_time": m.import_time,
                }
                for m in survivors[:SURVIVORS_LISTED]
            ],
        }
        score = mutation.score
        if score is None:
            details["reason"] = (
                "no mutants to run"
                if not mutation.mutants
                else "no mutant was covered by a passing test"
            )
            value = 1.0 if not mutation.mutants else 0.0
        else:
            value = score
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)
