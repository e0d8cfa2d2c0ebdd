"""Mutation score: killed over killed and survived, module-level mutants reported apart."""

from __future__ import annotations

from agentic_testgen.domain import MutantResult, MutantStatus, MutationOutcome
from agentic_testgen.evals.metrics import MutationScore
from tests.evals.metrics._outcomes import code_of, run, source


def mutant(number: int, status: MutantStatus, *, import_time: bool = False) -> MutantResult:
    return MutantResult(
        id=number,
        line=number,
        col=0,
        operator="number",
        original="1",
        mutated="2",
        status=status,
        import_time=import_time,
    )


def test_mutants_at_import_time_are_counted_apart_from_those_in_functions() -> None:
    mutation = MutationOutcome(
        mutants=(
            mutant(1, MutantStatus.KILLED),
            mutant(2, MutantStatus.KILLED),
            mutant(3, MutantStatus.SURVIVED),
            mutant(4, MutantStatus.NO_COVERAGE),
            mutant(5, MutantStatus.SURVIVED, import_time=True),
            mutant(6, MutantStatus.TIMEOUT, import_time=True),
        )
    )
    metric = MutationScore().compute(run(mutation=mutation), source(), code_of(""))
    assert metric is not None
    assert metric.value == 3 / 5  # the score itself is over every mutant
    function_level, module_level = metric.details["function_level"], metric.details["module_level"]
    assert (function_level["mutants"], function_level["killed"]) == (4, 2)
    assert (function_level["survived"], function_level["no_coverage"]) == (1, 1)
    assert function_level["score"] == 2 / 3
    assert (module_level["mutants"], module_level["timeout"], module_level["survived"]) == (2, 1, 1)
    assert module_level["score"] == 0.5
    assert [m["import_time"] for m in metric.details["surviving_mutants"]] == [False, True]


def test_a_level_without_killed_or_surviving_mutants_has_no_score() -> None:
    mutation = MutationOutcome(mutants=(mutant(1, MutantStatus.KILLED),))
    metric = MutationScore().compute(run(mutation=mutation), source(), code_of(""))
    assert metric is not None
    assert metric.details["module_level"] == {
        "mutants": 0,
        "killed": 0,
        "survived": 0,
        "timeout": 0,
        "no_coverage": 0,
        "not_sampled": 0,
        "error": 0,
        "score": None,
    }
