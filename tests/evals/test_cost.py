"""Cost attribution: tags, per-tag cost and yield by hand counts, the exporter's counters, and
budgets that stop a run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.config import CostSettings, Settings
from agentic_testgen.datasets import DatasetEntry
from agentic_testgen.domain import GeneratedTests
from agentic_testgen.evals._sources import TEST_SOURCES, ReferenceTests
from agentic_testgen.evals.cost import (
    BudgetExceededError,
    attribute,
    breached_budgets,
    parse_tags,
    run_tags,
)
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.generation.coders.llm import PROMPT_VERSION
from agentic_testgen.storage import ResultStore
from tests.conftest import make_result
from tests.evals.test_runner import DATASET

NOW = datetime.now(UTC)


def test_tags_are_key_value_and_atg_adds_the_generator_and_prompt_version() -> None:
    assert parse_tags(["team=payments", "project=api"]) == {"team": "payments", "project": "api"}
    for bad in ("team", "=x", "team=", "a b=c", "team=pay ments"):
        with pytest.raises(ValueError, match="not key=value"):
            parse_tags([bad])
    assert run_tags({"team": "a"}, "agent") == {
        "generator": "agent", "prompt_version": PROMPT_VERSION, "team": "a",
    }  # fmt: skip
    assert run_tags({"generator": "mine"}, "reference") == {"generator": "mine"}


def seed(store: ResultStore) -> None:
    """team=a: two generated files (4 and 6 kept tests, coverage 0.9 and 0.5), $1.20 on model
    m1 and $0.30 on m2; team=b: one failed generation, $0.50 on m1."""
    a = store.start_suite("nightly", generator="agent", tags={"team": "a", "generator": "agent"})
    for entry, coverage, kept in (("x", 0.9, 4), ("y", 0.5, 6)):
        result = make_result(0.8, {"coverage": coverage, "pass_rate": 1.0})
        store.add_result(a.id, entry, result, started_at=NOW,
                         metadata={"generator": "agent", "tests_kept": kept})  # fmt: skip
    b = store.start_suite("nightly-b", generator="agent", tags={"team": "b", "generator": "agent"})
    store.add_result(b.id, "z", None, started_at=NOW, metadata={"generator": "agent"})
    calls = ((a.id, "m1", 1.20), (a.id, "m2", 0.30), (b.id, "m1", 0.50))
    for suite_id, model, cost in calls:
        store.add_llm_call(agent="coder", provider="openai", model=model, input_tokens=1,
                           output_tokens=1, cost_usd=cost, latency_s=0.1,
                           suite_id=suite_id)  # fmt: skip


def test_cost_per_tag_test_file_and_coverage_point_equal_the_hand_counts(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    seed(store)
    found = attribute(store.activity(NOW - timedelta(hours=1)))
    lines = {(line.tag, line.value): line for line in found}
    team_a = lines[("team", "a")]
    assert (team_a.cost_usd, team_a.files, team_a.tests) == (pytest.approx(1.50), 2, 10)
    assert team_a.coverage_points == pytest.approx(140.0)  # 90 + 50
    assert team_a.per_test == pytest.approx(0.15)
    assert team_a.per_file == pytest.approx(0.75)
    assert team_a.per_coverage_point == pytest.approx(1.50 / 140)
    team_b = lines[("team", "b")]
    assert (team_b.cost_usd, team_b.files, team_b.tests, team_b.per_test) == (
        pytest.approx(0.50), 1, 0, None,
    )  # fmt: skip
    assert lines[("model", "m1")].cost_usd == pytest.approx(1.70)
    assert lines[("generator", "agent")].files == 3
    only_models = attribute(store.activity(NOW - timedelta(hours=1)), by=["model"])
    assert {line.tag for line in only_models} == {"model"}
    assert store.spend_by_tag(NOW - timedelta(hours=1))["team=a"] == pytest.approx(1.50)
    # the exporter's counters hold the same sums, so PromQL can divide them
    sums = {(f, labels): v for f, labels, field, v in store.metric_rollups() if field == "value"}
    tagged = (("tag", "team"), ("value", "a"))
    assert sums[("llm_cost_by_tag_total", tagged)] == pytest.approx(1.50)
    assert sums[("generated_tests_by_tag_total", tagged)] == 10
    assert sums[("generated_files_by_tag_total", tagged)] == 2
    assert sums[("coverage_points_by_tag_total", tagged)] == pytest.approx(140.0)
    assert sums[("llm_cost_by_tag_total", (("tag", "model"), ("value", "m2")))] == (
        pytest.approx(0.30)
    )


def test_the_cost_report_prints_and_writes_each_tag(tmp_path: Path) -> None:
    seed(ResultStore.for_workspace(tmp_path))
    out = tmp_path / "cost.json"
    shown = CliRunner().invoke(
        app, ["cost", "report", "-w", str(tmp_path), "--by", "team", "--json", str(out)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    row = next(line for line in shown.output.splitlines() if "team=a" in line)
    assert row.split()[1:5] == ["$1.50", "2", "10", "$0.1500"]
    written = {(line["tag"], line["value"]): line for line in json.loads(out.read_text())}
    assert written[("team", "b")]["cost_per_test"] is None


def test_a_budget_applies_to_the_runs_own_tags_and_any_model() -> None:
    settings = CostSettings(budgets={"team=a": 1.0, "team=b": 1.0, "model=m1": 5.0})
    spent = {"team=a": 1.5, "team=b": 9.0, "model=m1": 1.7}
    breached = breached_budgets(spent, {"team": "a"}, settings)
    assert len(breached) == 1 and breached[0].startswith("team=a: $1.50 spent of a $1 budget")
    assert breached_budgets(spent, {"team": "c"}, settings) == []
    with pytest.raises(ValueError, match="not a tag"):
        CostSettings(budgets={"payments": 3.0})


class CostlyReference(ReferenceTests):
    """The dataset's own tests, reported as if a model call of $0.40 had written each file: a
    generator plugged in through the test-source registry."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        self.last_calls: list[dict[str, Any]] = []
        self.last_metadata: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return "costly"

    def tests_for(self, entry: DatasetEntry) -> GeneratedTests:
        self.last_calls = [{"agent": "coder", "provider": "openai", "model": "m1",
                            "input_tokens": 10, "output_tokens": 10, "cost_usd": 0.40,
                            "latency_s": 0.1}]  # fmt: skip
        self.last_metadata = {"generator": "costly", "tests_kept": 1}
        return super().tests_for(entry)


