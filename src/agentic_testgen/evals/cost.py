"""Cost attribution: the tags a run carries, what each tag spent and bought, and the budgets
that stop a run.

A run's tags are the user's (`--tag team=payments`) plus those atg knows: the generator and, for
the agents, the prompt version; each model call also counts under `model=<name>`. Per tag:
dollars, generated files, kept tests and coverage points gained (a generated file starts from no
tests, so the points are its branch coverage x 100), and the ratios between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from agentic_testgen.config import CostSettings
from agentic_testgen.signals.rollups import tag_pairs
from agentic_testgen.storage import Activity

TAG = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}=[^=\s][^\s]{0,199}")


class BudgetExceededError(ValueError):
    """A budget of one of the run's tags is spent; the message names it and the way on."""


def parse_tags(texts: Iterable[str]) -> dict[str, str]:
    """`key=value` texts as a mapping; a malformed one raises ValueError naming it."""
    tags: dict[str, str] = {}
    for text in texts:
        if not TAG.fullmatch(text):
            raise ValueError(f"tag {text!r} is not key=value (a name, '=', a value without spaces)")
        key, _, value = text.partition("=")
        tags[key] = value
    return tags


def run_tags(user: Mapping[str, str], generator: str) -> dict[str, str]:
    """The tags a run carries: atg's own, then the user's (which win)."""
    tags = {"generator": generator}
    if generator == "agent":
        from agentic_testgen.generation.coders.llm import PROMPT_VERSION  # noqa: PLC0415

        tags["prompt_version"] = PROMPT_VERSION
    return {**tags, **user}


def breached_budgets(
    spent: Mapping[str, float], tags: Mapping[str, str], settings: CostSettings
) -> list[str]:
    """The budgets this run answers to (its tags, and any `model=` budget: its calls may use
    that model) that are spent, each as one line."""
    mine = {f"{key}={value}" for key, value in tags.items()}
    return [
        f"{tag}: ${spent.get(tag, 0.0):.2f} spent of a ${budget:g} budget "
        f"(last {settings.budget_window_days:g} days)"
        for tag, budget in sorted(settings.budgets.items())
        if (tag in mine or tag.startswith("model=")) and spent.get(tag, 0.0) >= budget
    ]


def budget_window_start(settings: CostSettings, now: datetime) -> datetime:
    return now - timedelta(days=settings.budget_window_days)


@dataclass(frozen=True)
class TagCost:
    """What one tag value spent and bought in a window."""

    tag: str
    value: str
    cost_usd: float = 0.0
    files: int = 0
    tests: int = 0
    coverage_points: float = 0.0

    @property
    def per_test(self) -> float | None:
        return self.cost_usd / self.tests if self.tests else None

    @property
    def per_file(self) -> float | None:
        return self.cost_usd / self.files if self.files else None

    @property
    def per_coverage_point(self) -> float | None:
        return self.cost_usd / self.coverage_points if self.coverage_points else None


def attribute(activity: Activity, by: Sequence[str] | None = None) -> list[TagCost]:
    """Cost and yield per (tag, value) in `activity`, for the tag keys `by` (all when None),
    sorted by tag then by cost, highest first."""
    totals: dict[tuple[str, str], dict[str, float]] = {}

    def add(key: str, value: str, **amounts: float) -> None:
        if by is not None and key not in by:
            return
        line = totals.setdefault((key, value), {})
        for name, amount in amounts.items():
            line[name] = line.get(name, 0.0) + amount

    for spend in activity.llm_costs:
        for key, value in tag_pairs(spend.tags, spend.model):
            add(key, value, cost_usd=spend.cost_usd)
    for entry in activity.entries:
        if not entry.generated:
            continue
        points = (entry.coverage or 0.0) * 100 if not entry.failed else 0.0
        for key, value in tag_pairs(entry.tags):
            add(key, value, files=1, tests=entry.tests_kept, coverage_points=points)
    lines = [
        TagCost(key, value, amounts.get("cost_usd", 0.0), int(amounts.get("files", 0)),
                int(amounts.get("tests", 0)), amounts.get("coverage_points", 0.0))
        for (key, value), amounts in totals.items()
    ]  # fmt: skip
    return sorted(lines, key=lambda line: (line.tag, -line.cost_usd, line.value))
