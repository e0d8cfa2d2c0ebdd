"""Regression detection: a suite against its baseline, per entry and per metric, under a noise
model that fits evaluations.

An evaluation of fixed tests is nearly deterministic; what moves from run to run is per entry (a
flaky test, sampled mutants, a stochastic generator). So each entry's noise is estimated from
its own history: the spread of its values within runs of the same suite name, dataset and
generator, over the same module (and, where the tests are the dataset's own, the same tests),
never across the baseline and the run being checked (a real change is not noise). With no
history an entry's noise is `NOISE_FLOOR`. Then, per metric:

- an entry is flagged when it drops more than the threshold and more than `ENTRY_BAND` standard
  deviations of a difference of two of its runs;
- the mean over paired entries is flagged when it drops more than the threshold and the drop is
  significant at `SUITE_LEVEL` given each pair's noise (`_stats.noisy_mean`: valid when most
  differences are exactly zero, where a bootstrap over entries is not).

Entries pair by id and module: an entry whose module changed is reported as changed, not
compared. An entry that failed counts as 0. A run of another dataset or generator than the
baseline's, or one sharing no entry with it, is not compared: the report says why.
docs/regression.md gives the method, a worked example and the measured error rates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from agentic_testgen.evals._stats import noisy_mean, t_quantile, within_spread
from agentic_testgen.storage import (
    Baseline,
    RegressionFinding,
    ResultStore,
    StoredResult,
    SuiteRecord,
)

DEFAULT_THRESHOLD = 0.05
NOISE_FLOOR = 0.01  # one entry's standard deviation when its history shows none
ENTRY_BAND = 3.0  # standard deviations of a difference an entry's drop must exceed, at least
ENTRY_LEVEL = 0.05  # chance that any entry of an unchanged suite is flagged (Bonferroni)
SUITE_LEVEL = 0.05  # one-sided significance level of the mean's drop
EPSILON = 1e-9  # a drop of exactly the threshold is not larger than it, whatever the float rounding
HISTORY = 10  # suites of the same name, dataset and generator the noise is estimated from
# the generators whose tests are the dataset's own: a changed test file is a changed entry
# for the noise estimate (and exactly the change the gate must catch)
FIXED_TESTS = frozenset({"reference"})


@dataclass(frozen=True)
class RegressionReport:
    """What a regression check compared and found; `detected` when any finding is flagged.

    `compared` is False when the run was not compared with a baseline; `note` says why in one
    line. `refused`: there are baselines of the name, but none this run can be compared with
    (another dataset or generator, no shared entry) — a gate must not pass on that silently.
    """

    eval_name: str
    suite_id: str
    baseline: Baseline | None
    findings: tuple[RegressionFinding, ...] = ()
    note: str = ""
    compared: bool = False
    changed: tuple[str, ...] = ()  # entries whose module differs from the baseline's
    refused: bool = False

    @property
    def detected(self) -> bool:
        return any(finding.flagged for finding in self.findings)

    @property
    def flagged(self) -> tuple[RegressionFinding, ...]:
        return tuple(finding for finding in self.findings if finding.flagged)


def entry_value(result: StoredResult, metric: str) -> float:
    """An entry's value of `metric` ("score" or a metric name); 0 when it failed or lacks it."""
    if result.status != "completed":
        return 0.0
    value = result.score if metric == "score" else result.metrics.get(metric)
    return value if value is not None else 0.0


def _by_entry(results: Iterable[StoredResult]) -> dict[str, StoredResult]:
    return {r.entry_id: r for r in results if r.entry_id is not None}


def _module(result: StoredResult) -> str | None:
    value = result.metadata.get("module_sha256")
    return value if isinstance(value, str) else None


def _same_entry(first: StoredResult, second: StoredResult, fixed_tests: bool) -> bool:
    """The same module (and the same tests, where tests are the dataset's): runs of it differ
    only by noise. A result stored without the hashes matches any."""
    keys = ("module_sha256", "tests_sha256") if fixed_tests else ("module_sha256",)
    for key in keys:
        a, b = first.metadata.get(key), second.metadata.get(key)
        if a is not None and b is not None and a != b:
            return False
    return True


