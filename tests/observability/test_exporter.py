"""The exporter end to end: a real suite, real HTTP scrapes, values checked against the database."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.config import Settings
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.observability.exporter import start_exporter
from agentic_testgen.signals import METRICS
from agentic_testgen.storage import ResultStore
from tests.evals.test_runner import DATASET

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]

CALLS = [  # latency 0.3 s, 0.64 s (exactly on a bound: counted under it), 3 s
    {"agent": "coder", "provider": "openai", "model": "gpt-4o-mini", "input_tokens": 100,
     "output_tokens": 20, "cost_usd": 0.01, "latency_s": 0.3},
    {"agent": "coder", "provider": "openai", "model": "gpt-4o-mini", "input_tokens": 5000,
     "output_tokens": 300, "cost_usd": 0.02, "latency_s": 0.64},
    {"agent": "critic", "provider": "anthropic", "model": "claude-sonnet-4-5", "input_tokens": 7,
     "output_tokens": 1, "cost_usd": 0.5, "latency_s": 3.0, "status": "rate_limited"},
]  # fmt: skip


def scrape(url: str) -> tuple[Samples, set[str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    samples: Samples = {}
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples, names


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding one real suite (3 entries, one failing) and three LLM calls."""
    root = tmp_path_factory.mktemp("exporter")
    (root / "tiny.yaml").write_text(DATASET)
    settings = Settings.model_validate({"run": {"reruns": 2, "mutation": False}})
    runner = EvalRunner(root / "evals", settings=settings)
    outcome = runner.run_full_evaluation(str(root / "tiny.yaml"), jobs=2, reports=False)
    runner.storage.add_llm_calls(CALLS, suite_id=outcome.suite.id)
    return root / "evals"


