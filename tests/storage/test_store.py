"""The result store on real SQLite and real PostgreSQL: migrations, writes, reads, concurrency."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from agentic_testgen.storage import (
    SCHEMA_VERSION,
    ResultStore,
    StorageError,
    _observed,
    metric_means,
)
from agentic_testgen.storage._models import Base
from tests.conftest import make_result

SEED_COLUMNS = {
    "eval_results": {
        "id", "eval_name", "eval_level", "status", "started_at", "completed_at",
        "duration_seconds", "score", "quality_level", "metrics", "metadata", "errors",
        "warnings", "recommendations", "created_at",
    },
    "eval_suites": {
        "id", "name", "description", "overall_score", "quality_level", "started_at",
        "completed_at", "duration_seconds", "total_evals", "passed_evals", "failed_evals",
        "created_at",
    },
    "suite_results": {"suite_id", "result_id"},
    "baselines": {"eval_name", "baseline_score", "baseline_metrics", "set_at"},
}  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ResultStore:
    if request.param == "sqlite":
        return ResultStore.for_workspace(tmp_path)
    url = request.getfixturevalue("postgres_url")
    fresh = ResultStore(url)
    with fresh.engine.begin() as connection:  # every test starts from an empty database
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    return ResultStore(url)


def test_migrations_create_the_seed_tables_with_the_seed_columns(store: ResultStore) -> None:
    inspector = inspect(store.engine)
    for table, columns in SEED_COLUMNS.items():
        assert columns <= {c["name"] for c in inspector.get_columns(table)}, table
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            SCHEMA_VERSION
        )


def test_migrated_schema_matches_the_models(store: ResultStore) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_a_result_round_trips_with_its_suite(store: ResultStore) -> None:
    suite = store.start_suite("test_quality", dataset="mixed", dataset_hash="sha256:x")
    stored = store.add_result(
        suite.id, "simple/clamp", make_result(0.8), started_at=datetime.now(UTC)
    )
    store.add_result(suite.id, "simple/broken", None, started_at=datetime.now(UTC), errors=["boom"])
    finished = store.finish_suite(suite.id)
    assert (finished.total_evals, finished.passed_evals, finished.failed_evals) == (2, 1, 1)
    assert finished.overall_score == pytest.approx(0.4)  # the broken entry counts as 0
    results = store.suite_results(suite.id)
    assert [r.entry_id for r in results] == ["simple/clamp", "simple/broken"]
    assert results[0].result == stored.result
    assert results[1].errors == ("boom",)
    assert store.get_latest_result("simple/clamp") is not None


def test_a_second_result_for_an_entry_of_a_suite_is_refused(store: ResultStore) -> None:
    suite = store.start_suite("test_quality")
    store.add_result(suite.id, "a", make_result(0.5), started_at=datetime.now(UTC))
    with pytest.raises(StorageError, match="already has a result for 'a'"):
        store.add_result(suite.id, "a", make_result(0.9), started_at=datetime.now(UTC))
    assert store.completed_entries(suite.id) == {"a"}


def test_baseline_keeps_score_metric_means_and_suite(store: ResultStore) -> None:
    suite = store.start_suite("test_quality")
    for entry, score in (("a", 0.6), ("b", 1.0)):
        store.add_result(suite.id, entry, make_result(score), started_at=datetime.now(UTC))
    store.finish_suite(suite.id)
    store.set_baseline("test_quality", suite.id)
    baseline = store.baseline("test_quality")
    assert baseline is not None
    assert baseline.suite_id == suite.id
    assert baseline.baseline_score == pytest.approx(0.8)
    assert baseline.baseline_metrics == pytest.approx({"coverage": 0.8, "pass_rate": 0.8})


def finished_suite(
    store: ResultStore, name: str, scores: tuple[float, ...], dataset: str | None = "d"
) -> str:
    suite = store.start_suite(name, dataset=dataset, generator="reference")
    for index, score in enumerate(scores):
        store.add_result(suite.id, f"e{index}", make_result(score), started_at=datetime.now(UTC))
    return store.finish_suite(suite.id).id


def test_metric_means_of_many_suites_come_from_one_call(store: ResultStore) -> None:
    first = finished_suite(store, "nightly", (0.6, 1.0))
    second = store.start_suite("nightly")
    store.add_result(second.id, "e0", make_result(0.4), started_at=datetime.now(UTC))
    store.add_result(second.id, "e1", None, started_at=datetime.now(UTC), errors=["boom"])
    store.finish_suite(second.id)
    empty = store.start_suite("nightly").id
    means = store.suite_metric_means([first, second.id, empty])
    assert means == {
        first: pytest.approx({"coverage": 0.8, "pass_rate": 0.8}),
        second.id: pytest.approx({"coverage": 0.4, "pass_rate": 0.4}),  # the failed one has none
    }
    for suite_id in (first, second.id):
        assert means[suite_id] == metric_means(store.suite_results(suite_id))
    assert store.suite_metric_means([]) == {}


def test_a_scrape_reads_each_names_history_over_its_latest_dataset(
    store: ResultStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_observed, "HISTORY_RUNS", 3)
    for score in (0.9, 0.8):
        finished_suite(store, "nightly", (score,), dataset="old")
    kept = [finished_suite(store, "nightly", (score,)) for score in (0.7, 0.6, 0.5, 0.4)]
    weekly = finished_suite(store, "weekly", (1.0, 0.5), dataset=None)
    store.start_suite("nightly", dataset="d", generator="reference")  # running: not history
    histories = store.metrics_snapshot()[1].histories
    assert [point.suite_id for point in histories["nightly"]] == kept[
        1:
    ]  # the last 3, oldest first
    assert [point.score for point in histories["nightly"]] == pytest.approx([0.6, 0.5, 0.4])
    assert histories["nightly"][-1].metrics == pytest.approx({"coverage": 0.4, "pass_rate": 0.4})
    assert [point.suite_id for point in histories["weekly"]] == [weekly]
    # a completed suite's means are read once; a suite completed since is read at the next scrape
    assert set(store._known_means) == {*kept[1:], weekly}
    newest = finished_suite(store, "nightly", (0.3,))
    histories = store.metrics_snapshot()[1].histories
    assert [point.suite_id for point in histories["nightly"]] == [*kept[2:], newest]
    assert histories["nightly"][-1].metrics == pytest.approx({"coverage": 0.3, "pass_rate": 0.3})


def test_unknown_suite_is_a_clear_error(store: ResultStore) -> None:
    with pytest.raises(StorageError, match="no suite 'suite_nope'"):
        store.suite("suite_nope")


def test_unreachable_database_is_one_line() -> None:
    with pytest.raises(StorageError, match="cannot open database") as raised:
        ResultStore("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert "\n" not in str(raised.value)


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def _write_results(database: str, suite_id: str, worker: int) -> None:
    store = ResultStore(database)
    for index in range(10):
        store.add_result(
            suite_id, f"w{worker}/e{index}", make_result(0.5), started_at=datetime.now(UTC)
        )


def test_several_processes_write_one_sqlite_database_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evals.db'}"
    suite = ResultStore(url).start_suite("test_quality")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_results, args=(url, suite.id, w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(ResultStore(url).completed_entries(suite.id)) == 40


def test_upgrading_keeps_each_baseline_with_its_suites_dataset_and_generator(
    tmp_path: Path,
) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from agentic_testgen.storage._database import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:  # a database as release 0002 left it, with a baseline
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.execute(text(
            "INSERT INTO eval_suites (id, name, started_at, status, dataset, generator, "
            "total_evals, passed_evals, failed_evals) VALUES ('suite_1', 'nightly', "
            "'2026-01-01 00:00:00', 'completed', 'mixed', 'reference', 0, 0, 0)"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO baselines (eval_name, baseline_score, baseline_metrics, set_at, "
            "suite_id) VALUES ('nightly', 0.8, '{}', '2026-01-01 00:00:00', 'suite_1')"
        ))  # fmt: skip
    engine.dispose()
    baseline = ResultStore(url).baseline("nightly", dataset="mixed", generator="reference")
    assert baseline is not None
    assert (baseline.baseline_score, baseline.suite_id) == (0.8, "suite_1")


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    garbage = tmp_path / "evals.db"
    garbage.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(StorageError, match=r"file is not a database \(move it away"):
        ResultStore(f"sqlite:///{garbage}")
    assert garbage.read_bytes() == bytes(range(256)) * 20  # left as it was


def test_a_database_from_a_newer_atg_is_refused_untouched(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evals.db'}"
    store = ResultStore(url)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    store.close()
    newer = rf"has schema 0099, newer than this atg's {SCHEMA_VERSION}"
    with pytest.raises(StorageError, match=newer):
        ResultStore(url)


def test_a_database_url_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"no folder .*missing"):
        ResultStore(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    assert not (tmp_path / "missing").exists()


def test_llm_usage_sums_a_suites_calls_and_names_its_models(store: ResultStore) -> None:
    suite = store.start_suite("test_quality")
    other = store.start_suite("test_quality")
    call = {"agent": "coder", "provider": "openai", "model": "gpt-4o-mini", "input_tokens": 10,
            "output_tokens": 5, "cost_usd": 0.25, "latency_s": 1.0}  # fmt: skip
    store.add_llm_calls([call, call, {**call, "model": "claude-x", "cost_usd": 0.5}],
                        suite_id=suite.id)  # fmt: skip
    store.add_llm_calls([call], suite_id=other.id)
    usage = store.llm_usage(suite.id)
    assert (usage.models, usage.calls, usage.cost_usd) == (("claude-x", "gpt-4o-mini"), 3, 1.0)
    assert store.llm_usage(store.start_suite("test_quality").id).calls == 0
