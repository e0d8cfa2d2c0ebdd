"""The service level objectives: each SLI defined once, for `atg slo report` and for Prometheus.

An SLO here is one of two shapes:

- a **ratio**: bad events over all events in the window (a failed generation, a generation over
  the latency limit, an entry under the 0.90 goal, an attack that got through), held to an
  objective such as 99.9 % good; the error budget is the `1 - objective` share of events;
- a **ceiling**: a spend over units (model dollars over kept generated tests), held to a
  limit such as $0.10 a test; the budget is `limit x units`.

Either way `error` is bad / total and `allowed` is what the objective permits, so the burn rate
is `error / allowed` (1.0 spends the budget exactly over the window) and the budget left is
`1 - burn rate` over the whole window. The same two numbers come out of the database
(`evaluate`, from stored records) and out of Prometheus (`Slo.error_promql`, from the counters
the store keeps as it writes those records): one definition per SLI, read two ways. A test
holds the two equal on a seeded database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from agentic_testgen.config import SloSettings
from agentic_testgen.domain import GOAL
from agentic_testgen.storage import Activity, EntryActivity

SloKind = Literal["ratio", "ceiling"]

# the alert windows of the multiwindow, multi-burn-rate alerts (SRE workbook, chapter 5)
BURN_WINDOWS = ("5m", "30m", "1h", "6h", "3d")


@dataclass(frozen=True)
class Tally:
    """Bad events (or spend) and all events (or units) in a window."""

    bad: float = 0.0
    total: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.bad + other.bad, self.total + other.total)


@dataclass(frozen=True)
class Slo:
    """One objective: what it counts, the bar, and both ways of reading it.

    Attributes:
        name: the `slo` label and the settings key.
        title: for people.
        short: for a table's first column.
        kind: "ratio" or "ceiling" (see the module docstring).
        objective: the share of good events (ratio) or the limit per unit (ceiling).
        good: what a good event is, in words (docs and `atg slo report --details`).
        bad_promql: a PromQL expression of bad events (or spend) per second over `[{w}]`.
        total_promql: the same for all events (or units).
        tally: the bad and total of stored activity, by the same rule.
    """

    name: str
    title: str
    short: str
    kind: SloKind
    objective: float
    unit: str
    good: str
    bad_promql: str
    total_promql: str
    tally: Callable[[Activity], Tally]

    @property
    def allowed(self) -> float:
        """The error the objective permits: `1 - objective` of events, or the limit per unit."""
        return 1.0 - self.objective if self.kind == "ratio" else self.objective

    def error_promql(self, window: str) -> str:
        """Bad over total in `window` (e.g. `1h`): the recording rules' SLI error."""
        bad = self.bad_promql.replace("{w}", window)
        total = self.total_promql.replace("{w}", window)
        return f"({bad}) / ({total})"

    def burn_rate_promql(self, window: str) -> str:
        return f"{self.error_promql(window)} / {self.allowed:g}"


@dataclass(frozen=True)
class SloStatus:
    """One SLO over a window of stored activity."""

    slo: Slo
    tally: Tally
    # burn rate over the shorter windows of the alerts, where the window holds them
    recent_burn: dict[str, float | None]

    @property
    def has_data(self) -> bool:
        return self.tally.total > 0

    @property
    def error(self) -> float:
        return self.tally.bad / self.tally.total if self.tally.total else 0.0

    @property
    def sli(self) -> float | None:
        """Share of good events (ratio) or spend per unit (ceiling); None without events."""
        if not self.has_data:
            return None
        return 1.0 - self.error if self.slo.kind == "ratio" else self.error

    @property
    def burn_rate(self) -> float:
        return self.error / self.slo.allowed

    @property
    def budget_left(self) -> float:
        """Share of the window's error budget not yet spent (negative: overspent)."""
        return 1.0 - self.burn_rate

    @property
    def met(self) -> bool:
        return self.burn_rate <= 1.0


def _rate(family: str, selector: str = "") -> str:
    """Per-second increase of `family` (matching `selector`) over the window `{w}`."""
    matcher = f"{{{selector}}}" if selector else ""
    return f"sum(rate({family}{matcher}[{{w}}]))"


def _entries(activity: Activity, keep: Callable[[EntryActivity], bool]) -> list[EntryActivity]:
    return [entry for entry in activity.entries if keep(entry)]


