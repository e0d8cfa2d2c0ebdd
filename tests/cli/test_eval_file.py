"""`atg eval file` end to end: real runs, exit codes, one-line errors, golden JSON."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.domain import RESULT_SCHEMA_VERSION
from agentic_testgen.reports import result_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "inventory"
GOLD = ROOT / "tests" / "gold"
METRICS = ("correctness", "pass_rate", "coverage", "completeness", "assertions", "determinism")

MODULE = str(EXAMPLE / "inventory.py")
GOOD_TESTS = str(EXAMPLE / "test_inventory.py")
WEAK_TESTS = str(EXAMPLE / "weak_test_inventory.py")

runner = CliRunner()


def atg(*args: str) -> Any:
    return runner.invoke(app, ["eval", "file", *args, "--reruns", "2"], env={"COLUMNS": "200"})


def scrub(data: Any) -> Any:
    """Replace what changes from run to run: times, dates, versions, paths, addresses."""
    if isinstance(data, dict):
        volatile = {"duration_s", "created_at", "atg_version"}
        return {k: "<volatile>" if k in volatile else scrub(v) for k, v in data.items()}
    if isinstance(data, list):
        return [scrub(item) for item in data]
    if isinstance(data, str):
        return re.sub(r"0x[0-9a-f]+", "0x…", data.replace(str(ROOT), "<root>"))
    return data


@pytest.mark.parametrize("tests_file", ["test_inventory.py", "weak_test_inventory.py"])
def test_json_result_matches_the_golden_file(tests_file: str, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    outcome = atg(
        "--source",
        MODULE,
        "--tests",
        str(EXAMPLE / tests_file),
        "--json",
        str(out),
    )
    assert outcome.exit_code == 0, outcome.output
    got = scrub(json.loads(out.read_text()))
    gold = GOLD / f"eval_file_{Path(tests_file).stem}.json"
    if os.environ.get("UPDATE_GOLD"):
        gold.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert got == json.loads(gold.read_text())


def test_json_has_every_documented_field(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    atg("--source", MODULE, "--tests", WEAK_TESTS, "--json", str(out))
    data = json.loads(out.read_text())
    assert data["schema_version"] == RESULT_SCHEMA_VERSION
    assert {"score", "quality_level", "passed"} <= data.keys()
    for name in (*METRICS, "readability"):
        assert {"value", "threshold", "passed", "details"} <= data["metrics"][name].keys()
    assert {"line_rate", "branch_rate"} <= data["metrics"]["coverage"]["details"].keys()
    for test in data["tests"]:
        assert {"nodeid", "outcome", "duration_s", "flaky", "reached_module"} <= test.keys()
    assert set(result_schema()["required"]) <= data.keys()


def test_console_shows_the_score_and_every_metric() -> None:
    outcome = atg("--source", MODULE, "--tests", WEAK_TESTS)
    assert outcome.exit_code == 0, outcome.output
    assert "Score" in outcome.output
    for name in METRICS:
        assert name in outcome.output
    assert "test_discount_is_wrong" in outcome.output


def test_fail_under_exits_one_when_the_score_is_below() -> None:
    outcome = atg(
        "--source",
        MODULE,
        "--tests",
        WEAK_TESTS,
        "--fail-under",
        "0.9",
    )
    assert outcome.exit_code == 1
    assert "below --fail-under 0.9" in outcome.output


def test_fail_under_passes_a_good_test_file() -> None:
    outcome = atg(
        "--source",
        MODULE,
        "--tests",
        GOOD_TESTS,
        "--fail-under",
        "0.9",
    )
    assert outcome.exit_code == 0, outcome.output


def one_line_error(outcome: Any) -> str:
    assert outcome.exit_code == 2, outcome.output
    lines = [line for line in outcome.output.splitlines() if line.strip()]
    assert len(lines) == 1, outcome.output
    assert "Traceback" not in outcome.output
    return str(lines[0])


def test_missing_source_file_is_one_clear_line(tmp_path: Path) -> None:
    line = one_line_error(atg("--source", str(tmp_path / "nope.py"), "--tests", __file__))
    assert line == f"error: {tmp_path / 'nope.py'}: source file not found"


def test_a_directory_given_as_tests_is_one_clear_line(tmp_path: Path) -> None:
    line = one_line_error(atg("--source", MODULE, "--tests", str(tmp_path)))
    assert line.endswith("tests path is not a file")


def test_a_binary_file_is_one_clear_line(tmp_path: Path) -> None:
    binary = tmp_path / "mod.py"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    line = one_line_error(atg("--source", str(binary), "--tests", __file__))
    assert "source file is not UTF-8 text" in line


def test_a_module_above_the_size_limit_is_refused_before_it_runs(tmp_path: Path) -> None:
    huge = tmp_path / "huge.py"
    huge.write_text("VALUE = 1\n" * 550_000)  # 5.5 MB, above the default 5 MB
    result = atg("--source", str(huge), "--tests", GOOD_TESTS)
    line = one_line_error(result)
    assert line.startswith(f"error: {huge}: source file is 5.5 MB, above run.max_source_mb = 5 MB")
    assert "raise that setting" in line


def test_unknown_language_is_one_clear_line(tmp_path: Path) -> None:
    source = tmp_path / "mod.rb"
    source.write_text("puts 1\n")
    line = one_line_error(atg("--source", str(source), "--tests", __file__))
    assert "cannot tell the language" in line and "--language" in line


def test_unsupported_language_option_is_one_clear_line() -> None:
    line = one_line_error(atg("--source", MODULE, "--tests", __file__, "--language", "cobol"))
    assert line == "error: unknown language 'cobol': choose one of java, javascript, python"


def test_bad_config_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("atg.toml").write_text("[scoring]\npass_line = 2\n")
    module = tmp_path / "inventory.py"  # settings come from the module's own directory up
    module.write_text(Path(MODULE).read_text())
    line = one_line_error(atg("--source", str(module), "--tests", WEAK_TESTS))
    assert "scoring.pass_line" in line


def test_unknown_option_is_refused_with_usage_status() -> None:
    outcome = runner.invoke(app, ["eval", "file", "--frobnicate"])
    assert outcome.exit_code == 2
    assert "No such option" in outcome.output


def test_a_forging_test_file_is_reported_invalid_with_its_findings(tmp_path: Path) -> None:
    tests = tmp_path / "test_forged.py"
    tests.write_text(
        Path(EXAMPLE / "weak_test_inventory.py").read_text()
        + "\n\nimport _pytest.python\n_pytest.python.Function.runtest = lambda self: None\n"
    )
    out = tmp_path / "result.json"
    outcome = atg("--source", MODULE, "--tests", str(tests), "--json", str(out), "--no-mutation")
    assert "INVALID" in outcome.output
    assert "pytest-patched" in outcome.output
    result = json.loads(out.read_text())
    assert (result["score"], result["quality_level"]) == (0.0, "invalid")
    assert result["integrity"]["ok"] is False


def test_a_secret_in_a_failure_message_is_not_stored_or_printed(tmp_path: Path) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    tests = tmp_path / "test_leaky.py"
    tests.write_text(
        "from inventory import Inventory\n\n\n"
        "def test_leaks_a_token():\n"
        f"    assert Inventory() is None, 'token={token}'\n"
    )
    out = tmp_path / "result.json"
    outcome = atg("--source", MODULE, "--tests", str(tests), "--json", str(out), "--no-mutation")
    assert token not in outcome.output
    assert token not in out.read_text()
    (leaky,) = json.loads(out.read_text())["tests"]
    assert leaky["outcome"] == "failed" and "REDACTED" in leaky["failure"]


def test_settings_come_from_the_modules_project_whatever_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "src" / "calc").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'calc'\n[tool.atg.run]\nreruns = 1\nmutation = false\n"
    )
    (project / "src" / "calc" / "__init__.py").write_text("")
    (project / "src" / "calc" / "ops.py").write_text("def add(a, b):\n    return a + b\n")
    (project / "tests" / "test_ops.py").write_text(
        "from calc.ops import add\n\n\ndef test_add_sums():\n    assert add(1, 2) == 3\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "result.json"
    outcome = runner.invoke(
        app,
        ["eval", "file", "--source", str(project / "src" / "calc" / "ops.py"),
         "--tests", str(project / "tests" / "test_ops.py"), "--json", str(out)],
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(out.read_text())
    assert result["reruns"] == 1
    assert "mutation_score" not in result["metrics"]


def test_a_bad_setting_in_the_modules_project_is_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.atg.run]\nsandbox = 'docker'\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "test_mod.py").write_text("from mod import x\n")
    monkeypatch.chdir(tmp_path / "pkg")
    outcome = runner.invoke(app, ["eval", "file", "--source", "mod.py", "--tests", "test_mod.py"])
    assert outcome.exit_code == 2
    assert "pyproject.toml [tool.atg]" in outcome.output
    assert "unknown sandbox 'docker'" in outcome.output


GRADE = """def grade(score):
    if score >= 90:
        return "A"
    if score >= 50:
        return "pass"
    return "fail"
