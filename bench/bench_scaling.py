"""Entries per minute of `atg eval run` on one local process, two, and a Dask LocalCluster of two
worker processes, in one run; then how wall time grows with the dataset's size.

Cases (each a fresh SQLite workspace, the same settings: reruns 5, mutation with a seeded sample
of at most --max-mutants mutants per entry):

- `local-1`, `local-2`: the local executor with `--jobs 1` and `--jobs 2`. With one job, atg
  runs an entry's reruns on every core (`run.parallel` = cores / jobs), so `local-1` is not one
  core's worth of work: `local-1-one-core` is one job whose entries use one core, the base of
  the per-worker efficiency.
- `dask-local-2`: a Dask LocalCluster of two worker processes (one thread each), started before
  the clock starts (as a long-lived cluster would be) and closed after.
- `local-1-pinned`: `local-1-one-core` with the whole process tree (this client, the worker,
  its sandboxes and the tools they start) held to one CPU by its affinity mask: one worker on
  one core, however many threads or processes an entry uses (the JVM's, node's, the mutation
  harness that starts beside the instrumented run).
- scaling efficiency 1 -> 2 workers: (rate at 2) / (2 x rate at 1), for the local pool and Dask,
  from `local-1` (as a user runs it), from `local-1-one-core` (one worker, reruns on one core)
  and from `local-1-pinned` (one worker on one core, against two workers on two cores: the
  executor's own scaling). The machine's load average at the start is recorded: other work on
  the cores lowers it.
- `size-1x|2x|4x`: the dataset repeated 1, 2 and 4 times (the copies renamed `ID~k`) on the
  local pool of two processes: wall time per entry should stay flat.

Also reported: each entry's evaluation time by language (its stored duration) and the time the
client spends storing one result (the single writer's cost per entry), the two figures the
estimate in docs/scaling.md is made from.

Usage: .venv/bin/python bench/bench_scaling.py [--dataset NAME|PATH] [--max-mutants N]
       [--sizes 1,2,4]
Results: bench/results/scaling.json (scaling-NAME.json for another dataset)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from agentic_testgen.config import load_settings  # noqa: E402
from agentic_testgen.datasets import Dataset  # noqa: E402
from agentic_testgen.evals.runner import EntryOutcome, EvalRunner  # noqa: E402
from agentic_testgen.execution import Executor, LocalExecutor, open_executor, parse_executor  # noqa: E402
from agentic_testgen.storage import StoredResult  # noqa: E402


class TimedRunner(EvalRunner):
    """The suite runner, timing what storing each result costs the client."""

    store_seconds: list[float]

    def _store(self, suite_id: str, outcome: EntryOutcome) -> StoredResult:
        started = time.perf_counter()
        stored = super()._store(suite_id, outcome)
        self.store_seconds.append(time.perf_counter() - started)
        return stored


class OneCoreEach(LocalExecutor):
    """The local executor whose entries each run their reruns on one core."""

    def slots_per_host(self) -> int | None:
        return os.cpu_count() or 1


@contextlib.contextmanager
def pinned_to_one_cpu() -> Iterator[None]:
    """This process, and all it starts meanwhile, on one CPU."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def repeated(dataset: Dataset, times: int) -> Dataset:
    """The dataset's entries `times` over, copies renamed `ID~k` (a new content hash)."""
    entries = [
        entry if k == 0 else entry.model_copy(update={"id": f"{entry.id}~{k}"})
        for k in range(times)
        for entry in dataset.entries
    ]
    return dataset.model_copy(
        update={"entries": tuple(entries), "content_hash": f"{dataset.content_hash}x{times}"}
    )


def run_case(
    label: str, dataset: Dataset, executor: Executor, max_mutants: int
) -> tuple[dict[str, Any], TimedRunner]:
    workspace = Path(tempfile.mkdtemp(prefix=f"atg-scaling-{label}-"))
    settings = load_settings(run={"max_mutants": max_mutants, "mutation": True})
    runner = TimedRunner(workspace, settings=settings)
    runner.store_seconds = []
    started = time.perf_counter()
    suite, _ = runner.run_suite(dataset, name=label, executor=executor)
    wall = time.perf_counter() - started
    results = runner.storage.suite_results(suite.id)
    case = {
        "case": label,
        "executor": executor.description,
        "entries": len(results),
        "failed": sum(r.status != "completed" for r in results),
        "wall_s": round(wall, 2),
        "entries_per_minute": round(60 * len(results) / wall, 2),
        "wall_s_per_entry": round(wall / len(results), 3),
        "score": suite.overall_score,
    }
    print(json.dumps(case), flush=True)
    return case, runner