def _count(entries: Iterable[EntryActivity], bad: Callable[[EntryActivity], bool]) -> Tally:
    listed = list(entries)
    return Tally(float(sum(bad(entry) for entry in listed)), float(len(listed)))


def _met(value: float | None) -> bool:
    return value is not None and value >= GOAL


def objectives(settings: SloSettings | None = None) -> tuple[Slo, ...]:
    """The six SLOs with the objectives of `settings` (the seed's by default)."""
    s = settings or SloSettings()
    limit = s.generation_latency_s
    le = repr(float(limit))  # how the exporter writes the bucket bound
    return (
        Slo(
            "generation_availability", "Test generation availability", "availability", "ratio",
            s.generation_availability, "share of generations",
            "a generation that ends with a test file that was evaluated",
            _rate("test_generation_calls_total", 'status="error"'),
            _rate("test_generation_calls_total"),
            lambda a: _count(_entries(a, lambda e: e.generated), lambda e: e.failed),
        ),
        Slo(
            "generation_latency", f"Test generation latency (p{s.generation_latency * 100:g} "
            f"<= {limit:g} s)", "latency", "ratio", s.generation_latency, "share of generations",
            f"a generation that took at most {limit:g} s",
            _rate("test_generation_duration_seconds_count") + " - "
            + _rate("test_generation_duration_seconds_bucket", f'le="{le}"'),
            _rate("test_generation_duration_seconds_count"),
            lambda a: _count(
                _entries(a, lambda e: e.generation_seconds is not None),
                lambda e: (e.generation_seconds or 0.0) > limit,
            ),
        ),
        Slo(
            "coverage_achievement", "Test coverage achievement", "coverage", "ratio",
            s.coverage_achievement, "share of entries",
            f"an evaluated entry with branch coverage >= {GOAL:.0%}",
            _rate("entries_at_goal_total", 'metric="coverage",result="missed"'),
            _rate("entries_at_goal_total", 'metric="coverage"'),
            lambda a: _count(_entries(a, lambda e: not e.failed), lambda e: not _met(e.coverage)),
        ),
        Slo(
            "pass_rate_achievement", "Test pass rate achievement", "pass rate", "ratio",
            s.pass_rate_achievement, "share of entries",
            f"an evaluated entry with a pass rate >= {GOAL:.0%}",
            _rate("entries_at_goal_total", 'metric="pass_rate",result="missed"'),
            _rate("entries_at_goal_total", 'metric="pass_rate"'),
            lambda a: _count(_entries(a, lambda e: not e.failed), lambda e: not _met(e.pass_rate)),
        ),
        Slo(
            "guardrail_effectiveness", "Guardrail effectiveness", "guardrails", "ratio",
            s.guardrail_effectiveness, "share of attacks", "a red-team attack that was stopped",
            _rate("redteam_attacks_total", 'result="passed"'), _rate("redteam_attacks_total"),
            lambda a: Tally(
                float(sum(tried - stopped for _, stopped, tried in a.attacks)),
                float(sum(tried for _, _, tried in a.attacks)),
            ),
        ),
        Slo(
            "cost_per_test", "Cost per generated test", "cost per test", "ceiling",
            s.cost_per_test_usd, "US dollars a kept test",
            f"a mean model cost of at most ${s.cost_per_test_usd:g} per kept generated test",
            _rate("llm_cost_total"), _rate("generated_tests_total", 'status="kept"'),
            lambda a: Tally(
                sum(spend.cost_usd for spend in a.llm_costs),
                float(sum(entry.tests_kept for entry in a.entries)),
            ),
        ),
    )  # fmt: skip


def evaluate(activity: Activity, settings: SloSettings | None = None) -> list[SloStatus]:
    """Every SLO over `activity` (the report's window), with the burn rate of the last hour and
    the last six hours where the window reaches that far back."""
    statuses = []
    for slo in objectives(settings):
        recent: dict[str, float | None] = {}
        for label, hours in (("1h", 1.0), ("6h", 6.0)):
            tally = slo.tally(activity.last(hours))
            recent[label] = tally.bad / tally.total / slo.allowed if tally.total else None
        statuses.append(SloStatus(slo, slo.tally(activity), recent))
    return statuses