@dataclass(frozen=True)
class EntryNoise:
    """One entry's noise: the standard deviation of its value in one run, and the degrees of
    freedom of that estimate (0: no spread seen, so the floor, an assumption)."""

    sigma: float = NOISE_FLOOR
    freedom: int = 0

    def band(self, entries: int) -> float:
        """How many standard deviations of a difference a drop must exceed to be flagged: the
        Student t quantile at `ENTRY_LEVEL` shared by `entries` (an estimate from a few runs is
        often too small), never below `ENTRY_BAND`; `ENTRY_BAND` at the floor."""
        if self.freedom == 0:
            return ENTRY_BAND
        return max(ENTRY_BAND, t_quantile(1 - ENTRY_LEVEL / max(entries, 1), self.freedom))


def noise_of(groups: Sequence[Sequence[float]]) -> EntryNoise:
    """An entry's noise from groups of its repeated values (the spread within each group)."""
    spread = within_spread(groups)
    if spread.sigma <= NOISE_FLOOR:
        return EntryNoise()
    return EntryNoise(spread.sigma, spread.freedom)


def entry_noise(
    metric: str,
    entry: str,
    eras: Sequence[Sequence[Mapping[str, StoredResult]]],
    reference: StoredResult,
    fixed_tests: bool,
) -> EntryNoise:
    """The standard deviation of one entry's value in one run: its spread within each era of
    its history (runs up to the baseline, runs after it), over runs of the same entry as
    `reference` (the floor when it shows none)."""
    groups = [
        [
            entry_value(run[entry], metric)
            for run in era
            if entry in run and _same_entry(run[entry], reference, fixed_tests)
        ]
        for era in eras
    ]
    return noise_of(groups)


def compare_metric(
    eval_name: str,
    metric: str,
    before: Mapping[str, float],
    after: Mapping[str, float],
    noise: Mapping[str, EntryNoise],
    *,
    threshold: float,
    baseline_suite_id: str | None = None,
) -> list[RegressionFinding]:
    """The finding for the mean over the entries both sides have, then one per entry that
    dropped more than `threshold` (flagged when beyond its own noise band).

    `noise` is each entry's noise (missing: the floor).
    """
    shared = sorted(before.keys() & after.keys())
    if not shared:
        return []
    deltas = [after[e] - before[e] for e in shared]
    noises = [noise.get(e, EntryNoise()) for e in shared]
    spreads = [math.sqrt(2) * n.sigma for n in noises]  # of a difference of two runs
    mean = noisy_mean(deltas, spreads)
    findings = [
        RegressionFinding(
            eval_name=eval_name,
            metric=metric,
            baseline_value=_mean(before[e] for e in shared),
            current_value=_mean(after[e] for e in shared),
            delta=mean.mean,
            flagged=mean.mean < -threshold - EPSILON and mean.p_drop < SUITE_LEVEL,
            ci_low=mean.low,
            ci_high=mean.high,
            paired_entries=mean.pairs,
            baseline_suite_id=baseline_suite_id,
        )
    ]
    for entry, delta, spread, noise_e in zip(shared, deltas, spreads, noises, strict=True):
        if delta >= -threshold - EPSILON:
            continue
        findings.append(
            RegressionFinding(
                eval_name=eval_name,
                metric=metric,
                baseline_value=before[entry],
                current_value=after[entry],
                delta=delta,
                flagged=-delta > noise_e.band(len(shared)) * spread,
                ci_low=delta - 1.959964 * spread,
                ci_high=delta + 1.959964 * spread,
                paired_entries=1,
                baseline_suite_id=baseline_suite_id,
                entry_id=entry,
            )
        )
    return findings