def per_language(runner: TimedRunner, suite_name: str) -> dict[str, dict[str, float]]:
    suite = runner.storage.latest_suite(suite_name)
    assert suite is not None
    durations: dict[str, list[float]] = defaultdict(list)
    for result in runner.storage.suite_results(suite.id):
        language = result.result.language.value if result.result else "failed"
        durations[language].append(result.duration_seconds or 0.0)
    return {
        language: {"entries": len(values), "median_s": round(statistics.median(values), 3),
                   "mean_s": round(statistics.fmean(values), 3)}
        for language, values in sorted(durations.items())
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mixed", help="a dataset name or file")
    parser.add_argument("--max-mutants", type=int, default=20)
    parser.add_argument("--sizes", default="1,2,4", help="dataset repeats for the growth cases")
    args = parser.parse_args()
    dataset = EvalRunner(Path(tempfile.mkdtemp()), settings=load_settings()).load(args.dataset)
    cases: list[dict[str, Any]] = []

    load_at_start = os.getloadavg()
    one, first = run_case("local-1", dataset, LocalExecutor(1), args.max_mutants)
    one_core, _ = run_case("local-1-one-core", dataset, OneCoreEach(1), args.max_mutants)
    with pinned_to_one_cpu():
        pinned, _ = run_case("local-1-pinned", dataset, OneCoreEach(1), args.max_mutants)
    two, _ = run_case("local-2", dataset, LocalExecutor(2), args.max_mutants)
    with open_executor(parse_executor("dask-local"), jobs=2) as cluster:
        dask, _ = run_case("dask-local-2", dataset, cluster, args.max_mutants)
    cases += [one, one_core, pinned, two, dask]

    growth = []
    for times in (int(n) for n in args.sizes.split(",")):
        if times == 1:
            growth.append({**two, "case": "size-1x"})
            continue
        case, _ = run_case(f"size-{times}x", repeated(dataset, times), LocalExecutor(2),
                           args.max_mutants)  # fmt: skip
        growth.append(case)

    store = first.store_seconds
    rate = {case["case"]: case["entries_per_minute"] for case in cases}
    summary = {
        "efficiency_local_1_to_2": round(rate["local-2"] / (2 * rate["local-1"]), 3),
        "efficiency_local_1_to_dask_2": round(rate["dask-local-2"] / (2 * rate["local-1"]), 3),
        "efficiency_one_core_1_to_local_2": round(
            rate["local-2"] / (2 * rate["local-1-one-core"]), 3
        ),
        "efficiency_one_core_1_to_dask_2": round(
            rate["dask-local-2"] / (2 * rate["local-1-one-core"]), 3
        ),
        "efficiency_per_core_local_2": round(rate["local-2"] / (2 * rate["local-1-pinned"]), 3),
        "efficiency_per_core_dask_2": round(rate["dask-local-2"] / (2 * rate["local-1-pinned"]), 3),
        "goal_efficiency": 0.8,
        "growth_wall_s_per_entry": {c["case"]: c["wall_s_per_entry"] for c in growth},
        "entry_seconds_by_language": per_language(first, "local-1"),
        "store_seconds_per_entry_sqlite": {
            "median": round(statistics.median(store), 4),
            "max": round(max(store), 4),
        },
    }
    report = {
        "benchmark": "bench_scaling",
        "dataset": dataset.name,
        "entries": len(dataset.entries),
        "max_mutants": args.max_mutants,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in load_at_start]},
        "cases": cases,
        "growth": growth,
        "summary": summary,
    }  # fmt: skip
    suffix = "" if dataset.name == "mixed" else f"-{dataset.name}"
    out = ROOT / "bench" / "results" / f"scaling{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
