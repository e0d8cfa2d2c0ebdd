"""What every language's mutation runner shares: which mutants run (the seeded sample), how
long a mutant's tests may take, and the result record of a mutant.

The runners themselves differ by runtime (a forked pytest, a node process, a JVM's class
loaders); these rules do not, so a score means the same in every language.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from agentic_testgen.domain import MutantResult, MutantStatus, TestResult
from agentic_testgen.languages._protocol import RunOptions

# A mutant may take this many times as long as its tests did unmutated, plus an allowance
# that each runtime sets (its cost of loading a mutant)
TIMEOUT_FACTOR = 10.0


class AnyMutant(Protocol):
    """The fields of a mutant (Python's AST mutants and the text mutants alike)."""

    @property
    def id(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def col(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_col(self) -> int: ...
    @property
    def operator(self) -> str: ...
    @property
    def original(self) -> str: ...
    @property
    def mutated(self) -> str: ...
    @property
    def import_time(self) -> bool: ...


M = TypeVar("M", bound="AnyMutant")


def to_run(
    mutants: Sequence[M],
    sampled: set[int],
    covering: Callable[[M], list[TestResult]],
    results: dict[int, MutantResult],
    *,
    skip: frozenset[int] = frozenset(),
) -> Iterator[tuple[M, list[TestResult]]]:
    """Each mutant that runs, with the tests that covered it. The others get their verdict in
    `results` here: not sampled (or in `skip`, known killed already), or covered by no test."""
    for mutant in mutants:
        if mutant.id not in sampled or mutant.id in skip:
            results[mutant.id] = mutant_result(mutant, MutantStatus.NOT_SAMPLED)
            continue
        tests = covering(mutant)
        if not tests:
            results[mutant.id] = mutant_result(mutant, MutantStatus.NO_COVERAGE)
            continue
        yield mutant, tests


def sampled_ids(mutants: Sequence[AnyMutant], options: RunOptions) -> set[int]:
    """The mutants that run: all, or `options.max_mutants` drawn with `options.mutation_seed`
    (the same draw for the same module, so runs compare)."""
    if options.max_mutants is None or len(mutants) <= options.max_mutants:
        return {mutant.id for mutant in mutants}
    chosen = random.Random(options.mutation_seed).sample(list(mutants), options.max_mutants)
    return {mutant.id for mutant in chosen}


def time_limit(tests: list[TestResult], options: RunOptions, allowance_s: float) -> float:
    """How long a mutant's tests may run: `TIMEOUT_FACTOR` times their measured durations plus
    the runtime's allowance, at most `test_timeout_s` per test."""
    spent = sum(test.duration_s for test in tests)
    return min(TIMEOUT_FACTOR * spent + allowance_s, options.test_timeout_s * max(len(tests), 1))


def mutant_result(mutant: AnyMutant, status: MutantStatus, **fields: Any) -> MutantResult:
    """A mutant's verdict, with where it is and what it changed."""
    return MutantResult(
        id=mutant.id,
        line=mutant.line,
        col=mutant.col,
        operator=mutant.operator,
        original=mutant.original,
        mutated=mutant.mutated,
        status=status,
        import_time=mutant.import_time,
        end_line=mutant.end_line,
        end_col=mutant.end_col,
        **fields,
    )
