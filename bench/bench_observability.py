"""Observability costs: scrape latency on a large database, and tracing + metrics on a suite run.

1. Scrape latency. A SQLite database is filled with 100,000 stored results (10 per suite, 3 tests
   each) and 1,000,000 LLM-call records; the rollups are rebuilt from them (what the migration
   does for an existing database; timed). `/metrics` is then scraped over HTTP. The peer is the
   straightforward exporter: the same counters and histograms aggregated by SQL over the raw
   rows at every scrape. Goal: our p99 under 50 ms. Then what the anomaly gauge's history (the
   last 30 suites of each name and their metric means) adds, without it, warm and cold.
2. Overhead on a suite run. `atg eval run --dataset synthetic-simple` with tracing on and off,
   alternated; plus the time the metric rollups take for that suite's records, replayed into a
   scratch database (rollups are part of every write, so they have no off switch). Goal: under
   2% of the run's wall time.

Usage: python bench/bench_observability.py [--results 100000] [--calls 1000000] [--scrapes 200]
                                           [--runs 5] [--output bench/results/observability.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import case, func, insert, select

from agentic_testgen.domain import EvalResult, Language, MetricValue, TestOutcome, TestReport
from agentic_testgen.observability.collector import StorageCollector
from agentic_testgen.observability.exporter import start_exporter
from agentic_testgen.signals import rollups
from agentic_testgen.signals.definitions import GEN_AI_DURATION_BUCKETS
from agentic_testgen.storage import ResultStore, _observed
from agentic_testgen.storage._models import (
    EvalResultRow,
    EvalSuiteRow,
    LLMCallRow,
    SuiteResultRow,
    TestOutcomeRow,
)
from agentic_testgen.storage._rollups import apply, rebuild

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 20_000
MODELS = [("openai", "gpt-4o-mini"), ("openai", "gpt-4o"), ("anthropic", "claude-sonnet-4-5"),
          ("ollama", "qwen2.5-coder:7b")]  # fmt: skip


def result_document(rng: random.Random) -> EvalResult:
    metrics = {
        name: MetricValue(name=name, value=round(rng.uniform(0.5, 1.0), 3), threshold=0.8)
        for name in ("correctness", "pass_rate", "coverage", "completeness", "assertions",
                     "determinism", "readability", "mutation_score")
    }  # fmt: skip
    tests = tuple(
        TestReport(nodeid=f"test_mod.py::test_{i}", outcome=TestOutcome.PASSED,
                   duration_s=rng.uniform(0.0005, 0.02), flaky=False, reached_module=True)
        for i in range(3)
    )  # fmt: skip
    return EvalResult(
        score=0.85, quality_level="good", passed=True, pass_line=0.7, language=Language.PYTHON,
        source="mod.py", tests_file="test_mod.py", metrics=metrics,
        weights=dict.fromkeys(metrics, 1.0), tests=tests, sandbox="bwrap", reruns=5,
        duration_s=1.2, created_at=datetime.now(UTC), atg_version="bench",
    )  # fmt: skip


def chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def populate(store: ResultStore, results: int, calls: int, per_suite: int = 10) -> None:
    """Raw rows in bulk (the rollups are rebuilt afterwards, as the migration does)."""
    rng = random.Random(7)
    documents = [result_document(rng) for _ in range(20)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    suites = results // per_suite
    with store.engine.begin() as connection:
        connection.execute(insert(EvalSuiteRow), [
            {"id": f"suite_{s:06d}", "name": f"suite_{s % 3}", "status": "completed",
             "started_at": start + timedelta(minutes=10 * s),
             "completed_at": start + timedelta(minutes=10 * s + 5), "duration_seconds": 300.0,
             "overall_score": 0.85, "quality_level": "good", "total_evals": per_suite}
            for s in range(suites)
        ])  # fmt: skip

        def result_rows() -> Iterator[dict[str, Any]]:
            for r in range(results):
                document = documents[r % len(documents)]
                at = start + timedelta(minutes=10 * (r // per_suite), seconds=r % per_suite)
                yield {
                    "id": f"result_{r:07d}", "eval_name": f"entry/{r % per_suite}",
                    "eval_level": "unit", "status": "completed", "started_at": at,
                    "completed_at": at, "duration_seconds": 1.5, "score": document.score,
                    "quality_level": "good", "language": "python", "passed": True,
                    "metrics": json.dumps({n: m.value for n, m in document.metrics.items()}),
                    "metadata": "{}", "errors": "[]", "warnings": "[]", "recommendations": "[]",
                    "result_json": document.model_dump_json(), "created_at": at,
                }  # fmt: skip

        for batch in chunks(result_rows()):
            connection.execute(insert(EvalResultRow), batch)
        for batch in chunks(
            {"suite_id": f"suite_{r // per_suite:06d}", "result_id": f"result_{r:07d}",
             "entry_id": f"entry/{r % per_suite}"}
            for r in range(results)
        ):  # fmt: skip
            connection.execute(insert(SuiteResultRow), batch)
        for batch in chunks(
            {"result_id": f"result_{r:07d}", "nodeid": f"test_mod.py::test_{t}",
             "outcome": "passed", "duration_s": 0.004, "flaky": False, "reached_module": True}
            for r in range(results) for t in range(3)
        ):  # fmt: skip
            connection.execute(insert(TestOutcomeRow), batch)
        for batch in chunks(
            {"suite_id": f"suite_{rng.randrange(suites):06d}", "agent": "coder",
             "provider": provider, "model": model, "input_tokens": rng.randrange(200, 8000),
             "output_tokens": rng.randrange(50, 2000), "cost_usd": rng.uniform(0, 0.05),
             "latency_s": rng.lognormvariate(0.5, 0.8), "status": "ok",
             "created_at": start}
            for provider, model in (rng.choice(MODELS) for _ in range(calls))
        ):  # fmt: skip
            connection.execute(insert(LLMCallRow), batch)


def seed(store: ResultStore, results: int, calls: int) -> dict[str, Any]:
    """Fill `store` with `results` results and `calls` LLM calls and rebuild the rollups from
    them; the times each took (also the database of `bench_exporter_load.py`)."""
    began = time.perf_counter()
    populate(store, results, calls)
    filled = time.perf_counter() - began
    began = time.perf_counter()
    with store.engine.begin() as connection:
        rebuild(connection)
    rebuilt = time.perf_counter() - began
    return {
        "results": results, "llm_calls": calls, "fill_s": round(filled, 1),
        "rollup_rebuild_s": round(rebuilt, 1), "rollup_rows": store.count("metric_rollups"),
    }  # fmt: skip


class SQLAggregateCollector(Collector):
    """The peer: the same LLM, result and test families, aggregated over the raw rows at every
    scrape (what an exporter without rollups does)."""

    def __init__(self, store: ResultStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        call = LLMCallRow
        buckets = [func.sum(case((call.latency_s <= bound, 1), else_=0))
                   for bound in GEN_AI_DURATION_BUCKETS]  # fmt: skip
        calls = CounterMetricFamily("llm_calls", "LLM API calls.", labels=["provider", "model"])
        tokens = CounterMetricFamily("llm_tokens", "Tokens.", labels=["provider", "type"])
        latency = HistogramMetricFamily("llm_call_duration_seconds", "Latency.",
                                        labels=["provider", "model"])  # fmt: skip
        results = CounterMetricFamily("eval_results", "Entries.", labels=["status"])
        tests = CounterMetricFamily("tests_executed", "Tests.", labels=["outcome"])
        with self.store.engine.connect() as connection:
            for row in connection.execute(
                select(call.provider, call.model, func.count(), func.sum(call.input_tokens),
                       func.sum(call.output_tokens), func.sum(call.latency_s), *buckets)
                .group_by(call.provider, call.model)
            ):  # fmt: skip
                provider, model, count, tokens_in, tokens_out, total = row[:6]
                calls.add_metric([provider, model], count)
                tokens.add_metric([provider, "input"], tokens_in)
                tokens.add_metric([provider, "output"], tokens_out)
                cumulative = [
                    (repr(float(b)), n)
                    for b, n in zip(GEN_AI_DURATION_BUCKETS, row[6:], strict=True)
                ]
                latency.add_metric([provider, model], [*cumulative, ("+Inf", count)], total)
            for status, count in connection.execute(
                select(EvalResultRow.status, func.count()).group_by(EvalResultRow.status)
            ):
                results.add_metric([status], count)
            for outcome, count in connection.execute(
                select(TestOutcomeRow.outcome, func.count()).group_by(TestOutcomeRow.outcome)
            ):
                tests.add_metric([outcome], count)
        yield from (calls, tokens, latency, results, tests)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }


def scrape_latency(store: ResultStore, scrapes: int) -> dict[str, Any]:
    server, _ = start_exporter(store, port=0)
    url = f"http://127.0.0.1:{server.server_port}/metrics"
    try:
        urllib.request.urlopen(url, timeout=60).read()  # warm: connections, caches
        ours = []
        for _ in range(scrapes):
            began = time.perf_counter()
            body = urllib.request.urlopen(url, timeout=60).read()
            ours.append(time.perf_counter() - began)
    finally:
        server.shutdown()
        server.server_close()
    peer_registry = CollectorRegistry(auto_describe=False)
    peer_registry.register(SQLAggregateCollector(store))
    generate_latest(peer_registry)
    peer = []
    for _ in range(max(5, scrapes // 10)):  # each takes seconds: fewer samples
        began = time.perf_counter()
        generate_latest(peer_registry)
        peer.append(time.perf_counter() - began)
    return {"atg": percentiles(ours), "sql_aggregate_peer": percentiles(peer),
            "atg_bytes": len(body), "scrapes": len(ours), "peer_scrapes": len(peer)}  # fmt: skip


def anomaly_history_cost(store: ResultStore, scrapes: int) -> dict[str, Any]:
    """What `eval_metric_anomaly` adds to a scrape (in process, no HTTP): each name's last 30
    suites left out, read with the metric means kept from earlier scrapes (warm), and read
    afresh (cold: the first scrape after a start), alternated in blocks of 10."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StorageCollector(store))
    read = _observed._histories
    samples: dict[str, list[float]] = {"without": [], "warm": [], "cold": []}
    generate_latest(registry)
    try:
        for _ in range(max(1, scrapes // 30)):
            for label, times in samples.items():
                _observed._histories = (lambda *_: {}) if label == "without" else read
                for _ in range(10):
                    if label == "cold":
                        store._known_means.clear()
                    began = time.perf_counter()
                    generate_latest(registry)
                    times.append(time.perf_counter() - began)
    finally:
        _observed._histories = read
    return {label: percentiles(times) for label, times in samples.items()}


def suite_run(workspace: Path, tracing: bool) -> float:
    env = {**os.environ, "ATG_TRACING": "1" if tracing else "0", "ATG_RUN__MUTATION": "false"}
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "agentic_testgen", "eval", "run", "--dataset", "synthetic-simple",
         "--workspace", str(workspace), "--no-reports", "--no-regression-check"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - began


def rollup_seconds(workspace: Path) -> float:
    """Time to compute and write the rollups of the latest suite's records (scratch database)."""
    source = ResultStore.for_workspace(workspace)
    suite = source.suites(limit=1)[-1]
    stored = source.suite_results(suite.id)
    scratch = ResultStore(f"sqlite:///{workspace / 'scratch.db'}")
    began = time.perf_counter()
    for result in stored:
        increments = rollups.for_result(
            suite.name, result.result, duration_s=1.0, metadata=result.metadata
        )
        with scratch.engine.begin() as connection:
            apply(connection, increments)
    with scratch.engine.begin() as connection:
        apply(connection, rollups.for_finished_suite(suite.name, 1.0))
    return time.perf_counter() - began


def overhead(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        workspace = Path(directory)
        suite_run(workspace / "warm", tracing=True)
        on, off = [], []
        for _ in range(runs):
            off.append(suite_run(workspace / "off", tracing=False))
            on.append(suite_run(workspace / "on", tracing=True))
        spans = ResultStore.for_workspace(workspace / "on").count("spans") // runs
        rollup = rollup_seconds(workspace / "on")
    median_on, median_off = statistics.median(on), statistics.median(off)
    return {
        "runs": runs, "tracing_on_s": [round(x, 3) for x in on],
        "tracing_off_s": [round(x, 3) for x in off],
        "median_on_s": round(median_on, 3), "median_off_s": round(median_off, 3),
        "tracing_overhead_pct": round(100 * (median_on - median_off) / median_off, 2),
        "spans_per_run": spans, "rollups_s": round(rollup, 4),
        "rollups_pct": round(100 * rollup / median_off, 3),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--scrapes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/observability.json")
    args = parser.parse_args()
    report: dict[str, Any] = {"machine_cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as directory:
        store = ResultStore(f"sqlite:///{directory}/evals.db")
        report["scrape"] = {
            **seed(store, args.results, args.calls),
            **scrape_latency(store, args.scrapes),
            "anomaly_history": anomaly_history_cost(store, args.scrapes),
        }  # fmt: skip
        scrape = report["scrape"]
        scrape["peer_over_atg_p50"] = round(
            scrape["sql_aggregate_peer"]["p50_ms"] / scrape["atg"]["p50_ms"], 1
        )
        print(json.dumps(report["scrape"], indent=2), flush=True)
    if not args.skip_overhead:
        report["overhead"] = overhead(args.runs)
        print(json.dumps(report["overhead"], indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
