"""Metric rollups: written with each record, equal to a rebuild from the records, on both DBs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agentic_testgen.signals import rollups
from agentic_testgen.storage import RegressionFinding, ResultStore
from agentic_testgen.storage._rollups import rebuild
from tests.conftest import make_result


def fill(store: ResultStore) -> None:
    suite = store.start_suite("nightly")
    store.add_result(
        suite.id,
        "a",
        make_result(0.9),
        started_at=datetime.now(UTC),
        metadata={
            "generator": "agent",
            "tests_kept": 4,
            "test_file_bytes": 900,
            "agents": {"coder": {"iterations": 2, "seconds": 1.5}},
        },
    )
    store.add_result(suite.id, "b", None, started_at=datetime.now(UTC), errors=["b: broken"],
                     metadata={"generator": "agent"})  # fmt: skip
    store.finish_suite(suite.id)
    store.add_llm_call(
        agent="coder",
        provider="openai",
        model="m",
        input_tokens=10,
        output_tokens=2,
        cost_usd=0.1,
        latency_s=1.0,
        suite_id=suite.id,
    )
    store.add_regressions(suite.id, [
        RegressionFinding("nightly", "score", 0.9, 0.7, -0.2, flagged=True),
        RegressionFinding("nightly", "coverage", 0.9, 0.9, 0.0, flagged=False),
    ])  # fmt: skip


def as_dict(store: ResultStore) -> dict[tuple[object, ...], float]:
    return {(f, labels, field): value for f, labels, field, value in store.metric_rollups()}


def test_rollups_written_with_records_equal_a_rebuild_from_them(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    fill(store)
    written = as_dict(store)
    with store.engine.begin() as connection:
        rebuild(connection)
    assert as_dict(store) == written
    calls = ("test_generation_calls_total", (("status", "error"),), "value")
    assert written[calls] == 1
    assert written[("regressions_detected_total", (("eval_name", "nightly"),), "value")] == 1
    assert written[("agent_iterations_total", (("agent", "coder"),), "value")] == 2


def test_rollups_add_up_on_postgresql(postgres_url: str) -> None:
    store = ResultStore(postgres_url)
    before = as_dict(store)
    fill(store)
    fill(store)
    after = as_dict(store)
    key = ("llm_tokens_total", (("provider", "openai"), ("type", "input")), "value")
    assert after[key] - before.get(key, 0.0) == 20


def test_a_value_on_a_bucket_bound_counts_under_it_and_labels_are_checked() -> None:
    on_bound = rollups.observe("llm_call_duration_seconds", 0.64, provider="p", model="m")
    above = rollups.observe("llm_call_duration_seconds", 0.65, provider="p", model="m")
    assert on_bound[0].field == "bucket:6"  # GenAI bounds: ..., 0.32, 0.64 (index 6), 1.28
    assert above[0].field == "bucket:7"
    with pytest.raises(ValueError, match="takes labels"):
        rollups.count("llm_calls_total", provider="p")


def test_a_scrape_reads_the_latest_suite_of_each_name_on_postgresql(postgres_url: str) -> None:
    from prometheus_client import generate_latest

    from agentic_testgen.observability.collector import build_registry

    store = ResultStore(postgres_url)
    for name, score in (("pg-nightly", 0.5), ("pg-nightly", 0.9), ("pg-weekly", 0.7)):
        suite = store.start_suite(name)
        store.add_result(suite.id, "a", make_result(score), started_at=datetime.now(UTC))
        store.finish_suite(suite.id)
    text = generate_latest(build_registry(store)).decode()
    assert 'eval_score{eval_name="pg-nightly",level="unit"} 0.9' in text
    assert 'eval_score{eval_name="pg-weekly",level="unit"} 0.7' in text
    assert 'eval_suites_completed_total{eval_name="pg-nightly"}' in text