def _mean(values: Iterable[float]) -> float:
    found = list(values)
    return sum(found) / len(found) if found else 0.0


def check_regression(
    store: ResultStore,
    suite_id: str,
    eval_name: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    record: bool = True,
) -> RegressionReport:
    """Compare suite `suite_id` with the baseline of `eval_name` for its dataset and generator;
    store what was found."""
    suite = store.suite(suite_id)
    baseline = store.baseline(
        eval_name, dataset=suite.dataset or "", generator=suite.generator or ""
    )
    if baseline is None or baseline.suite_id is None:
        refused = bool(store.baselines(eval_name))  # baselines, but none for this run's kind
        note = _no_baseline(store, eval_name, suite)
        return RegressionReport(eval_name, suite_id, None, note=note, refused=refused)
    base_suite = store.suite(baseline.suite_id)
    before, current = (
        _by_entry(store.suite_results(base_suite.id)),
        _by_entry(store.suite_results(suite_id)),
    )
    fixed_tests = (suite.generator or "reference") in FIXED_TESTS
    paired = [e for e in current if e in before and _module(before[e]) == _module(current[e])]
    changed = tuple(sorted(e for e in current if e in before and e not in paired))
    if not paired:
        why = "every shared entry's module changed" if changed else "no entry of this run is in it"
        note = f"not compared with the baseline of {eval_name!r} ({base_suite.id}): {why}"
        return RegressionReport(
            eval_name, suite_id, baseline, note=note, changed=changed, refused=True
        )
    eras = _eras(store, suite, base_suite)
    metrics = [
        "score",
        *sorted({n for r in (*before.values(), *current.values()) for n in r.metrics}),
    ]
    findings: list[RegressionFinding] = []
    for metric in metrics:
        noise = {e: entry_noise(metric, e, eras, current[e], fixed_tests) for e in paired}
        findings += compare_metric(
            eval_name,
            metric,
            {e: entry_value(before[e], metric) for e in paired},
            {e: entry_value(current[e], metric) for e in paired},
            noise,
            threshold=threshold,
            baseline_suite_id=base_suite.id,
        )
    if record:
        store.add_regressions(suite_id, findings)
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    notes = [f"not compared, their module changed: {shown}"] if changed else []
    if (
        base_suite.dataset_hash
        and suite.dataset_hash
        and base_suite.dataset_hash != suite.dataset_hash
    ):
        notes.insert(0, f"dataset {suite.dataset} changed since the baseline")
    return RegressionReport(
        eval_name, suite_id, baseline, tuple(findings), note="; ".join(notes), compared=True,
        changed=changed,
    )  # fmt: skip


def _eras(
    store: ResultStore, suite: SuiteRecord, base_suite: SuiteRecord
) -> list[list[dict[str, StoredResult]]]:
    """The history the noise is estimated from: runs up to the baseline, and runs after it up
    to the one checked (each era alone: the change between them is what is being tested)."""
    history = store.suite_history(
        suite.name, dataset=suite.dataset, generator=suite.generator, limit=HISTORY
    )
    if not any(record.id == suite.id for record, _ in history):
        history.append((suite, store.suite_results(suite.id)))
    up_to, after = [], []
    for record, results in history:
        if record.started_at <= base_suite.started_at:
            up_to.append(_by_entry(results))
        elif record.started_at <= suite.started_at:
            after.append(_by_entry(results))
    return [up_to, after]


def _no_baseline(store: ResultStore, eval_name: str, suite: SuiteRecord) -> str:
    others = store.baselines(eval_name)
    if not others:
        return (
            f"no baseline for {eval_name!r} yet: set one with `atg eval baseline set {eval_name}`"
        )
    other = others[-1]
    return (
        f"not compared: the baseline of {eval_name!r} is for dataset {other.dataset or '?'} "
        f"with generator {other.generator or '?'}, this run is {suite.dataset} with "
        f"{suite.generator} (set one for it with `atg eval baseline set {eval_name}`)"
    )
