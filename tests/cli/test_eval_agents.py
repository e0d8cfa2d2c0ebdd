"""`atg eval agents` from the command line: runs an evaluator for real, stores it at level
`agent`, and the exporter serves it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.observability.collector import build_registry
from agentic_testgen.storage import ResultStore


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:assertion is always true:SyntaxWarning")  # the set's bad test
def test_atg_eval_agents_runs_the_critic_stores_it_and_the_exporter_serves_it(
    tmp_path: Path,
) -> None:
    report = tmp_path / "agents.json"
    result = CliRunner().invoke(
        app, ["eval", "agents", "--only", "critic", "-w", str(tmp_path / "ws"),
              "--json", str(report)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    (critic,) = json.loads(report.read_text())
    assert critic["evaluator"] == "critic"
    assert result.exit_code == (0 if critic["passed"] else 1), result.output
    (part,) = critic["results"]
    assert set(part["metrics"]) >= {"drop_precision", "drop_recall", "keep_recall"}
    assert f"{part['score']:.3f}" in result.output
    store = ResultStore.for_workspace(tmp_path / "ws")
    suite = store.latest_suite("critic")
    assert suite is not None and suite.overall_score == pytest.approx(part["score"])
    (stored,) = store.suite_results(suite.id)
    assert stored.level == "agent" and stored.metadata["threshold"] == part["threshold"]
    metrics = generate_latest(build_registry(store)).decode()
    assert f'eval_score{{eval_name="critic",level="agent"}} {suite.overall_score}' in metrics
    assert 'eval_level_score{level="agent"}' in metrics


def test_an_unknown_agent_evaluator_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "agents", "--only", "plnner", "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown evaluator 'plnner' (known: planner, coder, critic)" in result.output
