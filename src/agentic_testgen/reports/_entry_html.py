"""An entry's own page: its module annotated like coverage.py's htmlcov, its tests, its score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coverage.exceptions import CoverageException
from coverage.parser import PythonParser

from agentic_testgen.domain import EvalResult
from agentic_testgen.reports._templates import render_template

# The line classes coverage.py's htmlcov uses: run, missed, partially run (a branch not taken).
RUN, MISSED, PARTIAL = "run", "mis", "par"


@dataclass(frozen=True)
class SurvivingMutant:
    operator: str
    original: str
    mutated: str
    import_time: bool


@dataclass(frozen=True)
class SourceLine:
    """One line of the module: its number, text, coverage status ('' when not a statement),
    the branches from it no test took, and the mutants on it that no test killed."""

    number: int
    text: str
    status: str
    missed_branches: tuple[str, ...]
    mutants: tuple[SurvivingMutant, ...]


@dataclass(frozen=True)
class ScoreTerm:
    """One metric's share of the score: value x weight / the sum of the weights used."""

    name: str
    value: float
    threshold: float
    passed: bool
    weight: float
    contribution: float


def _statements(code: str) -> set[int] | None:
    """The module's statement lines as coverage.py counts them; None when it does not parse."""
    try:
        parser = PythonParser(text=code)
        parser.parse_source()
    except (CoverageException, SyntaxError, ValueError):
        return None
    return set(parser.statements)


def _branch_text(target: int, language: str) -> str:
    """coverage.py names a branch by the line it goes to; c8 and JaCoCo by its index on the
    line (`languages/javascript`, `languages/java`)."""
    if language != "python":
        return f"branch {target + 1}"
    return "the exit" if target < 0 else f"line {target}"


def annotate_source(
    code: str, coverage: Mapping[str, Any], mutation: Mapping[str, Any], language: str = "python"
) -> tuple[SourceLine, ...]:
    """The module's lines with coverage.py's verdict and the surviving mutants on each.

    `coverage` and `mutation` are the `details` of the coverage and mutation_score metrics
    (empty when the metric did not run); a line is run, missed or partial only when coverage
    measured the module.
    """
    measured = "missing_lines" in coverage
    missing = set(coverage.get("missing_lines", ()))
    missed_arcs: dict[int, list[int]] = {}
    for source, target in coverage.get("missing_branches", ()):
        missed_arcs.setdefault(int(source), []).append(int(target))
    statements = _statements(code) if measured and language == "python" else None
    mutants: dict[int, list[SurvivingMutant]] = {}
    for mutant in mutation.get("surviving_mutants", ()):
        mutants.setdefault(int(mutant["line"]), []).append(
            SurvivingMutant(
                operator=str(mutant["operator"]),
                original=str(mutant["original"]),
                mutated=str(mutant["mutated"]),
                import_time=bool(mutant.get("import_time", False)),
            )
        )
    lines = []
    for number, text in enumerate(code.splitlines(), start=1):
        status = ""
        if number in missing:
            status = MISSED
        elif number in missed_arcs:
            status = PARTIAL
        elif measured and statements is not None and number in statements:
            status = RUN
        lines.append(
            SourceLine(
                number=number,
                text=text,
                status=status,
                missed_branches=tuple(
                    _branch_text(target, language) for target in missed_arcs.get(number, ())
                )
                if status == PARTIAL
                else (),
                mutants=tuple(mutants.get(number, ())),
            )
        )
    return tuple(lines)


def score_terms(result: EvalResult) -> tuple[ScoreTerm, ...]:
    """Each metric's share of the weighted score, in the order the result lists them."""
    used = {
        name: weight
        for name, weight in result.weights.items()
        if name in result.metrics and weight > 0
    }
    total = sum(used.values())
    return tuple(
        ScoreTerm(
            name=name,
            value=metric.value,
            threshold=metric.threshold,
            passed=metric.passed,
            weight=result.weights.get(name, 0.0),
            contribution=metric.value * used[name] / total if total and name in used else 0.0,
        )
        for name, metric in result.metrics.items()
    )


def _details(result: EvalResult, metric: str) -> Mapping[str, Any]:
    value = result.metrics.get(metric)
    return value.details if value is not None else {}


def render_entry_html(
    result: EvalResult,
    *,
    title: str,
    module_code: str | None,
    back_link: str | None = None,
    context: Sequence[tuple[str, str]] = (),
) -> str:
    """The page of one evaluation.

    Args:
        result: the evaluation.
        title: what the page is about (an entry id, or the module's path).
        module_code: the module's text; None when it was not stored (older results), and the
            page says so instead of annotating it.
        back_link: a relative link to the suite page, when there is one.
        context: extra (label, value) pairs for the header (suite, dataset, generator, ...).
    """
    coverage = _details(result, "coverage")
    mutation = _details(result, "mutation_score")
    lines = (
        annotate_source(module_code, coverage, mutation, result.language.value)
        if module_code is not None
        else None
    )
    return render_template(
        "entry.html.j2",
        result=result,
        title=title,
        back_link=back_link,
        context=context,
        lines=lines,
        coverage=coverage,
        mutation=mutation,
        counts={
            status: sum(1 for line in lines or () if line.status == status)
            for status in (RUN, MISSED, PARTIAL)
        },
        terms=score_terms(result),
        weight_total=sum(
            weight
            for name, weight in result.weights.items()
            if name in result.metrics and weight > 0
        ),
    )
