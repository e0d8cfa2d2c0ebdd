"""The suite runner: evaluate every entry of a dataset in parallel, store each result at once.

Each entry's result is committed as soon as it is done, so a killed run loses at most the
entries in flight, and `resume` finishes the rest without duplicates (the store refuses a second
result for an entry of a suite).
"""

from __future__ import annotations

import functools
import hashlib
import os
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opentelemetry.trace import Status, StatusCode

from agentic_testgen.config import RunSettings, Settings, load_settings
from agentic_testgen.datasets import Dataset, DatasetEntry, load_dataset
from agentic_testgen.domain import EvalResult, GeneratedTests, Language, TestOutcome
from agentic_testgen.evals import DEFAULT_SUITE_NAME
from agentic_testgen.evals._evaluate import (
    check_size,
    evaluate,
    evaluate_generated_tests,
    score_measured,
)
from agentic_testgen.evals._sources import NoTestsError, get_test_source
from agentic_testgen.evals.cost import (
    BudgetExceededError,
    breached_budgets,
    budget_window_start,
    run_tags,
)
from agentic_testgen.evals.regression import RegressionReport, check_regression
from agentic_testgen.evals.trends import Trend, analyze_trend
from agentic_testgen.execution import Executor, LocalExecutor
from agentic_testgen.observability import tracing
from agentic_testgen.observability.logs import ensure_logging, get_logger
from agentic_testgen.signals.spans import SpanRecord
from agentic_testgen.storage import ResultStore, StoredResult, SuiteRecord

log = get_logger("runner")
Progress = Callable[[str, StoredResult], None]


