"""`atg eval setup | run | baseline | trend | compare | report` end to end, with real runs."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.storage import ResultStore
from tests.conftest import WriteProject, make_result

runner = CliRunner()


def atg(*args: str) -> Any:
    return runner.invoke(app, ["eval", *args], env={"COLUMNS": "200"})


def entry(name: str, body: str, tests: str) -> str:
    indent = lambda text: "\n".join("      " + line for line in text.strip().splitlines())  # noqa: E731
    return (
        f"  - id: tiny/{name}\n    module_name: {name}\n    source_code: |\n{indent(body)}\n"
        f"    reference_tests_code: |\n{indent(tests)}\n"
    )


MODULES = {
    "double": "def double(x):\n    if x is None:\n        raise ValueError('x')\n    return 2 * x",
    "negate": "def negate(x):\n    if x == 0:\n        return 0\n    return -x",
    "square": "def square(x):\n    if x < 0:\n        return x * x\n    return x ** 2",
}
GOOD = {
    "double": "import pytest\nfrom double import double\n\n"
    "def test_double_of_two():\n    assert double(2) == 4\n\n"
    "def test_double_of_none_raises():\n    with pytest.raises(ValueError):\n        double(None)",
    "negate": "from negate import negate\n\ndef test_negate_positive_number():\n"
    "    assert negate(3) == -3\n\ndef test_negate_zero():\n    assert negate(0) == 0",
    "square": "from square import square\n\ndef test_square_of_negative_number():\n"
    "    assert square(-3) == 9\n\ndef test_square_of_positive_number():\n"
    "    assert square(2) == 4",
}
WEAK = {name: "def test_1():\n    assert True" for name in MODULES}


def dataset(tests: dict[str, str]) -> str:
    return "name: tiny\nentries:\n" + "".join(entry(n, MODULES[n], tests[n]) for n in MODULES)


def test_setup_writes_the_builtin_datasets(tmp_path: Path) -> None:
    outcome = atg("setup", "--workspace", str(tmp_path / "evals"))
    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "evals/datasets/mixed.yaml").is_file()
    assert (tmp_path / "evals/datasets/synthetic-simple/clamp.py").is_file()
    again = atg("setup", "--workspace", str(tmp_path / "evals"))
    assert "wrote 0 files" in again.output


def test_a_weakened_test_set_is_caught_as_a_regression(write_project: WriteProject) -> None:
    root = write_project({"good.yaml": dataset(GOOD), "weak.yaml": dataset(WEAK)})
    workspace = str(root / "evals")
    common = ["--workspace", workspace, "--reruns", "1", "--jobs", "2"]

    first = atg("run", "--dataset", str(root / "good.yaml"), *common)
    assert first.exit_code == 0, first.output
    assert "no baseline for 'test_quality' yet" in first.output
    store = ResultStore.for_workspace(root / "evals")
    good_suite = store.latest_suite("test_quality")
    assert good_suite is not None
    results = root / "evals/results"
    assert sorted(p.suffix for p in results.iterdir() if p.is_file()) == [
        ".html", ".json", ".md", ".xml",
    ]  # fmt: skip
    # a page per entry next to the suite page, annotated from the module kept in the result
    pages = sorted(path.name for path in (results / good_suite.id).iterdir())
    assert len(pages) == 3
    suite_page = (results / f"{good_suite.id}.html").read_text()
    assert all(f'href="{good_suite.id}/{name}"' in suite_page for name in pages)
    double = next(name for name in pages if "double" in name)
    assert '<p id="L3" class="run">' in (results / good_suite.id / double).read_text()

    baseline = atg("baseline", "set", "--workspace", workspace)
    assert baseline.exit_code == 0, baseline.output
    assert good_suite.id in baseline.output

    weak = atg("run", "--dataset", str(root / "weak.yaml"), *common, "--fail-on-regression")
    assert weak.exit_code == 1, weak.output
    assert "REGRESSION against the baseline" in weak.output
    assert "  mean of 3: score " in weak.output
    assert "regression(s) against the baseline" in weak.output
    weak_suite = store.latest_suite("test_quality")
    assert weak_suite is not None
    assert any(f.flagged for f in store.regressions(weak_suite.id))

    trend = atg("trend", "--workspace", workspace)
    assert trend.exit_code == 0, trend.output
    assert "declining" in trend.output

    compare = atg("compare", good_suite.id, weak_suite.id, "--workspace", workspace)
    assert compare.exit_code == 0, compare.output
    assert "B wins 0, loses 3" in compare.output
    assert "verdict: A is better" in compare.output

    page = root / "ab.html"
    ab = atg("compare", good_suite.id, "latest", "--workspace", workspace, "--html", str(page))
    assert ab.exit_code == 0, ab.output
    html = page.read_text()
    assert f"B <code>{weak_suite.id}</code> vs A <code>{good_suite.id}</code>" in html
    assert "A is better" in html and html.count("<code>tiny/") >= 3

    out = root / "again"
    report = atg("report", weak_suite.id, "--format", "md,junit", "--workspace", workspace,
                 "--output", str(out))  # fmt: skip
    assert report.exit_code == 0, report.output
    assert sorted(p.name for p in out.iterdir()) == [f"{weak_suite.id}.md", f"{weak_suite.id}.xml"]


def test_one_weakened_entry_is_named_and_another_dataset_is_not_compared(
    write_project: WriteProject,
) -> None:
    one_weak = {**GOOD, "negate": WEAK["negate"]}
    other = dataset(GOOD).replace("name: tiny", "name: other")
    root = write_project({"good.yaml": dataset(GOOD), "one.yaml": dataset(one_weak),
                          "other.yaml": other})  # fmt: skip
    common = ["--workspace", str(root / "evals"), "--reruns", "0", "--jobs", "2", "--no-reports"]
    assert atg("run", "--dataset", str(root / "good.yaml"), *common).exit_code == 0
    assert atg("baseline", "set", "--workspace", str(root / "evals")).exit_code == 0

    weak = atg("run", "--dataset", str(root / "one.yaml"), *common, "--fail-on-regression")
    assert weak.exit_code == 1, weak.output
    assert "REGRESSION against the baseline" in weak.output
    assert "1 entry flagged" in weak.output
    assert "  tiny/negate: score " in weak.output
    assert "tiny/double" not in weak.output.split("REGRESSION", 1)[1]

    elsewhere = atg("run", "--dataset", str(root / "other.yaml"), *common, "--fail-on-regression")
    assert elsewhere.exit_code == 2, elsewhere.output
    assert "not compared: the baseline of 'test_quality' is for dataset tiny" in elsewhere.output
    assert "REGRESSION" not in elsewhere.output


def test_fail_under_gates_the_suite_score(write_project: WriteProject) -> None:
    root = write_project({"weak.yaml": dataset(WEAK)})
    outcome = atg("run", "--dataset", str(root / "weak.yaml"), "--workspace", str(root / "evals"),
                  "--reruns", "0", "--no-reports", "--fail-under", "0.9")  # fmt: skip
    assert outcome.exit_code == 1
    assert "is below --fail-under 0.9" in outcome.output


def one_line_error(outcome: Any) -> str:
    assert outcome.exit_code == 2, outcome.output
    lines = [line for line in outcome.output.splitlines() if line.strip()]
    assert len(lines) == 1, outcome.output
    return str(lines[0])


def test_unknown_dataset_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(atg("run", "--dataset", "nope", "--workspace", str(tmp_path)))
    assert line.startswith("error: unknown dataset 'nope'")


def test_broken_dataset_file_is_one_line_naming_the_line(write_project: WriteProject) -> None:
    root = write_project({"bad.yaml": "entries:\n  - id: x\n    colour: red\n"})
    line = one_line_error(atg("run", "--dataset", str(root / "bad.yaml"), "--workspace", str(root)))
    assert "bad.yaml:3: entries[0].colour: Extra inputs are not permitted" in line


def test_unknown_suite_and_format_are_one_line(tmp_path: Path) -> None:
    line = one_line_error(atg("report", "suite_nope", "--workspace", str(tmp_path)))
    assert "no suite 'suite_nope'" in line
    line = one_line_error(atg("report", "x", "--format", "pdf", "--workspace", str(tmp_path)))
    assert "unknown report format 'pdf'" in line


def test_baseline_without_any_suite_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(atg("baseline", "set", "--workspace", str(tmp_path)))
    assert "no completed suite named 'test_quality'" in line


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(
        atg("trend", "--workspace", str(tmp_path), "--db", "postgresql+psycopg://x@127.0.0.1:1/x")
    )
    assert "cannot open database" in line


def test_trend_says_which_series_drift_and_which_do_not(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    rng = random.Random(4)
    for run in range(12):  # the score and coverage lose a point a run; pass rate stays flat
        score = 0.9 - 0.01 * run + rng.gauss(0, 0.005)
        suite = store.start_suite("test_quality", dataset="tiny", generator="reference")
        result = make_result(score, {"coverage": score, "pass_rate": 1.0})
        store.add_result(suite.id, "tiny/double", result, started_at=datetime.now(UTC))
        store.finish_suite(suite.id)
    trend = atg("trend", "--workspace", str(tmp_path), "--window", "12")
    assert trend.exit_code == 0, trend.output
    lines = trend.output.splitlines()
    assert any(line.startswith("score: drift down: ") for line in lines), trend.output
    assert any(line.startswith("coverage: drift down: ") for line in lines), trend.output
    assert not any(line.startswith("pass_rate:") for line in lines)
    suite = store.start_suite("test_quality", dataset="tiny", generator="reference")
    store.add_result(suite.id, "tiny/double", make_result(0.8), started_at=datetime.now(UTC))
    store.finish_suite(suite.id)
    short = atg("trend", "--workspace", str(tmp_path), "--window", "4")
    assert "score: too few points (4 < 5)" in short.output
    assert "metrics: no anomaly in 2 series" in short.output
