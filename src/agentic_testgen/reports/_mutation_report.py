"""A run's mutants in the mutation-testing-report-schema format (schema version 2).

The format StrykerJS, Stryker.NET, Stryker4s, PIT's report plugin and Infection write, read by
the `mutation-testing-elements` viewer and the Stryker dashboard: one file entry for the module
(its source and every mutant with its location, operator, replacement and status) and one test
file entry (each test by node id, so `killedBy` and `coveredBy` name them).
"""

from __future__ import annotations

from typing import Any

from agentic_testgen.domain import (
    GeneratedTests,
    MutantResult,
    MutantStatus,
    RunOutcome,
    SourceUnit,
    TestOutcome,
)

SCHEMA_VERSION = "2"
# the viewer colours the score: green from `high`, red below `low` (percentages)
THRESHOLDS = {"high": 80, "low": 60}
STATUS = {
    MutantStatus.KILLED: "Killed",
    MutantStatus.SURVIVED: "Survived",
    MutantStatus.TIMEOUT: "Timeout",
    MutantStatus.NO_COVERAGE: "NoCoverage",
    MutantStatus.NOT_SAMPLED: "Ignored",
    MutantStatus.ERROR: "RuntimeError",
}
# the schema's mutator names are free text; ours are the engine's operator names
LANGUAGE_NAMES = {"python": "python", "javascript": "javascript", "java": "java"}


def _column(line_text: str, byte_offset: int) -> int:
    """A 0-based byte offset into a line as the schema's 1-based character column."""
    return len(line_text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore")) + 1


def _location(mutant: MutantResult, lines: list[str]) -> dict[str, Any]:
    def text_of(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    start = {"line": max(mutant.line, 1), "column": _column(text_of(mutant.line), mutant.col)}
    if mutant.end_line:
        end_line, end_col = mutant.end_line, _column(text_of(mutant.end_line), mutant.end_col)
    else:  # an engine that does not know where the code ends: as far as its text goes
        original = mutant.original.splitlines() or [""]
        end_line = start["line"] + len(original) - 1
        end_col = (start["column"] if len(original) == 1 else 1) + len(original[-1])
    return {"start": start, "end": {"line": end_line, "column": max(end_col, 1)}}


def _covered_by(mutant: MutantResult, outcome: RunOutcome) -> list[str]:
    if mutant.import_time:
        return [t.nodeid for t in outcome.tests if t.outcome == TestOutcome.PASSED]
    return [t.nodeid for t in outcome.tests if mutant.line in t.lines]


def mutation_testing_report(
    source: SourceUnit, tests: GeneratedTests, outcome: RunOutcome
) -> dict[str, Any] | None:
    """The report of `outcome`'s mutants, or None when mutation testing did not run."""
    mutation = outcome.mutation
    if mutation is None:
        return None
    lines = source.code.splitlines()
    mutants = []
    for mutant in mutation.mutants:
        record: dict[str, Any] = {
            "id": str(mutant.id),
            "mutatorName": mutant.operator,
            "replacement": mutant.mutated,
            "description": f"{mutant.original} -> {mutant.mutated}",
            "location": _location(mutant, lines),
            "status": STATUS[mutant.status],
            "static": mutant.import_time,
            "coveredBy": _covered_by(mutant, outcome),
            "testsCompleted": mutant.tests_run,
            "duration": round(mutant.duration_s * 1000, 3),
        }
        if mutant.killed_by:
            record["killedBy"] = [mutant.killed_by]
        if mutant.status == MutantStatus.NOT_SAMPLED:
            record["statusReason"] = "left out of the seeded sample"
        mutants.append(record)
    tests_file = tests.path or tests.filename
    return {
        "schemaVersion": SCHEMA_VERSION,
        "thresholds": THRESHOLDS,
        "files": {
            source.path: {
                "language": LANGUAGE_NAMES.get(source.language.value, source.language.value),
                "source": source.code,
                "mutants": mutants,
            }
        },
        "testFiles": {
            tests_file: {
                "source": tests.code,
                "tests": [{"id": t.nodeid, "name": t.nodeid} for t in outcome.tests],
            }
        },
        "framework": {"name": "atg"},
        "config": {"sampled": mutation.sampled, "seed": mutation.seed},
    }
