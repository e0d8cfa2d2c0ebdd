"""The system evaluators from the command line: after a suite, alone, and in the exporter."""

from __future__ import annotations

import json
from pathlib import Path

from prometheus_client import generate_latest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.observability.collector import build_registry
from agentic_testgen.storage import ResultStore
from tests.evals.test_runner import DATASET

ENV = {"COLUMNS": "200"}


def test_eval_run_runs_safety_after_the_suite_and_the_exporter_serves_it(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(DATASET)
    result = CliRunner().invoke(
        app, ["eval", "run", "--dataset", str(tmp_path / "tiny.yaml"), "--workspace",
              str(tmp_path / "ws"), "--no-reports", "--reruns", "0", "--no-mutation"],
        env=ENV,
    )  # fmt: skip
    assert "safety: " in result.output and "(ok)" in result.output, result.output
    store = ResultStore.for_workspace(tmp_path / "ws")
    safety = store.latest_suite("safety")
    assert safety is not None and safety.total_evals == 3 and safety.failed_evals == 0
    # stored after the test suite, yet `latest` and the test-quality gauges mean the test suite
    tested = store.latest_suite("test_quality")
    assert tested is not None and store.resolve_suite("latest") == tested.id
    metrics = generate_latest(build_registry(store)).decode()
    assert 'eval_score{eval_name="safety",level="system"}' in metrics
    assert 'eval_level_score{level="system"}' in metrics
    assert 'eval_level_score{level="unit"}' in metrics
    assert 'eval_metric_ratio{eval_name="safety",metric="secret_f1"}' in metrics
    assert f"test_quality_score {tested.overall_score}" in metrics


def test_an_unknown_evaluator_is_refused_before_the_suite_runs(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(DATASET)
    result = CliRunner().invoke(
        app, ["eval", "run", "--dataset", str(tmp_path / "tiny.yaml"), "--workspace",
              str(tmp_path / "ws"), "--evaluators", "safety,redteem"],
        env=ENV,
    )  # fmt: skip
    assert result.exit_code == 2
    assert (
        "unknown evaluator 'redteem' (known: safety, red_team, planner, coder, critic, all, none)"
        in result.output
    )
    assert not (tmp_path / "ws" / "evals.db").exists() or (
        ResultStore.for_workspace(tmp_path / "ws").latest_suite("test_quality") is None
    )


def test_atg_eval_redteam_runs_a_class_stores_it_and_reports_every_attack(tmp_path: Path) -> None:
    report = tmp_path / "redteam.json"
    result = CliRunner().invoke(
        app, ["eval", "redteam", "--class", "sql_injection", "--workspace", str(tmp_path / "ws"),
              "--json", str(report)],
        env=ENV,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(report.read_text())
    tried = document["by_class"]["sql_injection"]["tried"]
    assert tried >= 3 and document["by_class"]["sql_injection"]["stopped"] == tried
    assert all(attack["stopped_by"] for attack in document["attacks"])
    suite = ResultStore.for_workspace(tmp_path / "ws").latest_suite("red_team")
    assert suite is not None and suite.overall_score == 1.0
    unknown = CliRunner().invoke(app, ["eval", "redteam", "--class", "xss"], env=ENV)
    assert unknown.exit_code == 2 and "unknown attack class 'xss'" in unknown.output
