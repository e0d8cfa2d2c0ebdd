"""Evaluate several (test file, module) pairs once each, and show them as one compact table."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentic_testgen.config import load_settings
from agentic_testgen.domain import GOAL, EvalResult
from agentic_testgen.evals import evaluate_files
from agentic_testgen.integrations._targets import Target, Untargeted
from agentic_testgen.reports import result_json
from agentic_testgen.sandbox import SandboxUnavailableError, get_sandbox

JSON_SCHEMA = "atg-batch/1"
COLUMNS = ("file", "module", "score", "level", "coverage", "pass rate", "mutation")


@dataclass(frozen=True)
class Evaluation:
    """One pair's evaluation: its result, or the one-line error that stopped it."""

    target: Target
    result: EvalResult | None = None
    error: str | None = None

    def metric(self, name: str) -> float | None:
        metric = self.result.metrics.get(name) if self.result else None
        return metric.value if metric else None

    def below(self, fail_under: float | None) -> bool:
        """Below the `--fail-under` score; an evaluation that failed counts as below."""
        if fail_under is None:
            return False
        return self.result is None or self.result.score < fail_under


def evaluate_targets(
    targets: Iterable[Target],
    *,
    mutation: bool | None = None,
    on_start: Callable[[Target], None] = lambda target: None,
    on_warning: Callable[[str], None] = lambda message: None,
) -> list[Evaluation]:
    """Evaluate each distinct (test file, module) pair once, with the settings of its project.

    The tests run in atg's sandbox (see `agentic_testgen.projects`), never in this process.
    `mutation=False` skips mutation testing whatever the settings say.
    """
    evaluations: dict[tuple[Path, Path], Evaluation] = {}
    warned: set[str] = set()
    for target in targets:
        key = (target.tests, target.module)
        if key in evaluations:
            continue
        on_start(target)
        overrides: dict[str, Any] = {"run": {"mutation": False}} if mutation is False else {}
        try:
            settings = load_settings(target.module, **overrides)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                sandbox = get_sandbox(settings.run.sandbox)
            for warning in caught:
                if str(warning.message) not in warned:
                    warned.add(str(warning.message))
                    on_warning(str(warning.message))
            result = evaluate_files(target.module, target.tests, settings=settings, sandbox=sandbox)
        except (ValueError, SandboxUnavailableError) as error:
            evaluations[key] = Evaluation(target, error=str(error))
        else:
            evaluations[key] = Evaluation(target, result=result)
    return list(evaluations.values())


def _relative(path: Path, base: Path) -> str:
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table_rows(evaluations: Sequence[Evaluation], base: Path) -> list[tuple[str, ...]]:
    """One row per evaluation, in `COLUMNS` order; paths relative to `base`."""
    rows: list[tuple[str, ...]] = []
    for evaluation in evaluations:
        target, result = evaluation.target, evaluation.result
        names = (_relative(target.tests, base), target.module_name)
        if result is None:
            rows.append((*names, "error", "", "", "", ""))
            continue
        rows.append(
            (
                *names,
                f"{result.score:.3f}",
                result.quality_level,
                _figure(evaluation.metric("coverage")),
                _figure(evaluation.metric("pass_rate")),
                _figure(evaluation.metric("mutation_score")),
            )
        )
    return rows


def table_lines(evaluations: Sequence[Evaluation], base: Path) -> list[str]:
    """The compact table as aligned text lines, header first."""
    rows = [COLUMNS, *table_rows(evaluations, base)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    numeric = {2, 4, 5, 6}
    return [
        "  ".join(
            cell.rjust(width) if column in numeric else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def goals(evaluations: Sequence[Evaluation]) -> dict[str, tuple[float, bool]]:
    """The 90% coverage and 90% pass-rate goals on the means over the evaluated pairs."""
    done = [evaluation for evaluation in evaluations if evaluation.result is not None]
    means: dict[str, tuple[float, bool]] = {}
    for name in ("coverage", "pass_rate"):
        values = [evaluation.metric(name) or 0.0 for evaluation in done]
        mean = sum(values) / len(values) if values else 0.0
        means[name] = (mean, bool(values) and mean >= GOAL)
    return means


def goal_line(evaluations: Sequence[Evaluation]) -> str:
    """e.g. `goal 90/90: coverage 0.95 >= 0.90 met, pass_rate 0.80 < 0.90 missed (mean of 2)`."""
    done = sum(1 for evaluation in evaluations if evaluation.result is not None)
    parts = [
        f"{name} {mean:.2f} {'>=' if met else '<'} {GOAL:.2f} {'met' if met else 'missed'}"
        for name, (mean, met) in goals(evaluations).items()
    ]
    return f"goal 90/90: {', '.join(parts)} (mean of {done})"


def batch_json(
    evaluations: Sequence[Evaluation],
    base: Path,
    *,
    untargeted: Sequence[Untargeted] = (),
    fail_under: float | None = None,
) -> dict[str, Any]:
    """Every evaluation with its full result, the goals and the test files left out."""
    means = goals(evaluations)
    return {
        "schema": JSON_SCHEMA,
        "goal": GOAL,
        "goals": {name: {"mean": mean, "met": met} for name, (mean, met) in means.items()},
        "fail_under": fail_under,
        "evaluations": [
            {
                "tests": _relative(evaluation.target.tests, base),
                "module": evaluation.target.module_name,
                "source": _relative(evaluation.target.module, base),
                "score": evaluation.result.score if evaluation.result else None,
                "quality_level": evaluation.result.quality_level if evaluation.result else None,
                "coverage": evaluation.metric("coverage"),
                "pass_rate": evaluation.metric("pass_rate"),
                "mutation_score": evaluation.metric("mutation_score"),
                "below_fail_under": evaluation.below(fail_under),
                "error": evaluation.error,
                "result": result_json(evaluation.result) if evaluation.result else None,
            }
            for evaluation in evaluations
        ],
        "not_evaluated": [
            {"tests": _relative(item.tests, base), "reason": item.reason} for item in untargeted
        ],
    }


def write_batch_json(document: dict[str, Any], path: Path) -> None:
    """Write the document (parent directories are created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
