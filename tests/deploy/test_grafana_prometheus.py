"""Every query of every dashboard, run by a real Prometheus scraping the exporter of a database
that holds some of everything: each one parses and answers with data."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import time
import urllib.error
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agentic_testgen.deploy import DeployTarget
from agentic_testgen.deploy._grafana import files
from agentic_testgen.domain import EvalResult, Language, MetricValue, TestOutcome, TestReport
from agentic_testgen.observability.exporter import start_exporter
from agentic_testgen.storage import RegressionFinding, ResultStore
from tests.conftest import make_result
from tests.observability.test_prometheus import free_port, query

pytestmark = pytest.mark.slow

# what Grafana puts in for its interval variables; a minute holds every sample of the test
GRAFANA_INTERVALS = {"$__rate_interval": "1m", "$__range": "1m", "$__interval": "1m"}


def entry(coverage: float, pass_rate: float, language: Language = Language.PYTHON) -> EvalResult:
    """An entry with three tests (one failed) and a mutation score with its mutants."""
    result = make_result(0.8, {"coverage": coverage, "pass_rate": pass_rate})
    mutation = MetricValue(name="mutation_score", value=0.8, threshold=0.6,
                           details={"killed": 8, "survived": 2})  # fmt: skip
    tests = tuple(
        TestReport(nodeid=f"t::test_{i}", outcome=outcome, duration_s=0.02 * (i + 1),
                   flaky=False, reached_module=True)
        for i, outcome in enumerate((TestOutcome.PASSED, TestOutcome.PASSED, TestOutcome.FAILED))
    )  # fmt: skip
    return result.model_copy(update={
        "language": language, "tests": tests, "metrics": {**result.metrics, "mutation_score":
                                                          mutation},
    })  # fmt: skip


def seed(store: ResultStore) -> None:
    """One round of everything the dashboards read: a tagged generated suite (python and
    javascript entries, a failed and a slow generation, guardrail checks, tests, mutants),
    its model calls (one failed), a regression against a baseline, and the red-team, safety
    and coder evaluator suites."""
    started = datetime.now(UTC) - timedelta(seconds=3)
    suite = store.start_suite("nightly", generator="agent", tags={"team": "payments"})
    generated = {"generator": "agent", "tests_proposed": 5, "tests_kept": 4,
                 "test_file_bytes": 900, "agents": {"coder": {"iterations": 2, "seconds": 1.5}},
                 "guardrails": [{"type": "secrets", "findings": 1, "severity": "high",
                                 "blocked": True}, {"type": "pii"}]}  # fmt: skip
    entries = (("a", entry(0.95, 1.0), 10.0), ("b", entry(0.80, 0.85, Language.JAVASCRIPT), 75.0))
    for entry_id, result, seconds in entries:
        store.add_result(suite.id, entry_id, result, started_at=started,
                         metadata={**generated, "generation_seconds": seconds})  # fmt: skip
    store.add_result(suite.id, "c", None, started_at=started, errors=["c: no test survived"],
                     metadata={"generator": "agent"})  # fmt: skip
    store.add_llm_calls([
        {"agent": "coder", "provider": "openai", "model": model, "input_tokens": 400,
         "output_tokens": 90, "cost_usd": 0.02, "latency_s": latency, "status": status}
        for model, latency, status in (("gpt-4o-mini", 0.7, "ok"), ("gpt-4o-mini", 2.5, "ok"),
                                       ("gpt-4o", 9.0, "ok"), ("gpt-4o", 30.0, "error"))
    ], suite_id=suite.id)  # fmt: skip
    store.finish_suite(suite.id)
    store.set_baseline("nightly", suite.id)
    store.add_regressions(suite.id, [RegressionFinding("nightly", "coverage", 0.9, 0.8, -0.1,
                                                       flagged=True)])  # fmt: skip
    for name, level, entry_id, metrics, metadata in (
        ("red_team", "system", "red_team/injection", {"injection_stopped": 0.9},
         {"stopped": 9, "tried": 10}),
        ("safety", "system", "safety/secret", {"secret_f1": 0.95, "secret_recall": 0.9}, {}),
        ("coder", "agent", "coder/labeled", {"valid_tests": 0.85}, {}),
    ):  # fmt: skip
        evaluator = store.start_suite(name)
        store.add_evaluation(evaluator.id, entry_id, level=level, score=0.9, passed=True,
                             metrics=metrics, started_at=started, metadata=metadata)  # fmt: skip
        store.finish_suite(evaluator.id)


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    return ResultStore.for_workspace(tmp_path / "evals")


@pytest.fixture
def prometheus(store: ResultStore, tmp_path: Path) -> Iterator[str]:
    """A real Prometheus scraping the exporter every second."""
    server, _ = start_exporter(store, port=0)
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: atg\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{server.server_port}']}}]\n"
    )
    process = subprocess.Popen(
        [shutil.which("prometheus") or "prometheus", f"--config.file={config}",
         f"--storage.tsdb.path={tmp_path / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        server.shutdown()
        server.server_close()


def calls_seen(base: str, expected: float, timeout_s: float = 60.0) -> None:
    """Wait until Prometheus has scraped `expected` model calls."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if [float(r["value"][1]) for r in query(base, "sum(llm_calls_total)")] == [expected]:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.5)
    raise AssertionError(f"Prometheus never saw {expected} model calls")


def test_every_dashboard_query_answers_with_data(store: ResultStore, prometheus: str) -> None:
    # two rounds a few scrapes apart: every counter moves within the rate window
    seed(store)
    calls_seen(prometheus, 4)
    seed(store)
    calls_seen(prometheus, 8)
    time.sleep(2.5)  # two more scrapes after the second round
    checked = 0
    for path, text in files(DeployTarget()).items():
        if not path.endswith(".json"):
            continue
        board = json.loads(text)
        for panel in (p for p in board["panels"] if p["type"] != "row"):
            for target in panel["targets"]:
                expr = target["expr"]
                for variable, duration in GRAFANA_INTERVALS.items():
                    expr = expr.replace(variable, duration)
                where = f"{board['uid']} / {panel['title']}: {expr}"
                try:
                    answer = query(prometheus, expr)
                except urllib.error.HTTPError as error:
                    raise AssertionError(f"{where}: {error.read().decode()}") from None
                assert answer, f"{where}: no data"
                values = [float(series["value"][1]) for series in answer]
                assert all(math.isfinite(v) for v in values), f"{where}: {values}"
                checked += 1
    assert checked > 60