def test_a_spent_budget_stops_the_run_and_keeps_what_was_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(TEST_SOURCES, "costly", CostlyReference)
    (tmp_path / "tiny.yaml").write_text(DATASET)
    settings = Settings(
        run={"reruns": 0, "mutation": False}, cost={"budgets": {"team=payments": 0.70}}
    )
    runner = EvalRunner(tmp_path / "ws", settings=settings)
    loaded = runner.load(str(tmp_path / "tiny.yaml"))
    with pytest.raises(BudgetExceededError, match=r"team=payments: \$0.80 spent of a \$0.7"):
        runner.run_suite(loaded, generator="costly", jobs=1, tags={"team": "payments"})
    suite = runner.storage.suites(limit=1)[-1]
    assert suite.status == "running" and suite.tags["team"] == "payments"
    assert len(runner.storage.completed_entries(suite.id)) == 2  # of 3: stopped after $0.80
    # another team's run is not held to it; the same team's next run is refused at once
    other, _ = runner.run_suite(loaded, name="other", generator="costly", jobs=1,
                                tags={"team": "search"})  # fmt: skip
    assert other.status == "completed"
    with pytest.raises(BudgetExceededError):
        runner.run_suite(loaded, name="again", generator="costly", jobs=1,
                         tags={"team": "payments"})  # fmt: skip
    assert [s.name for s in runner.storage.suites(limit=10)] == ["test_quality", "other"]
