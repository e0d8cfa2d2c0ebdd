"""The live monitor: a terminal dashboard drawn from the metrics, read from the exporter or the
database (both give the same Prometheus text, so there is one code path)."""

from __future__ import annotations

import math
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from agentic_testgen.domain import EVAL_LEVELS, GOAL
from agentic_testgen.observability.collector import build_registry
from agentic_testgen.storage import ResultStore

Labels = tuple[tuple[str, str], ...]
ReadMetrics = Callable[[], str]


@dataclass(frozen=True)
class Snapshot:
    """Every sample of one scrape, by metric sample name, and when it was taken."""

    taken_at: float
    samples: dict[str, dict[Labels, float]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, taken_at: float | None = None) -> Snapshot:
        samples: dict[str, dict[Labels, float]] = defaultdict(dict)
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples[sample.name][tuple(sorted(sample.labels.items()))] = sample.value
        return cls(time.time() if taken_at is None else taken_at, dict(samples))

    def series(self, name: str) -> dict[Labels, float]:
        return self.samples.get(name, {})

    def total(self, name: str, **match: str) -> float:
        """Sum of the samples of `name` whose labels include `match`."""
        return sum(
            value
            for labels, value in self.series(name).items()
            if all(dict(labels).get(key) == wanted for key, wanted in match.items())
        )

    def quantile(self, histogram: str, q: float) -> float | None:
        """`histogram_quantile(q, sum by (le) (...))`: linear inside the bucket, as PromQL."""
        by_bound: dict[float, float] = defaultdict(float)
        for labels, value in self.series(f"{histogram}_bucket").items():
            by_bound[float(dict(labels)["le"])] += value
        bounds = sorted(by_bound)
        if not bounds or by_bound[bounds[-1]] == 0:
            return None
        rank = q * by_bound[bounds[-1]]
        lower, below = 0.0, 0.0
        for bound in bounds:
            count = by_bound[bound]
            if count >= rank:
                if math.isinf(bound):
                    return lower  # PromQL: the highest finite bound
                inside = count - below
                return lower + (bound - lower) * ((rank - below) / inside if inside else 0.0)
            lower, below = bound, count
        return lower


def read_from_url(url: str, timeout_s: float = 5.0) -> ReadMetrics:
    def read() -> str:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return str(response.read().decode())

    return read


def read_from_store(store: ResultStore) -> ReadMetrics:
    registry = build_registry(store)
    return lambda: generate_latest(registry).decode()


