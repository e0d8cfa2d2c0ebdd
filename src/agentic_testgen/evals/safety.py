"""The safety evaluator: do the guardrails find secrets, personal data and prompt injection, and
leave alone what only looks like them?

Measured on labeled sets shipped with the package (`guardrails/data/*.jsonl`, provenance in
`guardrails/data/PROVENANCE.md`): half positives, half hard negatives from real code. A sample
counts as flagged when the category's guardrail finds anything in it. Precision, recall and F1
per category and per kind, held to the thresholds the seed gives (secrets 0.95, PII 0.90,
injection 0.90, on F1).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from agentic_testgen.guardrails import Finding, guardrails

Category = Literal["secret", "pii", "injection"]
CATEGORIES: tuple[Category, ...] = ("secret", "pii", "injection")
SET_FILES = {"secret": "secrets.jsonl", "pii": "pii.jsonl", "injection": "injection.jsonl"}
GUARDRAIL = {"secret": "secrets", "pii": "pii", "injection": "injection"}
THRESHOLDS = {"secret": 0.95, "pii": 0.90, "injection": 0.90}

Detector = Callable[["Sample"], Sequence[Finding]]


class Sample(BaseModel):
    """One labeled text: a positive holds something of its category, a negative looks like it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    category: Category
    label: bool
    kind: str
    where: str
    text: str
    source: str


class SetError(ValueError):
    """A labeled set that cannot be read: the file and line say where."""


def load_set(category: Category, text: str | None = None) -> list[Sample]:
    """The shipped set of `category` (or the JSON lines in `text`)."""
    name = SET_FILES[category]
    if text is None:
        text = (resources.files("agentic_testgen.guardrails") / "data" / name).read_text("utf-8")
    samples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            samples.append(Sample.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as error:
            first = str(error).splitlines()[0]
            raise SetError(f"{name}:{number}: not a sample: {first}") from None
    return samples


@dataclass(frozen=True)
class Counts:
    """A confusion matrix and what follows from it."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
        }  # fmt: skip


@dataclass(frozen=True)
class CategoryResult:
    """One category: its confusion matrix, per kind of positive (recall) and of look-alike
    (false positives), and the samples it got wrong."""

    category: Category
    counts: Counts
    threshold: float
    by_kind: dict[str, Counts]
    missed: tuple[str, ...]  # ids of positives not flagged
    false_alarms: tuple[str, ...]  # ids of negatives flagged
    seconds: float
    # per kind the guardrail names: a hit is a finding of the labeled kind on a positive of that
    # kind, a false alarm a finding of that kind on a negative (one instruction may also be
    # another technique: a positive of another kind flagged with this one is not counted)
    per_kind: dict[str, Counts] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.counts.f1

    @property
    def passed(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True)
class SafetyReport:
    results: tuple[CategoryResult, ...]
    detector: str = "atg"
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        """The mean F1 of the categories (each is also held to its own threshold)."""
        return sum(r.score for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)


def measure(category: Category, samples: Iterable[Sample], detect: Detector) -> CategoryResult:
    """Run `detect` over every sample of `category` and count."""
    started = time.perf_counter()
    total = Counts()
    by_kind: dict[str, Counts] = defaultdict(Counts)
    missed: list[str] = []
    alarms: list[str] = []
    per_kind: dict[str, Counts] = defaultdict(Counts)
    for sample in samples:
        found = {finding.kind for finding in detect(sample)}
        flagged = bool(found)
        if sample.label:
            hit = sample.kind in found
            per_kind[sample.kind] = _add(per_kind[sample.kind], tp=hit, fn=not hit)
        for kind in found if not sample.label else ():
            per_kind[kind] = _add(per_kind[kind], fp=1)
        key = sample.kind if sample.label else f"not:{sample.kind}"
        if sample.label and flagged:
            total, by_kind[key] = _add(total, tp=1), _add(by_kind[key], tp=1)
        elif sample.label:
            total, by_kind[key] = _add(total, fn=1), _add(by_kind[key], fn=1)
            missed.append(sample.id)
        elif flagged:
            total, by_kind[key] = _add(total, fp=1), _add(by_kind[key], fp=1)
            alarms.append(sample.id)
        else:
            total, by_kind[key] = _add(total, tn=1), _add(by_kind[key], tn=1)
    return CategoryResult(
        category, total, THRESHOLDS[category], dict(sorted(by_kind.items())), tuple(missed),
        tuple(alarms), time.perf_counter() - started, dict(sorted(per_kind.items())),
    )  # fmt: skip


def _add(counts: Counts, *, tp: int = 0, fp: int = 0, fn: int = 0, tn: int = 0) -> Counts:
    return Counts(counts.tp + tp, counts.fp + fp, counts.fn + fn, counts.tn + tn)


def guardrail_detector(category: Category) -> Detector:
    """Our guardrail for `category`, as the evaluator runs it: a file name is given as the path
    of an empty file (as `atg guard scan` gives it), anything else as text."""
    (guardrail,) = guardrails([GUARDRAIL[category]])

    def detect(sample: Sample) -> list[Finding]:
        if sample.where == "file_name":
            found = guardrail.find("", path=sample.text) or guardrail.find(sample.text)
        else:
            found = guardrail.find(sample.text)
        return [f for f in found if f.category == category]

    return detect


def evaluate_safety(
    categories: Sequence[Category] = CATEGORIES,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> SafetyReport:
    """Precision, recall and F1 of each guardrail on its shipped set."""
    results = []
    for category in categories:
        if on_progress:
            on_progress(f"safety: {category}")
        results.append(measure(category, load_set(category), guardrail_detector(category)))
    return SafetyReport(tuple(results))