@dataclass(frozen=True)
class EntryOutcome:
    """What a worker sends back: a result, or why there is none."""

    entry_id: str
    started_at: datetime
    result_json: str | None = None
    error: str | None = None
    llm_calls: tuple[dict[str, Any], ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: tuple[SpanRecord, ...] = ()


@dataclass(frozen=True)
class SuiteOutcome:
    suite: SuiteRecord
    results: tuple[StoredResult, ...]
    regression: RegressionReport | None = None
    reports: tuple[Path, ...] = ()
    resumed_entries: int = 0
    notes: tuple[str, ...] = field(default=())


def evaluate_entry(
    entry: DatasetEntry,
    settings: Settings,
    generator: str,
    trace_context: Mapping[str, str] | None = None,
) -> EntryOutcome:
    """Evaluate one entry; never raises (a failure becomes the outcome's `error`).

    The entry's spans (children of `trace_context`, the suite's span) come back in the outcome.
    """
    ensure_logging()
    collector = tracing.configure_tracing()
    parent = tracing.extract(trace_context) if trace_context else None
    attributes = {"atg.entry.id": entry.id, "atg.generator": generator}
    with tracing.span(f"eval_entry {entry.id}", attributes, context=parent) as current:
        outcome = _evaluate_entry(entry, settings, generator)
        if outcome.error:
            current.set_status(Status(StatusCode.ERROR, outcome.error[:200]))
    tracing.flush()
    spans = tuple(collector.drain(tracing.trace_id_of(current))) if collector else ()
    return replace(outcome, spans=spans)


def _evaluate_entry(entry: DatasetEntry, settings: Settings, generator: str) -> EntryOutcome:
    started = datetime.now(UTC)
    source = get_test_source(generator, settings)
    result_json = error = None
    measured: dict[str, Any] = {}
    try:
        tests = source.tests_for(entry)
        handed_over = _measured_by_generator(source, entry, tests, settings)
        result = handed_over or evaluate(entry.source, tests, settings)
        # who ran the file for this result: the generator as it finished, or the runner
        measured["measured_by"] = "generator" if handed_over else "runner"
        result_json = result.model_dump_json()
        if entry.buggy_variants:
            measured["seeded_bugs"] = catch_seeded_bugs(entry, tests, settings, result)
        measured["test_file_bytes"] = len(tests.code.encode())
        # what a regression check pairs on: the same module, and the same tests where they
        # are the dataset's own
        measured["module_sha256"] = hashlib.sha256(entry.source.code.encode()).hexdigest()
        # the entry page annotates the module line by line; results outlive dataset files
        measured["module_code"] = entry.source.code
        measured["tests_sha256"] = hashlib.sha256(tests.code.encode()).hexdigest()
    except NoTestsError as no_tests:
        error = str(no_tests)
    except Exception as failure:  # a broken entry is recorded, the suite goes on
        error = f"{entry.id}: {traceback.format_exception_only(failure)[-1].strip()}"
    return EntryOutcome(
        entry.id,
        started,
        result_json=result_json,
        error=error,
        llm_calls=_calls(source),  # what a failed generation spent is counted too
        metadata={**getattr(source, "last_metadata", {}), **measured},
    )


def _measured_by_generator(
    source: object, entry: DatasetEntry, tests: GeneratedTests, settings: Settings
) -> EvalResult | None:
    """The result of the run the generator made of exactly `tests` with these settings' run
    options as it finished (the agent's final measurement), so the file is not run twice."""
    measured = getattr(source, "last_measurement", None)
    if measured is None or measured[0] != tests:
        return None
    check_size(entry.source.path, entry.source.code, "source", settings.run.max_source_mb)
    check_size(tests.path or tests.filename, tests.code, "test", settings.run.max_source_mb)
    return score_measured(entry.source, tests, measured[1], settings)


def catch_seeded_bugs(
    entry: DatasetEntry, tests: GeneratedTests, settings: Settings, result: EvalResult
) -> dict[str, list[str]]:
    """Run the tests once against each buggy variant of the module: a bug is caught when a
    test that passed on the module does not pass on the variant (or the tests no longer load).
    Returns the ids caught and missed."""
    passing = {test.nodeid for test in result.tests if test.outcome == TestOutcome.PASSED}
    run = settings.run.model_copy(update={"reruns": 0, "mutation": False})
    once = settings.model_copy(update={"run": RunSettings.model_validate(run.model_dump())})
    found: dict[str, list[str]] = {"caught": [], "missed": []}
    for bug in entry.buggy_variants:
        variant = entry.source.model_copy(update={"code": bug.code})
        try:
            on_bug = evaluate(variant, tests, once)
        except Exception:  # the variant breaks the run itself: the tests noticed
            found["caught"].append(bug.id)
            continue
        still = {test.nodeid for test in on_bug.tests if test.outcome == TestOutcome.PASSED}
        noticed = bool(on_bug.collection_errors or on_bug.syntax_error) or bool(passing - still)
        found["caught" if noticed and passing else "missed"].append(bug.id)
    return found


def _calls(source: object) -> tuple[dict[str, Any], ...]:
    return tuple(getattr(source, "last_calls", ()))


def _per_entry_settings(settings: Settings, jobs: int | None) -> Settings:
    """Share the cores: each of `jobs` entries in flight on this machine runs its reruns on its
    own share. On a remote cluster (`jobs` unknown) each worker thread takes a whole entry and
    runs its reruns one after another: the cluster is kept busy by entries, not by reruns."""
    cores = os.cpu_count() or 1
    parallel = max(1, cores // jobs) if jobs else 1
    run = settings.run.model_copy(update={"parallel": parallel})
    return settings.model_copy(update={"run": RunSettings.model_validate(run.model_dump())})


class EvalRunner:
    """Runs suites over datasets and keeps their history in a `ResultStore`.

    Args:
        workspace: where datasets (`datasets/`), the SQLite database (`evals.db`) and reports
            (`results/`) live.
        db_url: a database URL instead of `<workspace>/evals.db` (also `ATG_DB_URL`).
        settings: settings instead of those of the current directory.
    """

    def __init__(
        self,
        workspace: Path = Path("evals"),
        *,
        db_url: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.workspace = workspace
        self.settings = settings or load_settings()
        self.storage = ResultStore.for_workspace(workspace, db_url)

    def load(self, dataset: str) -> Dataset:
        return load_dataset(dataset, self.workspace)

    def run_suite(
        self,
        dataset: Dataset,
        *,
        name: str = DEFAULT_SUITE_NAME,
        generator: str = "reference",
        jobs: int | None = None,
        resume: bool = False,
        on_result: Progress | None = None,
        on_start: Callable[[SuiteRecord, int], None] | None = None,
        tags: Mapping[str, str] | None = None,
        executor: Executor | None = None,
    ) -> tuple[SuiteRecord, int]:
        """Evaluate every entry not yet stored; return the finished suite and how many were
        already done (when resuming).

        Entries run on `executor` (an entered one; default: a local pool of `jobs` processes)
        and each result is stored here as it comes back, so this process is the store's only
        writer; an entry whose task failed for good is stored as a failed result.

        Raises:
            BudgetExceededError: a budget of the run's tags is spent (before the first entry,
                or after any; what is stored stays, for --resume).
        """
        get_test_source(generator)  # fail before any work on an unknown generator
        executor = executor or LocalExecutor(jobs)
        run_tags_ = run_tags(tags or {}, generator)
        self._check_budgets(run_tags_)
        suite = self.storage.resumable_suite(name, dataset.content_hash) if resume else None
        if suite is None:
            suite = self.storage.start_suite(
                name,
                dataset=dataset.name,
                dataset_hash=dataset.content_hash,
                generator=generator,
                planned_entries=len(dataset.entries),
                settings=self.settings.model_dump(mode="json"),
                description=dataset.description,
                tags=run_tags_,
            )
        done = self.storage.completed_entries(suite.id)
        todo = [entry for entry in dataset.entries if entry.id not in done]
        if on_start:
            on_start(suite, len(done))
        settings = _per_entry_settings(self.settings, executor.slots_per_host())
        collector = tracing.configure_tracing()
        attributes = {"atg.suite.id": suite.id, "atg.suite.name": name,
                      "atg.dataset": dataset.name, "atg.generator": generator,
                      "atg.entries": len(todo),
                      "atg.executor": executor.description}  # fmt: skip
        with tracing.span(f"eval_suite {name}", attributes) as suite_span:
            started = {"suite_id": suite.id, "suite": name, "dataset": dataset.name,
                       "entries": len(todo), "resumed": len(done),
                       "executor": executor.description}  # fmt: skip
            log.info("suite started", extra=started)
            task = functools.partial(
                evaluate_entry, settings=settings, generator=generator,
                trace_context=tracing.inject(),
            )  # fmt: skip
            for outcome in executor.map(task, todo, _not_evaluated):
                stored = self._store(suite.id, outcome)
                if on_result:
                    on_result(outcome.entry_id, stored)
                if outcome.llm_calls:
                    self._check_budgets(suite.tags or run_tags_)
            finished = self.storage.finish_suite(suite.id, self.settings.scoring.levels)
            log.info("suite finished", extra={"suite_id": suite.id, "suite": name,
                     "score": finished.overall_score, "level": finished.quality_level,
                     "duration_s": finished.duration_seconds})  # fmt: skip
        if collector:
            self.storage.add_spans(collector.drain(tracing.trace_id_of(suite_span)), suite.id)
        return finished, len(done)

    def _check_budgets(self, tags: Mapping[str, str]) -> None:
        budgets = self.settings.cost
        if not budgets.budgets:
            return
        since = budget_window_start(budgets, datetime.now(UTC))
        breached = breached_budgets(self.storage.spend_by_tag(since), tags, budgets)
        if breached:
            raise BudgetExceededError(
                f"budget spent: {'; '.join(breached)} — raise cost.budgets or wait, then "
                "continue with --resume"
            )

    def _store(self, suite_id: str, outcome: EntryOutcome) -> StoredResult:
        result = (
            EvalResult.model_validate_json(outcome.result_json) if outcome.result_json else None
        )
        stored = self.storage.add_result(
            suite_id,
            outcome.entry_id,
            result,
            started_at=outcome.started_at,
            errors=[outcome.error] if outcome.error else [],
            metadata=outcome.metadata,
        )
        self.storage.add_llm_calls(outcome.llm_calls, suite_id=suite_id, result_id=stored.id)
        self.storage.add_spans(outcome.spans, suite_id)
        log.info(
            "entry evaluated" if outcome.error is None else "entry failed",
            extra={"suite_id": suite_id, "entry_id": outcome.entry_id, "score": stored.score,
                   "duration_s": stored.duration_seconds, "error": outcome.error},
        )  # fmt: skip
        return stored

    def run_full_evaluation(
        self,
        dataset: str = "mixed",
        *,
        name: str = DEFAULT_SUITE_NAME,
        generator: str = "reference",
        jobs: int | None = None,
        resume: bool = False,
        regression_check: bool = True,
        regression_threshold: float | None = None,
        reports: bool = True,
        formats: Sequence[str] = ("json", "md", "html", "junit"),
    ) -> SuiteOutcome:
        """The seed's full evaluation: run, store, compare with the baseline, write reports."""
        loaded = self.load(dataset)
        suite, resumed = self.run_suite(
            loaded, name=name, generator=generator, jobs=jobs, resume=resume
        )
        regression = (
            self.check_regression(suite.id, name, regression_threshold)
            if regression_check
            else None
        )
        paths: tuple[Path, ...] = ()
        if reports:
            from agentic_testgen.reports import write_suite_reports  # noqa: PLC0415 - no cycle

            paths = tuple(
                write_suite_reports(self.storage, suite.id, self.workspace / "results", formats)
            )
        return SuiteOutcome(
            suite=suite,
            results=tuple(self.storage.suite_results(suite.id)),
            regression=regression,
            reports=paths,
            resumed_entries=resumed,
        )

    def check_regression(
        self, suite_id: str, name: str, threshold: float | None = None
    ) -> RegressionReport:
        """Compare a suite with the baseline of `name` (threshold: the configured one)."""
        if threshold is None:
            threshold = self.settings.scoring.regression_threshold
        report = check_regression(self.storage, suite_id, name, threshold=threshold)
        for finding in report.flagged:
            log.warning("regression detected", extra={"suite_id": suite_id, "suite": name,
                            "entry": finding.entry_id, "metric": finding.metric,
                            "baseline": finding.baseline_value,
                            "current": finding.current_value, "delta": finding.delta})  # fmt: skip
        return report

    def evaluate_generated_tests(
        self, test_code: str, source_code: str, language: str = "python", **kwargs: object
    ) -> EvalResult:
        """Evaluate one test file given as text (the seed's API); `check_goals` is accepted and
        the 90% coverage / 90% pass-rate goal is read from the result's metrics."""
        kwargs.pop("check_goals", None)
        module_name = kwargs.pop("module_name", None)
        return evaluate_generated_tests(
            test_code,
            source_code,
            Language(language).value,
            module_name=str(module_name) if module_name else None,
            settings=self.settings,
        )

    def set_baseline(
        self, eval_name: str = DEFAULT_SUITE_NAME, suite_id: str | None = None
    ) -> SuiteRecord:
        """Make `suite_id` (default: the latest completed suite named `eval_name`) the baseline."""
        suite = self.storage.suite(suite_id) if suite_id else self.storage.latest_suite(eval_name)
        if suite is None:
            from agentic_testgen.storage import StorageError  # noqa: PLC0415

            raise StorageError(f"no completed suite named {eval_name!r} to take as the baseline")
        self.storage.set_baseline(eval_name, suite.id)
        return suite

    def analyze_trend(
        self,
        eval_name: str = DEFAULT_SUITE_NAME,
        window: int = 10,
        *,
        dataset: str | None = None,
        generator: str | None = None,
    ) -> Trend:
        return analyze_trend(self.storage, eval_name, window, dataset=dataset, generator=generator)


def _not_evaluated(entry: DatasetEntry, reason: str) -> EntryOutcome:
    """The outcome stored for an entry whose task failed for good (its worker kept dying)."""
    return EntryOutcome(entry.id, datetime.now(UTC), error=f"{entry.id}: {reason}")