@pytest.fixture
def exporter(workspace: Path) -> Iterator[str]:
    server, _ = start_exporter(ResultStore.for_workspace(workspace), port=0)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_scraped_values_match_the_database(workspace: Path, exporter: str) -> None:
    samples, names = scrape(exporter + "/metrics")
    store = ResultStore.for_workspace(workspace)
    suite = store.suites("test_quality")[-1]
    results = store.suite_results(suite.id)
    completed = [r for r in results if r.status == "completed"]

    def value(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    assert value("eval_results_total", eval_name="test_quality", status="completed") == 2
    assert value("eval_results_total", eval_name="test_quality", status="failed") == 1
    assert value("eval_duration_seconds_count", eval_name="test_quality") == 3
    assert value("eval_duration_seconds_sum", eval_name="test_quality") == pytest.approx(
        sum(r.duration_seconds or 0 for r in results)
    )
    assert value("tests_executed_total", language="python", outcome="passed") == store.count(
        "test_outcomes"
    )
    assert value("test_coverage_ratio", language="python") == pytest.approx(
        statistics.fmean(r.metrics["coverage"] for r in completed)
    )
    assert value("test_pass_rate_ratio", language="python") == 1.0
    assert value("test_quality_score") == pytest.approx(suite.overall_score)
    assert value("eval_score", eval_name="test_quality", level="unit") == (
        pytest.approx(suite.overall_score)
    )
    assert value("eval_suites_completed_total", eval_name="test_quality") == 1
    assert value("test_file_size_bytes_count") == 2  # the untested entry has no file
    # LLM calls: seed names and GenAI names
    assert value("llm_calls_total", provider="openai", model="gpt-4o-mini") == 2
    assert value("llm_tokens_total", provider="openai", type="input") == 5100
    assert value("llm_cost_total") == pytest.approx(0.53)
    assert value("llm_call_errors_total", provider="anthropic", status="rate_limited") == 1
    bucket = {"provider": "openai", "model": "gpt-4o-mini"}
    assert value("llm_call_duration_seconds_bucket", **bucket, le="0.32") == 1
    assert value("llm_call_duration_seconds_bucket", **bucket, le="0.64") == 2
    assert value("llm_call_duration_seconds_bucket", **bucket, le="+Inf") == 2
    gen_ai = {"gen_ai_operation_name": "chat", "gen_ai_provider_name": "openai",
              "gen_ai_request_model": "gpt-4o-mini"}  # fmt: skip
    usage = {**gen_ai, "gen_ai_token_type": "input"}
    assert value("gen_ai_client_token_usage_bucket", **usage, le="1024.0") == 1
    assert value("gen_ai_client_token_usage_bucket", **usage, le="16384.0") == 2
    assert value("gen_ai_client_operation_duration_seconds_sum", **gen_ai) == pytest.approx(0.94)
    # every defined family is served, plus the process and GC collectors
    assert {m.name.removesuffix("_total") for m in METRICS} <= names
    assert len(METRICS) >= 40
    assert {"process_cpu_seconds", "python_gc_objects_collected"} <= names


def test_counters_survive_a_restart_and_count_other_writers(workspace: Path) -> None:
    store = ResultStore.for_workspace(workspace)
    server, _ = start_exporter(store, port=0)
    before, _ = scrape(f"http://127.0.0.1:{server.server_port}/metrics")
    server.shutdown()
    server.server_close()
    # another process writes a call while no exporter runs
    write = (
        "import sys; from agentic_testgen.storage import ResultStore;"
        "ResultStore(sys.argv[1]).add_llm_call(agent='coder', provider='openai',"
        "model='gpt-4o-mini', input_tokens=1, output_tokens=1, cost_usd=0.0, latency_s=0.1)"
    )
    subprocess.run([sys.executable, "-c", write, store.url], check=True)
    server, _ = start_exporter(ResultStore.for_workspace(workspace), port=0)
    try:
        after, _ = scrape(f"http://127.0.0.1:{server.server_port}/metrics")
    finally:
        server.shutdown()
        server.server_close()
    key = ("llm_calls_total", (("model", "gpt-4o-mini"), ("provider", "openai")))
    assert after[key] == before[key] + 1
    unchanged = [k for k in before if k[0].startswith(("eval_", "tests_", "test_file"))]
    assert unchanged and all(after[k] == before[k] for k in unchanged)


def test_healthz_answers_and_unknown_paths_are_404(exporter: str) -> None:
    with urllib.request.urlopen(exporter + "/healthz", timeout=10) as response:
        assert (response.status, response.read()) == (200, b"ok\n")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(exporter + "/nope", timeout=10)
    assert error.value.code == 404


def test_promtool_finds_nothing_to_lint(exporter: str) -> None:
    with urllib.request.urlopen(exporter + "/metrics", timeout=10) as response:
        text = response.read()
    checked = subprocess.run(
        ["promtool", "check", "metrics"], input=text, capture_output=True, check=False
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, b"", b"")


def test_metrics_show_prints_the_exposition_and_a_busy_port_is_one_line(workspace: Path) -> None:
    shown = CliRunner().invoke(app, ["metrics", "show", "--workspace", str(workspace)])
    assert shown.exit_code == 0
    assert 'test_coverage_ratio{language="python"}' in shown.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = CliRunner().invoke(
            app, ["metrics", "serve", "--port", str(port), "--workspace", str(workspace)]
        )
    assert busy.exit_code == 2
    assert busy.output.startswith(f"error: cannot listen on 127.0.0.1:{port}")
    assert len(busy.output.strip().splitlines()) == 1


def test_an_unreadable_database_is_a_503_with_one_line(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    server, _ = start_exporter(store, port=0)
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with store.engine.begin() as connection:  # the database loses a table under the exporter
            connection.exec_driver_sql("ALTER TABLE eval_suites RENAME TO gone")
        for path in ("/healthz", "/metrics"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(base + path, timeout=10)
            assert error.value.code == 503
            body = error.value.read().decode()
            assert body.startswith("database error on") and body.count("\n") == 1
    finally:
        server.shutdown()
        server.server_close()