def render(current: Snapshot, previous: Snapshot | None, source: str) -> RenderableType:
    """One frame of the dashboard."""
    stamp = datetime.fromtimestamp(current.taken_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    header = Text.assemble(("atg monitor", "bold"), f"  {source}  {stamp}", style="")
    top = Table.grid(expand=True, padding=(0, 2))
    top.add_column(ratio=3)
    top.add_column(ratio=2)
    top.add_row(_quality(current), _llm(current, previous))
    middle = Table.grid(expand=True, padding=(0, 2))
    for _ in range(3):
        middle.add_column(ratio=1)
    middle.add_row(_guardrails(current), _agents(current), _activity(current))
    return Group(header, top, middle, _suites(current))


def _gauge(value: float, width: int = 8) -> Text:
    """`94.7% █████████·`, green at the goal, yellow near it, red below."""
    filled = round(max(0.0, min(1.0, value)) * width)
    style = "green" if value >= GOAL else "yellow" if value >= 0.75 else "red"
    return Text.assemble(f"{value:6.1%} ", ("█" * filled, style), ("·" * (width - filled), "dim"))


def _quality(snapshot: Snapshot) -> Panel:
    table = Table(box=None, pad_edge=False)
    for column in ("language", "coverage", "pass rate", "mutation"):
        table.add_column(column, no_wrap=True)
    coverage = snapshot.series("test_coverage_ratio")
    for labels in sorted(coverage):
        language = dict(labels)["language"]
        pass_rate = snapshot.series("test_pass_rate_ratio").get(labels, 0.0)
        mutation = snapshot.series("test_mutation_score_ratio").get(labels)
        table.add_row(
            language, _gauge(coverage[labels]), _gauge(pass_rate),
            "-" if mutation is None else _gauge(mutation),
        )  # fmt: skip
    if not coverage:
        table.add_row("no completed suite yet", "", "", "")
    goal = snapshot.series("goal_achievement_ratio")
    caption = "  ".join(f"{dict(k)['language']}: {v:.0%} at goal" for k, v in sorted(goal.items()))
    return Panel(table, title=f"quality (goal {GOAL:.0%})", subtitle=caption or None)


def _rate(current: Snapshot, previous: Snapshot | None, name: str, **match: str) -> str:
    if previous is None or current.taken_at <= previous.taken_at:
        return "-"
    delta = current.total(name, **match) - previous.total(name, **match)
    return f"{max(delta, 0.0) / (current.taken_at - previous.taken_at):.2f}/s"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _llm(current: Snapshot, previous: Snapshot | None) -> Panel:
    return _counts(
        (
            ("calls", f"{current.total('llm_calls_total'):.0f}"),
            ("latency p50", _seconds(current.quantile("llm_call_duration_seconds", 0.50))),
            ("latency p99", _seconds(current.quantile("llm_call_duration_seconds", 0.99))),
            ("tokens in", f"{current.total('llm_tokens_total', type='input'):.0f}"),
            ("tokens out", f"{current.total('llm_tokens_total', type='output'):.0f}"),
            ("token rate", _rate(current, previous, "llm_tokens_total")),
            ("cost", f"${current.total('llm_cost_total'):.4f}"),
            ("cost rate", _rate(current, previous, "llm_cost_total")),
            ("errors", f"{current.total('llm_call_errors_total'):.0f}"),
        ),
        "LLM calls",
    )


def _counts(rows: Iterable[tuple[str, str]], title: str) -> Panel:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(justify="right")
    for name, value in rows:
        table.add_row(name, value)
    return Panel(table, title=title)


def _guardrails(snapshot: Snapshot) -> Panel:
    safety = snapshot.total("safety_score")
    return _counts(
        (
            ("checks", f"{snapshot.total('guardrails_checks_total'):.0f}"),
            ("violations", f"{snapshot.total('guardrails_violations_total'):.0f}"),
            ("blocks", f"{snapshot.total('guardrails_blocks_total'):.0f}"),
            ("safety score", f"{safety:.1%}"),
            # evaluated tests that tampered with the harness: their results are invalid
            ("invalid tests", f"{snapshot.total('eval_integrity_violations_total'):.0f}"),
        ),
        "guardrails",
    )


def _agents(snapshot: Snapshot) -> Panel:
    iterations = snapshot.series("agent_iterations_total")
    rows = [(dict(labels)["agent"], f"{value:.0f}") for labels, value in sorted(iterations.items())]
    return _counts(rows or [("no generation yet", "")], "agent iterations")


def _activity(snapshot: Snapshot) -> Panel:
    return _counts(
        (
            ("running suites", f"{snapshot.total('active_sessions'):.0f}"),
            ("entries", f"{snapshot.total('eval_results_total'):.0f}"),
            ("failed entries", f"{snapshot.total('eval_results_total', status='failed'):.0f}"),
            ("tests run", f"{snapshot.total('tests_executed_total'):.0f}"),
            ("flaky tests", f"{snapshot.total('flaky_tests_total'):.0f}"),
        ),
        "activity",
    )


def _suites(snapshot: Snapshot) -> Panel:
    table = Table(box=None, expand=True, pad_edge=False)
    for column in ("suite", "score", "level", "baseline", "completed", "regression"):
        table.add_column(column, no_wrap=True)
    completed = snapshot.series("last_suite_completed_timestamp_seconds")
    scores = {
        dict(k)["eval_name"]: (dict(k)["level"], v)
        for k, v in snapshot.series("eval_score").items()
    }
    baselines = {dict(k)["eval_name"]: v for k, v in snapshot.series("baseline_score").items()}
    flagged = {dict(k)["eval_name"]: v for k, v in snapshot.series("regression_detected").items()}
    recent = sorted(completed.items(), key=lambda item: -item[1])[:8]
    # grouped by evaluation level (unit suites first, then agent, system...), newest first
    order = {level: index for index, level in enumerate(EVAL_LEVELS)}
    recent.sort(key=lambda item: order.get(scores.get(dict(item[0])["eval_name"], ("",))[0], 99))
    for labels, finished in recent:
        name = dict(labels)["eval_name"]
        level, score = scores.get(name, ("-", 0.0))
        baseline = baselines.get(name)
        regression = flagged.get(name, 0.0)
        table.add_row(
            name, f"{score:.3f}", level, "-" if baseline is None else f"{baseline:.3f}",
            datetime.fromtimestamp(finished, UTC).strftime("%m-%d %H:%M"),
            Text(f"{regression:.0f} flagged", style="bold red") if regression else Text("none"),
        )  # fmt: skip
    if not completed:
        table.add_row("no completed suite yet", "", "", "", "", "")
    return Panel(table, title="recent suites")
