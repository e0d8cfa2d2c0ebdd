"""SQL injection: suite, dataset, entry, test and metric names that would end a quoted SQL
string, stored through the real `ResultStore` (SQLite in the attack's directory) by running a
real small suite, then looked up by those names.

Stopped when every table is still there, every table holds the rows expected, lookups by a
hostile name find exactly what was stored under it (`" OR 1=1 --` must not match every row),
and each hostile string reads back equal to what was given; or when the input was refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from agentic_testgen.config import ConfigError, load_settings
from agentic_testgen.datasets import DatasetError
from agentic_testgen.evals.redteam._types import Arena, Verdict
from agentic_testgen.evals.redteam._workspace import CALC, CALC_TESTS, suite_runner
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.storage import ResultStore, StorageError

DROP = "'; DROP TABLE eval_results; --"
OR_TRUE = '" OR 1=1 --'
QUOTED_OR = "x' OR '1'='1"
HOSTILE = (DROP, OR_TRUE, QUOTED_OR)
TABLES = (
    "eval_suites", "eval_results", "suite_results", "baselines", "test_outcomes", "llm_calls",
    "regressions", "metric_rollups", "spans",
)  # fmt: skip


def table_problems(store: ResultStore, expected: dict[str, int]) -> list[str]:
    """Tables that are gone or do not hold the rows expected (`expected`: table -> rows)."""
    problems: list[str] = []
    for table in TABLES:
        try:
            rows = store.count(table)
        except StorageError as error:
            problems.append(f"table {table} is unusable: {error}")
            continue
        if table in expected and rows != expected[table]:
            problems.append(f"{table} holds {rows} rows, {expected[table]} expected")
    return problems


def _dataset(folder: Path, name: str, entries: list[dict[str, str]], description: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{len(list(folder.iterdir()))}.yaml"
    path.write_text(json.dumps({"name": name, "description": description, "entries": entries}))
    return path


def _calc_entry(tests: str = CALC_TESTS, entry_id: str = "calc") -> dict[str, str]:
    return {"id": entry_id, "module_name": "calc", "source_code": CALC,
            "reference_tests_code": tests}  # fmt: skip


def _attack(
    arena: Arena, body: Callable[[EvalRunner, Path], tuple[list[str], dict[str, int], str]]
) -> Verdict:
    """Run `body` (returns read-back problems, the rows expected per table and what was done)
    on a fresh workspace; then check every table."""
    workspace = arena.root / "ws"
    runner = suite_runner(workspace, arena.sandbox)
    try:
        problems, expected, done = body(runner, workspace / "datasets")
        problems += table_problems(runner.storage, expected)
    finally:
        runner.storage.close()
    if problems:
        return Verdict.reached(problems, despite=done)
    return Verdict(True, "input_check", f"{done}; tables intact, rows as expected")


def _one_match(found: list[str], wanted: str, what: str) -> list[str]:
    if found != [wanted]:
        return [f"looking up the {what} {wanted!r} found {found!r}"]
    return []


def suite_names(arena: Arena) -> Verdict:
    def body(runner: EvalRunner, folder: Path) -> tuple[list[str], dict[str, int], str]:
        dataset = runner.load(str(_dataset(folder, "tiny", [_calc_entry()])))
        for name in ("nightly", *HOSTILE):
            runner.run_suite(dataset, name=name, jobs=1)
        problems: list[str] = []
        for name in HOSTILE:
            problems += _one_match([s.name for s in runner.storage.suites(name)], name, "suite")
        latest = runner.storage.latest_suite("nightly")
        if latest is None or latest.name != "nightly":
            problems.append("the suite 'nightly' cannot be found any more")
        rows = {"eval_suites": 4, "eval_results": 4, "suite_results": 4, "test_outcomes": 4}
        return problems, rows, "4 suites stored, 3 with hostile names read back verbatim"

    return _attack(arena, body)


def dataset_name_and_description(arena: Arena) -> Verdict:
    def body(runner: EvalRunner, folder: Path) -> tuple[list[str], dict[str, int], str]:
        plain = runner.load(str(_dataset(folder, "plain", [_calc_entry()])))
        hostile = runner.load(str(_dataset(folder, OR_TRUE, [_calc_entry()], DROP)))
        runner.run_suite(plain, name="nightly", jobs=1)
        suite, _ = runner.run_suite(hostile, name="nightly", jobs=1)
        stored = runner.storage.suite(suite.id)
        problems = _one_match(
            [s.dataset or "" for s in runner.storage.suites(dataset=OR_TRUE)], OR_TRUE, "dataset"
        )
        if stored.description != DROP:
            problems.append(f"the description reads back as {stored.description!r}")
        rows = {"eval_suites": 2, "eval_results": 2, "suite_results": 2}
        return problems, rows, "dataset name and description stored, read back verbatim"

    return _attack(arena, body)


def entry_ids(arena: Arena) -> Verdict:
    def body(runner: EvalRunner, folder: Path) -> tuple[list[str], dict[str, int], str]:
        entries = [_calc_entry(entry_id=f"calc{text}") for text in HOSTILE]
        try:
            dataset = runner.load(str(_dataset(folder, "ids", entries)))
        except DatasetError as error:
            refused = str(error).replace(str(folder), "<tmp>")
            return [], {"eval_suites": 0, "eval_results": 0}, f"refused by the loader: {refused}"
        suite, _ = runner.run_suite(dataset, name="nightly", jobs=1)
        stored = sorted(r.entry_id or "" for r in runner.storage.suite_results(suite.id))
        wanted = sorted(f"calc{text}" for text in HOSTILE)
        problems = [] if stored == wanted else [f"entry ids read back as {stored!r}"]
        return problems, {"eval_results": 3}, "entry ids stored, read back verbatim"

    return _attack(arena, body)


def parametrized_test_ids(arena: Arena) -> Verdict:
    ids = ", ".join(repr(text) for text in HOSTILE)
    tests = (
        "import pytest\n\nfrom calc import double\n\n\n"
        f"@pytest.mark.parametrize('x', [1, 2, 3], ids=[{ids}])\n"
        "def test_double(x):\n    assert double(x) == 2 * x\n"
    )

    def body(runner: EvalRunner, folder: Path) -> tuple[list[str], dict[str, int], str]:
        dataset = runner.load(str(_dataset(folder, "tests", [_calc_entry(tests)])))
        suite, _ = runner.run_suite(dataset, name="nightly", jobs=1)
        (stored,) = runner.storage.suite_results(suite.id)
        found = sorted(
            t.nodeid.partition("[")[2].removesuffix("]")
            for t in (stored.result.tests if stored.result else ())
        )
        problems = [] if found == sorted(HOSTILE) else [f"test ids read back as {found!r}"]
        return problems, {"test_outcomes": 3}, "3 test ids stored, read back verbatim"

    return _attack(arena, body)


def baseline_and_history_lookups(arena: Arena) -> Verdict:
    def body(runner: EvalRunner, folder: Path) -> tuple[list[str], dict[str, int], str]:
        dataset = runner.load(str(_dataset(folder, "tiny", [_calc_entry()])))
        runner.run_suite(dataset, name="nightly", jobs=1)
        runner.set_baseline("nightly")
        suite, _ = runner.run_suite(dataset, name=QUOTED_OR, jobs=1)
        runner.set_baseline(DROP, suite.id)
        problems: list[str] = []
        baseline = runner.storage.baseline(DROP)
        if baseline is None or baseline.eval_name != DROP:
            problems.append(f"the baseline named {DROP!r} reads back as {baseline!r}")
        if runner.storage.baselines(OR_TRUE):
            problems.append(f"baselines named {OR_TRUE!r} found where none was set")
        if runner.storage.result_history(OR_TRUE):
            problems.append(f"results of {OR_TRUE!r} found where none was stored")
        runner.analyze_trend(OR_TRUE)
        runner.check_regression(suite.id, DROP)
        rows = {"eval_suites": 2, "eval_results": 2, "baselines": 2}
        return problems, rows, "baselines set and looked up by hostile names, trend and check run"

    return _attack(arena, body)


def metric_names(arena: Arena) -> Verdict:
    folder = arena.root / "project"
    folder.mkdir()
    (folder / "atg.toml").write_text(
        f"[scoring.weights]\n{json.dumps(DROP)} = 1.0\n\n[scoring.thresholds]\n"
        f"{json.dumps(OR_TRUE)} = 0.5\n"
    )
    try:
        scoring = load_settings(folder).scoring
    except ConfigError as error:
        refused = str(error).replace(str(folder), "<tmp>")[:160]
        return Verdict(True, "input_check", f"refused by the configuration: {refused}")

    def body(runner: EvalRunner, datasets: Path) -> tuple[list[str], dict[str, int], str]:
        runner.settings = runner.settings.model_copy(update={"scoring": scoring})
        dataset = runner.load(str(_dataset(datasets, "tiny", [_calc_entry()])))
        suite, _ = runner.run_suite(dataset, name="nightly", jobs=1)
        (stored,) = runner.storage.suite_results(suite.id)
        weights = set(stored.result.weights) if stored.result else set()
        problems = [] if DROP in weights else [f"metric weights read back as {sorted(weights)}"]
        return problems, {"eval_results": 1}, "hostile metric names accepted and stored"

    return _attack(arena, body)