"""
GRADE_TESTS = """from grade import grade


def test_top_grade():
    assert grade(95) == "A"


def test_a_pass_is_truthy():
    assert grade(60)
"""


def test_html_page_annotates_the_module_from_the_real_run(tmp_path: Path) -> None:
    (tmp_path / "grade.py").write_text(GRADE)
    (tmp_path / "test_grade.py").write_text(GRADE_TESTS)
    pages = tmp_path / "pages"
    outcome = atg("--source", str(tmp_path / "grade.py"), "--tests",
                  str(tmp_path / "test_grade.py"), "--mutation", "--html", str(pages))  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    page_path = pages / "grade.html"
    assert f"wrote {page_path}" in outcome.output
    page = page_path.read_text()

    def line(number: int) -> str:
        found = re.search(rf'<p id="L{number}"[^>]*>.*?</p>', page)
        assert found, f"line {number} is not on the page"
        return found.group(0)

    assert 'class="run"' in line(2)
    assert 'class="par"' in line(4)
    assert "never jumped to line 6" in line(4)  # no test reached the "fail" return
    assert 'class="mis"' in line(6)
    # 95 and 60 cannot tell `>= 90` from `> 90`: that mutant lives, shown under its line
    under_line_2 = page[page.index('<p id="L2"') : page.index('<p id="L3"')]
    assert "survived" in under_line_2
    assert "score &gt;= 90" in under_line_2
    assert "test_grade.py::test_a_pass_is_truthy" in page
    assert "<h2>Why this score</h2>" in page
