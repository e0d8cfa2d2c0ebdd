"""The result store: the only data API over the database (all SQL of the system lives here)."""

from __future__ import annotations

import json
import secrets
import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from agentic_testgen.config import QualityLevels
from agentic_testgen.domain import EVALUATOR_SUITES, EvalResult
from agentic_testgen.errors import StorageError
from agentic_testgen.signals import rollups
from agentic_testgen.signals.spans import SpanRecord
from agentic_testgen.storage import _activity, _observed, _rollups
from agentic_testgen.storage._database import database_url, make_engine, migrate
from agentic_testgen.storage._models import (
    BaselineRow,
    EvalResultRow,
    EvalSuiteRow,
    LLMCallRow,
    MetricRollupRow,
    RegressionRow,
    SpanRow,
    SuiteResultRow,
    TestOutcomeRow,
    utc_now,
)
from agentic_testgen.storage._records import (
    Activity,
    Baseline,
    LLMUsage,
    ObservedState,
    RegressionFinding,
    StoredResult,
    SuiteRecord,
)


def new_id(prefix: str) -> str:
    """`suite_20251128_143022_abc123`-style ids: sortable by time, unique by the random tail."""
    return f"{prefix}_{datetime.now(UTC):%Y%m%d_%H%M%S}_{secrets.token_hex(3)}"


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without a zone; everything stored is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _loads(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty


def _suite_record(row: EvalSuiteRow) -> SuiteRecord:
    return SuiteRecord(
        id=row.id,
        name=row.name,
        status=row.status,
        started_at=_aware(row.started_at) or row.started_at,
        dataset=row.dataset,
        dataset_hash=row.dataset_hash,
        generator=row.generator,
        description=row.description,
        overall_score=row.overall_score,
        quality_level=row.quality_level,
        completed_at=_aware(row.completed_at),
        duration_seconds=row.duration_seconds,
        total_evals=row.total_evals or 0,
        passed_evals=row.passed_evals or 0,
        failed_evals=row.failed_evals or 0,
        planned_entries=row.planned_entries,
        settings=_loads(row.settings, {}),
        tags=_loads(row.tags, {}),
    )


def _baseline(row: BaselineRow) -> Baseline:
    return Baseline(
        eval_name=row.eval_name,
        baseline_score=row.baseline_score,
        baseline_metrics=json.loads(row.baseline_metrics),
        set_at=_aware(row.set_at) or row.set_at,
        suite_id=row.suite_id,
        dataset=row.dataset,
        generator=row.generator,
    )


def _stored_result(row: EvalResultRow, entry_id: str | None = None) -> StoredResult:
    return StoredResult(
        id=row.id,
        eval_name=row.eval_name,
        status=row.status,
        score=row.score,
        quality_level=row.quality_level,
        passed=row.passed,
        metrics=_loads(row.metrics, {}),
        created_at=_aware(row.created_at) or row.created_at,
        duration_seconds=row.duration_seconds,
        entry_id=entry_id,
        errors=tuple(_loads(row.errors, [])),
        metadata=_loads(row.metadata_json, {}),
        result=EvalResult.model_validate_json(row.result_json) if row.result_json else None,
        level=row.eval_level,
    )


class ResultStore:
    """Suites, their per-entry results, baselines, regressions and LLM calls.

    Opening a store brings its database to the latest schema. SQLite is opened in WAL mode with
    a busy timeout, so several processes may read and write it at once.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # metric means of completed suites read by scrapes: they never change once completed
        self._known_means: _observed.SuiteMeans = {}

    @classmethod
    def for_workspace(cls, workspace: Path, url: str | None = None) -> ResultStore:
        """`url`, else `ATG_DB_URL`, else SQLite at `<workspace>/evals.db` (the workspace is
        made when missing; the folder of a URL given is not)."""
        chosen = database_url(workspace, url)
        if chosen == database_url(workspace):
            workspace.mkdir(parents=True, exist_ok=True)
        return cls(chosen)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise StorageError(f"database error on {self.engine.url!r}: {reason}") from None

    # suites ---------------------------------------------------------------------------------

    def start_suite(
        self,
        name: str,
        *,
        dataset: str | None = None,
        dataset_hash: str | None = None,
        generator: str | None = None,
        planned_entries: int | None = None,
        settings: dict[str, Any] | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> SuiteRecord:
        row = EvalSuiteRow(
            id=new_id("suite"),
            name=name,
            description=description,
            started_at=utc_now(),
            status="running",
            dataset=dataset,
            dataset_hash=dataset_hash,
            generator=generator,
            planned_entries=planned_entries,
            settings=json.dumps(settings or {}),
            tags=json.dumps(dict(tags or {}), sort_keys=True),
        )
        with self._session() as session:
            session.add(row)
        return _suite_record(row)

    def add_result(
        self,
        suite_id: str,
        entry_id: str,
        result: EvalResult | None,
        *,
        started_at: datetime,
        errors: Sequence[str] = (),
        metadata: dict[str, Any] | None = None,
    ) -> StoredResult:
        """Store one entry's result and its tests in one transaction.

        Raises:
            StorageError: the suite already holds a result for this entry.
        """
        completed = utc_now()
        row = EvalResultRow(
            id=new_id("result"),
            eval_name=entry_id,
            eval_level="unit",
            status="completed" if result is not None else "failed",
            started_at=started_at,
            completed_at=completed,
            duration_seconds=(completed - started_at).total_seconds(),
            score=result.score if result else None,
            quality_level=result.quality_level if result else None,
            metrics=json.dumps({n: m.value for n, m in result.metrics.items()} if result else {}),
            metadata_json=json.dumps(metadata or {}),
            errors=json.dumps(list(errors)),
            warnings=json.dumps(list(result.notes) if result else []),
            recommendations=json.dumps(_recommendations(result)),
            language=result.language.value if result else None,
            passed=result.passed if result else False,
            result_json=result.model_dump_json() if result else None,
            created_at=completed,  # microseconds: the server default has only seconds on SQLite
        )
        try:
            with self._session() as session:
                session.add(row)
                session.flush()
                session.add(SuiteResultRow(suite_id=suite_id, result_id=row.id, entry_id=entry_id))
                for test in result.tests if result else ():
                    session.add(
                        TestOutcomeRow(
                            result_id=row.id,
                            nodeid=test.nodeid,
                            outcome=test.outcome.value,
                            duration_s=test.duration_s,
                            flaky=test.flaky,
                            reached_module=test.reached_module,
                        )
                    )
                suite = session.get(EvalSuiteRow, suite_id)
                increments = rollups.for_result(
                    suite.name if suite else entry_id,
                    result,
                    duration_s=row.duration_seconds or 0.0,
                    metadata=metadata or {},
                )
                tags = _loads(suite.tags, {}) if suite else {}
                increments += rollups.for_tagged_result(tags, result, metadata or {})
                _rollups.apply(session, increments)
        except IntegrityError:
            raise StorageError(f"suite {suite_id} already has a result for {entry_id!r}") from None
        return _stored_result(row, entry_id)

    def add_evaluation(
        self,
        suite_id: str,
        entry_id: str,
        *,
        level: str,
        score: float,
        passed: bool,
        metrics: Mapping[str, float],
        started_at: datetime,
        metadata: dict[str, Any] | None = None,
        warnings: Sequence[str] = (),
    ) -> StoredResult:
        """Store the result of an evaluator that is not a test file's evaluation (safety, red
        team): a score, its metrics and its evidence, at its level (`system`, `agent`...)."""
        completed = utc_now()
        row = EvalResultRow(
            id=new_id("result"),
            eval_name=entry_id,
            eval_level=level,
            status="completed",
            started_at=started_at,
            completed_at=completed,
            duration_seconds=(completed - started_at).total_seconds(),
            score=score,
            metrics=json.dumps(dict(metrics)),
            metadata_json=json.dumps(metadata or {}),
            errors="[]",
            warnings=json.dumps(list(warnings)),
            recommendations="[]",
            passed=passed,
            created_at=completed,
        )
        try:
            with self._session() as session:
                session.add(row)
                session.flush()
                session.add(SuiteResultRow(suite_id=suite_id, result_id=row.id, entry_id=entry_id))
                suite = session.get(EvalSuiteRow, suite_id)
                _rollups.apply(
                    session, rollups.for_evaluation(suite.name if suite else "", metadata or {})
                )
        except IntegrityError:
            raise StorageError(f"suite {suite_id} already has a result for {entry_id!r}") from None
        return _stored_result(row, entry_id)

    def completed_entries(self, suite_id: str) -> set[str]:
        with self._session() as session:
            rows = session.scalars(
                select(SuiteResultRow.entry_id).where(SuiteResultRow.suite_id == suite_id)
            )
            return set(rows)

    def finish_suite(self, suite_id: str, levels: QualityLevels | None = None) -> SuiteRecord:
        """Aggregate the suite's results into its row and mark it completed."""
        levels = levels or QualityLevels()
        results = self.suite_results(suite_id)
        # an entry that errored counts as 0, never as absent (an invalid one already scores 0)
        scores = [r.score if r.score is not None else 0.0 for r in results]
        with self._session() as session:
            row = session.get(EvalSuiteRow, suite_id)
            if row is None:
                raise StorageError(f"no suite {suite_id!r}")
            row.completed_at = utc_now()
            started = _aware(row.started_at) or row.started_at
            row.duration_seconds = (row.completed_at - started).total_seconds()
            row.total_evals = len(results)
            row.passed_evals = sum(1 for r in results if r.passed)
            row.failed_evals = len(results) - row.passed_evals
            row.overall_score = statistics.fmean(scores) if scores else 0.0
            row.quality_level = levels.level(row.overall_score)
            row.status = "completed"
            _rollups.apply(session, rollups.for_finished_suite(row.name, row.duration_seconds))
            return _suite_record(row)

    def suite(self, suite_id: str) -> SuiteRecord:
        with self._session() as session:
            row = session.get(EvalSuiteRow, suite_id)
            if row is None:
                raise StorageError(f"no suite {suite_id!r} in {self.engine.url!r}")
            return _suite_record(row)

    def resolve_suite(self, reference: str) -> str:
        """A suite id from what a user typed: an id, or `latest` (the newest test suite started;
        the safety and red-team suites are named, never `latest`).

        Raises:
            StorageError: `latest` with no suite stored yet.
        """
        if reference != "latest":
            return reference
        query = (
            select(EvalSuiteRow.id)
            .where(EvalSuiteRow.name.not_in(EVALUATOR_SUITES))
            .order_by(EvalSuiteRow.started_at.desc())
            .limit(1)
        )
        with self._session() as session:
            newest = session.scalar(query)
        if newest is None:
            raise StorageError("no suite in the database yet: run `atg eval run` first")
        return newest

    def suite_results(self, suite_id: str) -> list[StoredResult]:
        """The suite's results in the order they were stored."""
        with self._session() as session:
            rows = session.execute(
                select(EvalResultRow, SuiteResultRow.entry_id)
                .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
                .where(SuiteResultRow.suite_id == suite_id)
                .order_by(EvalResultRow.completed_at, EvalResultRow.id)
            )
            return [_stored_result(row, entry_id) for row, entry_id in rows]

    def suites(
        self,
        name: str | None = None,
        *,
        limit: int = 20,
        status: str | None = None,
        dataset: str | None = None,
        generator: str | None = None,
    ) -> list[SuiteRecord]:
        """The most recent suites (named `name`, with `status`, over `dataset` with
        `generator`: any when None), oldest first."""
        query = select(EvalSuiteRow).order_by(EvalSuiteRow.started_at.desc()).limit(limit)
        if name is not None:
            query = query.where(EvalSuiteRow.name == name)
        if status is not None:
            query = query.where(EvalSuiteRow.status == status)
        if dataset is not None:
            query = query.where(EvalSuiteRow.dataset == dataset)
        if generator is not None:
            query = query.where(EvalSuiteRow.generator == generator)
        with self._session() as session:
            return [_suite_record(row) for row in reversed(list(session.scalars(query)))]

    def latest_suite(self, name: str) -> SuiteRecord | None:
        found = self.suites(name, limit=1, status="completed")
        return found[-1] if found else None

    def resumable_suite(self, name: str, dataset_hash: str) -> SuiteRecord | None:
        """The newest unfinished suite of `name` over the same dataset content."""
        query = (
            select(EvalSuiteRow)
            .where(
                EvalSuiteRow.name == name,
                EvalSuiteRow.status == "running",
                EvalSuiteRow.dataset_hash == dataset_hash,
            )
            .order_by(EvalSuiteRow.started_at.desc())
            .limit(1)
        )
        with self._session() as session:
            row = session.scalars(query).first()
            return _suite_record(row) if row else None

    # single results --------------------------------------------------------------------------

    def result_history(self, eval_name: str, *, limit: int = 20) -> list[StoredResult]:
        """The most recent completed results of one eval (an entry id), oldest first."""
        query = (
            select(EvalResultRow)
            .where(EvalResultRow.eval_name == eval_name, EvalResultRow.status == "completed")
            .order_by(EvalResultRow.created_at.desc(), EvalResultRow.id.desc())
            .limit(limit)
        )
        with self._session() as session:
            return [_stored_result(row) for row in reversed(list(session.scalars(query)))]

    def get_latest_result(self, eval_name: str) -> StoredResult | None:
        history = self.result_history(eval_name, limit=1)
        return history[-1] if history else None

    # baselines and regressions ---------------------------------------------------------------

    def set_baseline(self, eval_name: str, suite_id: str) -> Baseline:
        """Make `suite_id` the baseline of `eval_name` for the suite's dataset and generator."""
        suite = self.suite(suite_id)
        means = metric_means(self.suite_results(suite_id))
        row = BaselineRow(
            eval_name=eval_name,
            dataset=suite.dataset or "",
            generator=suite.generator or "",
            baseline_score=suite.overall_score or 0.0,
            baseline_metrics=json.dumps(means),
            set_at=utc_now(),
            suite_id=suite_id,
        )
        with self._session() as session:
            session.merge(row)
        return _baseline(row)

    def baseline(
        self, eval_name: str, *, dataset: str | None = None, generator: str | None = None
    ) -> Baseline | None:
        """The baseline of `eval_name` for `dataset` and `generator` (each: any when None; the
        most recently set of those that match)."""
        query = select(BaselineRow).where(BaselineRow.eval_name == eval_name)
        if dataset is not None:
            query = query.where(BaselineRow.dataset == dataset)
        if generator is not None:
            query = query.where(BaselineRow.generator == generator)
        with self._session() as session:
            row = session.scalars(query.order_by(BaselineRow.set_at.desc()).limit(1)).first()
            return _baseline(row) if row else None

    def baselines(self, eval_name: str) -> list[Baseline]:
        """Every baseline of `eval_name` (one per dataset and generator), oldest first."""
        query = select(BaselineRow).where(BaselineRow.eval_name == eval_name)
        with self._session() as session:
            return [_baseline(row) for row in session.scalars(query.order_by(BaselineRow.set_at))]

    def suite_history(
        self, name: str, *, dataset: str | None, generator: str | None, limit: int = 10
    ) -> list[tuple[SuiteRecord, list[StoredResult]]]:
        """The last `limit` completed suites of one name, dataset and generator with their
        results, oldest first."""
        suites = self.suites(
            name, limit=limit, status="completed", dataset=dataset, generator=generator
        )
        return [(suite, self.suite_results(suite.id)) for suite in suites]

    def suite_metric_means(self, suite_ids: Sequence[str]) -> dict[str, dict[str, float]]:
        """Suite id -> the mean of each metric over its results (`metric_means` of
        `suite_results`), for many suites in one query; a suite with no metric is absent."""
        with self._session() as session:
            return _observed.suite_metric_means(session, suite_ids)

    def add_regressions(self, suite_id: str, findings: Sequence[RegressionFinding]) -> None:
        with self._session() as session:
            session.add_all(
                RegressionRow(
                    suite_id=suite_id,
                    baseline_suite_id=finding.baseline_suite_id,
                    eval_name=finding.eval_name,
                    metric=finding.metric,
                    baseline_value=finding.baseline_value,
                    current_value=finding.current_value,
                    delta=finding.delta,
                    ci_low=finding.ci_low,
                    ci_high=finding.ci_high,
                    paired_entries=finding.paired_entries,
                    flagged=finding.flagged,
                    entry_id=finding.entry_id,
                )
                for finding in findings
            )
            # one check per metric: regressed when its mean or any of its entries is flagged
            checked: dict[tuple[str, str], bool] = {}
            for finding in findings:
                key = (finding.eval_name, finding.metric)
                checked[key] = checked.get(key, False) or finding.flagged
            for (eval_name, _), flagged in checked.items():
                _rollups.apply(session, rollups.for_regression_check(eval_name, [flagged]))

    def regressions(self, suite_id: str) -> list[RegressionFinding]:
        with self._session() as session:
            rows = session.scalars(
                select(RegressionRow)
                .where(RegressionRow.suite_id == suite_id)
                .order_by(RegressionRow.id)
            )
            return [
                RegressionFinding(
                    eval_name=row.eval_name,
                    metric=row.metric,
                    baseline_value=row.baseline_value,
                    current_value=row.current_value,
                    delta=row.delta,
                    flagged=row.flagged,
                    ci_low=row.ci_low,
                    ci_high=row.ci_high,
                    paired_entries=row.paired_entries,
                    baseline_suite_id=row.baseline_suite_id,
                    entry_id=row.entry_id,
                )
                for row in rows
            ]

    # LLM calls -------------------------------------------------------------------------------

    def add_llm_call(
        self, *, suite_id: str | None = None, result_id: str | None = None, **call: Any
    ) -> None:
        """Store one call (agent, provider, model, input_tokens, output_tokens, cost_usd,
        latency_s, status)."""
        self.add_llm_calls([call], suite_id=suite_id, result_id=result_id)

    def add_llm_calls(
        self,
        calls: Sequence[Mapping[str, Any]],
        *,
        suite_id: str | None = None,
        result_id: str | None = None,
    ) -> None:
        """Store many calls in one transaction, with their metric rollups."""
        rows = [LLMCallRow(suite_id=suite_id, result_id=result_id, **call) for call in calls]
        with self._session() as session:
            suite = session.get(EvalSuiteRow, suite_id) if suite_id else None
            tags = _loads(suite.tags, {}) if suite else {}
            increments = [
                increment
                for row in rows
                for increment in (
                    rollups.for_llm_call(
                        provider=row.provider,
                        model=row.model,
                        input_tokens=row.input_tokens or 0,
                        output_tokens=row.output_tokens or 0,
                        cost_usd=row.cost_usd or 0.0,
                        latency_s=row.latency_s or 0.0,
                        status=row.status or "ok",
                    )
                    + rollups.for_tagged_cost(tags, row.model, row.cost_usd or 0.0)
                )
            ]
            session.add_all(rows)
            _rollups.apply(session, increments)

    def llm_usage(self, suite_id: str) -> LLMUsage:
        """The models a suite's generation called, the number of calls and their total cost."""
        with self._session() as session:
            rows = session.execute(
                select(LLMCallRow.model, func.count(), func.sum(LLMCallRow.cost_usd))
                .where(LLMCallRow.suite_id == suite_id)
                .group_by(LLMCallRow.model)
                .order_by(LLMCallRow.model)
            ).all()
        return LLMUsage(
            models=tuple(model for model, _, _ in rows),
            calls=sum(int(calls) for _, calls, _ in rows),
            cost_usd=sum(float(cost or 0.0) for _, _, cost in rows),
        )

    # observability ---------------------------------------------------------------------------

    def activity(self, since: datetime, until: datetime | None = None) -> Activity:
        """Test-suite entries, model spend and red-team attacks stored from `since` to `until`
        (default now): what the SLOs and the cost report read."""
        with self._session() as session:
            return _activity.activity(session, since, until or utc_now())

    def spend_by_tag(self, since: datetime) -> dict[str, float]:
        """Model dollars spent since `since` per tag (`team=payments`), over the suites'
        tags and the calls' models: what the budgets are held against."""
        spent: dict[str, float] = {}
        for spend in self.activity(since).llm_costs:
            for key, value in rollups.tag_pairs(spend.tags, spend.model):
                tag = f"{key}={value}"
                spent[tag] = spent.get(tag, 0.0) + spend.cost_usd
        return spent

    def metric_rollups(self) -> list[tuple[str, rollups.Labels, str, float]]:
        """Every counter and histogram sum: (family, labels, field, value)."""
        with self._session() as session:
            return _rollups.read(session)

    def metrics_snapshot(
        self,
    ) -> tuple[list[tuple[str, rollups.Labels, str, float]], ObservedState]:
        """The rollups and the observed state, read in one transaction (what a scrape needs)."""
        with self._session() as session:
            state = _observed.observed_state(session, known_means=self._known_means)
            return _rollups.read(session), state

    def add_spans(self, spans: Sequence[SpanRecord], suite_id: str | None = None) -> None:
        with self._session() as session:
            _observed.add_spans(session, suite_id, spans)

    def spans(self, suite_id: str) -> list[SpanRecord]:
        """The spans of every trace that touched the suite, in start order."""
        with self._session() as session:
            return _observed.spans(session, suite_id)

    def ping(self) -> None:
        """Raise StorageError when the database cannot be read."""
        with self._session() as session:
            session.scalar(select(func.count()).select_from(EvalSuiteRow))

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (for checks and the CLI's summaries)."""
        models = {
            model.__tablename__: model
            for model in (EvalSuiteRow, EvalResultRow, SuiteResultRow, BaselineRow,
                          TestOutcomeRow, LLMCallRow, RegressionRow, MetricRollupRow, SpanRow)
        }  # fmt: skip
        with self._session() as session:
            return int(session.scalar(select(func.count()).select_from(models[table])) or 0)


class _HasMetrics(Protocol):
    @property
    def metrics(self) -> Mapping[str, float]: ...


def metric_means(results: Iterable[_HasMetrics]) -> dict[str, float]:
    """Mean of each metric over the results that have it (a failed result has none)."""
    values: dict[str, list[float]] = {}
    for result in results:
        for name, value in result.metrics.items():
            values.setdefault(name, []).append(value)
    return {name: statistics.fmean(found) for name, found in sorted(values.items())}


def _recommendations(result: EvalResult | None) -> list[str]:
    """One line per metric below its threshold, naming the evidence to act on."""
    if result is None:
        return []
    advice = {
        "coverage": "add tests for the missing lines and branches",
        "pass_rate": "fix or remove the failing tests",
        "correctness": "make every test call the module and run to a verdict",
        "completeness": "exercise every function, boundary inputs and every raised exception",
        "assertions": "assert on returned values, not only that nothing failed",
        "determinism": "seed randomness, patch the clock, the network and sleeps",
        "readability": "use descriptive names, shorter tests, parametrize copies",
    }
    return [
        f"{name} {metric.value:.2f} < {metric.threshold:.2f}: {advice.get(name, 'improve it')}"
        for name, metric in result.metrics.items()
        if not metric.passed
    ]
