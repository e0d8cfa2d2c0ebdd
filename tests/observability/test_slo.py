"""SLOs: hand-counted indicators on a seeded database, the same through the exporter's counters,
the report command, and the windows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.config import SloSettings
from agentic_testgen.observability.slo import evaluate, objectives
from agentic_testgen.signals.definitions import EVAL_DURATION_BUCKETS
from agentic_testgen.storage import Activity, EntryActivity, ResultStore
from tests.conftest import make_result

NOW = datetime.now(UTC)


def seed(store: ResultStore) -> None:
    """Four generated entries (one failed), one reference entry, $0.80 of model calls, and
    two red-team runs (9 of 10 and 19 of 20 attacks stopped)."""
    nightly = store.start_suite("nightly", generator="agent")
    entries = {
        "a": (make_result(0.9, {"coverage": 0.95, "pass_rate": 1.0}), 10.0, 4),
        "b": (make_result(0.8, {"coverage": 0.80, "pass_rate": 0.95}), 75.0, 2),
        "d": (make_result(0.9, {"coverage": 0.92, "pass_rate": 0.85}), 60.0, 4),
    }
    for entry_id, (result, seconds, kept) in entries.items():
        store.add_result(nightly.id, entry_id, result, started_at=NOW, metadata={
            "generator": "agent", "generation_seconds": seconds, "tests_kept": kept,
        })  # fmt: skip
    store.add_result(nightly.id, "c", None, started_at=NOW, errors=["c: no test survived"],
                     metadata={"generator": "agent"})  # fmt: skip
    store.finish_suite(nightly.id)
    reference = store.start_suite("reference-run", generator="reference")
    store.add_result(reference.id, "e", make_result(1.0), started_at=NOW,
                     metadata={"generator": "reference"})  # fmt: skip
    store.finish_suite(reference.id)
    for cost in (0.30, 0.50):
        store.add_llm_call(agent="coder", provider="openai", model="m", input_tokens=1,
                           output_tokens=1, cost_usd=cost, latency_s=1.0,
                           suite_id=nightly.id)  # fmt: skip
    for stopped, tried in ((9, 10), (19, 20)):
        suite = store.start_suite("red_team")
        store.add_evaluation(suite.id, "red_team/injection", level="system",
                             score=stopped / tried, passed=False, metrics={}, started_at=NOW,
                             metadata={"stopped": stopped, "tried": tried})  # fmt: skip
        store.finish_suite(suite.id)


# (bad, total) counted by hand from `seed`
HAND = {
    "generation_availability": (1, 4),  # c failed among a, b, c, d
    "generation_latency": (1, 3),  # b took 75 s; d's 60 s is within the limit
    "coverage_achievement": (1, 4),  # b's 0.80 among a, b, d, e
    "pass_rate_achievement": (1, 4),  # d's 0.85
    "guardrail_effectiveness": (2, 30),
    "cost_per_test": (0.80, 10),  # dollars over kept tests 4 + 2 + 4
}


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    found = ResultStore.for_workspace(tmp_path)
    seed(found)
    return found


def test_each_sli_equals_the_hand_count(store: ResultStore) -> None:
    statuses = {s.slo.name: s for s in evaluate(store.activity(NOW - timedelta(days=1)))}
    assert set(statuses) == set(HAND)
    for name, (bad, total) in HAND.items():
        assert statuses[name].tally.bad == pytest.approx(bad), name
        assert statuses[name].tally.total == total, name
    coverage = statuses["coverage_achievement"]
    assert coverage.sli == pytest.approx(0.75)
    assert coverage.burn_rate == pytest.approx(0.25 / 0.10)  # a quarter bad, a tenth allowed
    assert coverage.budget_left == pytest.approx(1 - 2.5)
    assert not coverage.met
    guardrails = statuses["guardrail_effectiveness"]
    assert guardrails.burn_rate == pytest.approx((2 / 30) / 0.05)
    cost = statuses["cost_per_test"]
    assert cost.sli == pytest.approx(0.08)
    assert cost.burn_rate == pytest.approx(0.8)
    assert cost.budget_left == pytest.approx(0.2)
    assert cost.met


def test_the_slis_are_the_same_on_postgresql(postgres_url: str) -> None:
    store = ResultStore(postgres_url)
    since = datetime.now(UTC)
    seed(store)
    statuses = {s.slo.name: s for s in evaluate(store.activity(since))}
    for name, (bad, total) in HAND.items():
        assert (statuses[name].tally.bad, statuses[name].tally.total) == pytest.approx(
            (bad, total)
        ), name


def test_the_exporter_counters_hold_the_same_bad_and_total_as_the_records(
    store: ResultStore,
) -> None:
    """The recording rules read these counters: same rule, same numbers."""
    sums = {(f, labels, field): v for f, labels, field, v in store.metric_rollups()}

    def counter(family: str, **labels: str) -> float:
        return sum(
            value for (f, got, field), value in sums.items()
            if f == family and field == "value" and set(labels.items()) <= set(got)
        )  # fmt: skip

    def histogram(family: str, field: str) -> float:
        return sum(v for (f, _, got), v in sums.items() if f == family and got == field)

    read = {
        "generation_availability": (
            counter("test_generation_calls_total", status="error"),
            counter("test_generation_calls_total"),
        ),
        "coverage_achievement": (
            counter("entries_at_goal_total", metric="coverage", result="missed"),
            counter("entries_at_goal_total", metric="coverage"),
        ),
        "pass_rate_achievement": (
            counter("entries_at_goal_total", metric="pass_rate", result="missed"),
            counter("entries_at_goal_total", metric="pass_rate"),
        ),
        "guardrail_effectiveness": (
            counter("redteam_attacks_total", result="passed"),
            counter("redteam_attacks_total"),
        ),
        "cost_per_test": (
            counter("llm_cost_total"),
            counter("generated_tests_total", status="kept"),
        ),
    }
    # the latency SLI: all observations minus those at or under the 60 s bucket
    histogram_count = histogram("test_generation_duration_seconds", "count")
    upto = EVAL_DURATION_BUCKETS.index(60) + 1
    within = sum(histogram("test_generation_duration_seconds", f"bucket:{i}") for i in range(upto))
    read["generation_latency"] = (histogram_count - within, histogram_count)
    for name, (bad, total) in read.items():
        assert (bad, total) == pytest.approx(HAND[name]), name


def test_the_promql_of_each_slo_reads_the_families_the_exporter_serves() -> None:
    from agentic_testgen.signals.definitions import BY_NAME

    for slo in objectives():
        expression = slo.burn_rate_promql("1h")
        assert "[1h]" in expression and "{w}" not in expression
        families = {
            name.removesuffix("_bucket").removesuffix("_count")
            for name in __import__("re").findall(r"rate\(([a-z_]+)", expression)
        }
        assert families <= set(BY_NAME), slo.name
    latency = next(s for s in objectives() if s.name == "generation_latency")
    assert 'le="60.0"' in latency.error_promql("5m")


def test_objectives_come_from_settings_and_a_latency_off_the_buckets_is_refused() -> None:
    tight = {s.name: s for s in objectives(SloSettings(coverage_achievement=0.99))}
    assert tight["coverage_achievement"].allowed == pytest.approx(0.01)
    with pytest.raises(ValueError, match="bucket bound"):
        SloSettings(generation_latency_s=45)


def test_the_short_windows_see_only_their_part_of_the_activity() -> None:
    def entry(hours_ago: float, coverage: float) -> EntryActivity:
        return EntryActivity(at=NOW - timedelta(hours=hours_ago), suite="s", generated=False,
                             failed=False, coverage=coverage, pass_rate=1.0)  # fmt: skip

    activity = Activity(NOW - timedelta(days=30), NOW,
                        entries=(entry(100, 0.5), entry(3, 0.5), entry(0.5, 1.0)))  # fmt: skip
    coverage = next(s for s in evaluate(activity) if s.slo.name == "coverage_achievement")
    assert coverage.tally.bad == 2 and coverage.tally.total == 3
    assert coverage.recent_burn["1h"] == 0.0
    assert coverage.recent_burn["6h"] == pytest.approx(0.5 / 0.1)


def test_no_activity_is_no_data_and_a_full_budget(tmp_path: Path) -> None:
    statuses = evaluate(ResultStore.for_workspace(tmp_path).activity(NOW - timedelta(days=30)))
    assert all(s.sli is None and s.met for s in statuses)


def test_slo_report_prints_and_writes_the_hand_counts(store: ResultStore, tmp_path: Path) -> None:
    report = tmp_path / "slo.json"
    runner = CliRunner()
    args = ["slo", "report", "-w", str(tmp_path), "--window", "7d", "--json", str(report)]
    shown = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    coverage = next(line for line in shown.output.splitlines() if "coverage" in line)
    assert coverage.split()[1:6] == ["75.0%", "90.0%", "4", "-150%", "2.5x"]
    document = json.loads(report.read_text())
    by_name = {slo["name"]: slo for slo in document["slos"]}
    assert by_name["pass_rate_achievement"]["bad"] == 1
    assert by_name["cost_per_test"]["sli"] == pytest.approx(0.08)
    assert by_name["generation_availability"]["met"] is False
    gated = runner.invoke(app, [*args, "--fail-when-exhausted"])
    assert gated.exit_code == 1
    bad = runner.invoke(app, ["slo", "report", "-w", str(tmp_path), "--window", "soon"])
    assert bad.exit_code == 2 and "not a span" in bad.output
