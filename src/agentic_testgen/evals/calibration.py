"""Score calibration: does the score rank a labeled set of test files as their mutation score does?

A labeled set (`labels.yaml` beside modules and their test files) is evaluated once; each file's
metric values are kept, so any weights and gates can be judged against the same evidence without
running anything again. The truth the score is held to is the mutation score (a file whose
mutants could not run, because none of its tests passed reliably, counts as 0: it catches
nothing). The figures are reported twice: with the weights as they are, and with mutation_score
left out of the score, so the agreement is not simply the mutation score agreeing with itself.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from agentic_testgen.config import QUALITY_LEVEL_NAMES, ScoringSettings, Settings
from agentic_testgen.domain import MetricValue
from agentic_testgen.evals._evaluate import evaluate_files
from agentic_testgen.evals._stats import spearman
from agentic_testgen.evals.scoring import quality_level, weighted_score

LABELS = ("strong", "partial", "assertion-free", "wrong", "flaky")
# Levels a file under the coverage gate must never reach (the acceptance rule).
GOOD_LEVELS = ("excellent", "good")
COVERAGE_FOR_GOOD = 0.50


class LabelsError(ValueError):
    """The labels file cannot be used; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class LabeledFile:
    """One test file of the set: its module, its label and its expected rank group (1 best)."""

    tests: Path
    module: Path
    label: str
    rank_group: int


@dataclass(frozen=True)
class CalibrationRecord:
    """What one evaluation of a labeled file gave: every metric's value and the mutation counts."""

    tests: str
    module: str
    label: str
    rank_group: int
    metrics: dict[str, float]
    mutants: dict[str, int] = field(default_factory=dict)

    @property
    def true_mutation_score(self) -> float:
        """The mutation score, 0 when no mutant could run (no reliably passing test)."""
        return self.metrics.get("mutation_score", 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "tests": self.tests,
            "module": self.module,
            "label": self.label,
            "rank_group": self.rank_group,
            "metrics": self.metrics,
            "mutants": self.mutants,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CalibrationRecord:
        return cls(
            tests=data["tests"],
            module=data["module"],
            label=data["label"],
            rank_group=int(data["rank_group"]),
            metrics={name: float(value) for name, value in data["metrics"].items()},
            mutants={name: int(value) for name, value in data.get("mutants", {}).items()},
        )


@dataclass(frozen=True)
class Scored:
    """A record scored under some settings: its score, level and the gates that capped it."""

    record: CalibrationRecord
    score: float
    level: str
    capped_by: dict[str, float]


@dataclass(frozen=True)
class CalibrationReport:
    """How well scores under one `ScoringSettings` rank the set.

    Attributes:
        spearman: rank correlation of the score with the mutation score.
        spearman_without_mutation: the same with mutation_score's weight set to 0.
        spearman_with_rank_group: rank correlation of the score with the expected order
            (rank group 1 best, so its sign is flipped: higher is better).
        label_ranges: label -> (lowest, median, highest) score.
        gate_violations: files under 50 % coverage rated good or excellent.
        scored: every file, scored.
    """

    spearman: float
    spearman_without_mutation: float
    spearman_with_rank_group: float
    label_ranges: dict[str, tuple[float, float, float]]
    gate_violations: tuple[Scored, ...]
    scored: tuple[Scored, ...]


def load_labels(path: Path) -> list[LabeledFile]:
    """Read `labels.yaml`: `files:` a list of {tests, module, label, rank_group}, paths relative
    to the labels file.

    Raises:
        LabelsError: the file is missing, not YAML of that shape, or names a missing file.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LabelsError(f"{path}: cannot read the labels ({error})") from None
    entries = data.get("files") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise LabelsError(f"{path}: expected a non-empty list under 'files:'")
    labeled = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: entry {number}"
        if not isinstance(entry, dict) or not {"tests", "module", "label"} <= entry.keys():
            raise LabelsError(f"{where}: needs tests, module and label")
        if entry["label"] not in LABELS:
            raise LabelsError(f"{where}: unknown label {entry['label']!r}; use one of {LABELS}")
        tests, module = path.parent / str(entry["tests"]), path.parent / str(entry["module"])
        for file in (tests, module):
            if not file.is_file():
                raise LabelsError(f"{where}: {file} does not exist")
        labeled.append(
            LabeledFile(tests, module, str(entry["label"]), int(entry.get("rank_group", 0)))
        )
    return labeled


def evaluate_labeled(
    labeled: Sequence[LabeledFile],
    settings: Settings,
    *,
    root: Path,
    progress: Callable[[LabeledFile, CalibrationRecord], None] | None = None,
) -> list[CalibrationRecord]:
    """Evaluate every labeled file for real (one at a time) and keep its metric values."""
    records = []
    for item in labeled:
        result = evaluate_files(item.module, item.tests, settings=settings)
        mutation = result.metrics.get("mutation_score")
        mutants = {}
        if mutation is not None:
            keys = ("killed", "timeout", "survived", "no_coverage")
            mutants = {key: int(mutation.details.get(key, 0)) for key in keys}
        record = CalibrationRecord(
            tests=item.tests.relative_to(root).as_posix(),
            module=item.module.relative_to(root).as_posix(),
            label=item.label,
            rank_group=item.rank_group,
            metrics={name: metric.value for name, metric in result.metrics.items()},
            mutants=mutants,
        )
        records.append(record)
        if progress is not None:
            progress(item, record)
    return records


def score_record(record: CalibrationRecord, scoring: ScoringSettings) -> Scored:
    """Score one record's stored metric values as `score_run` would."""
    metrics = {
        name: MetricValue(name=name, value=value, threshold=0.0)
        for name, value in record.metrics.items()
    }
    score = weighted_score(metrics, scoring.weights)
    level, capped_by = quality_level(score, metrics, scoring)
    return Scored(record, score, level, capped_by)


def without_mutation(scoring: ScoringSettings) -> ScoringSettings:
    """The same settings with mutation_score out of the score (its gate is kept)."""
    return scoring.model_copy(update={"weights": {**scoring.weights, "mutation_score": 0.0}})


def calibration_report(
    records: Sequence[CalibrationRecord], scoring: ScoringSettings
) -> CalibrationReport:
    """Rank agreement, per-label score ranges and gate violations of `records` under `scoring`."""
    scored = tuple(score_record(record, scoring) for record in records)
    scores = [item.score for item in scored]
    truth = [record.true_mutation_score for record in records]
    plain = [score_record(record, without_mutation(scoring)).score for record in records]
    expected = [-float(record.rank_group) for record in records]
    ranges = {}
    for label in LABELS:
        values = [item.score for item in scored if item.record.label == label]
        if values:
            ranges[label] = (min(values), statistics.median(values), max(values))
    violations = tuple(
        item
        for item in scored
        if item.record.metrics.get("coverage", 0.0) < COVERAGE_FOR_GOOD
        and item.level in GOOD_LEVELS
    )
    return CalibrationReport(
        spearman=spearman(scores, truth),
        spearman_without_mutation=spearman(plain, truth),
        spearman_with_rank_group=spearman(scores, expected),
        label_ranges=ranges,
        gate_violations=violations,
        scored=scored,
    )


def level_counts(report: CalibrationReport) -> dict[str, dict[str, int]]:
    """label -> quality level -> number of files."""
    counts: dict[str, dict[str, int]] = {}
    for item in report.scored:
        per_label = counts.setdefault(item.record.label, dict.fromkeys(QUALITY_LEVEL_NAMES, 0))
        per_label[item.level] += 1
    return counts
