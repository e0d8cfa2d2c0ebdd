"""`pytest --atg` run through the real pytest, in a subprocess, on small projects in tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import agentic_testgen
from tests.conftest import WriteProject

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "agentic_testgen.integrations.pytest_plugin"
SRC = str(Path(agentic_testgen.__file__).resolve().parents[1])

PROJECT = {
    "pyproject.toml": """
        [project]
        name = "calc"
        version = "0"
        [tool.pytest.ini_options]
        pythonpath = ["src"]
        [tool.atg.run]
        reruns = 1
    """,
    "src/calc/__init__.py": "from ._ops import add, clamp\n",
    "src/calc/_ops.py": """
        def add(a, b):
            return a + b


        def clamp(x, low, high):
            if x < low:
                return low
            if x > high:
                return high
            return x
    """,
    "src/calc/text.py": """
        def shout(s):
            return s.upper() + "!"
    """,
    "tests/conftest.py": """
        import pytest


        @pytest.fixture
        def bounds():
            return (0, 10)
    """,
    "tests/test_ops.py": """
        from calc import add, clamp


        def test_add_sums_two_numbers():
            assert add(2, 3) == 5


        def test_clamp_keeps_a_value_inside_the_bounds(bounds):
            assert clamp(5, *bounds) == 5
            assert clamp(-1, *bounds) == 0
            assert clamp(11, *bounds) == 10
    """,
    "tests/test_text.py": """
        from calc.text import shout


        def test_shout_runs():
            shout("a")
    """,
    "tests/test_misc.py": """
        import json


        def test_json_reads_a_list():
            assert json.loads("[1]") == [1]
    """,
}


def pytest_run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real pytest on `root`; the plugin comes through atg's installed `pytest11` entry
    point (`make setup` installs atg into the environment)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST_", "COV_CORE_"))
    }
    env["PYTHONPATH"] = os.pathsep.join([SRC, *env.get("PYTHONPATH", "").split(os.pathsep)])
    env["COLUMNS"] = "120"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def atg_lines(output: str) -> list[str]:
    """The lines after the plugin's section header."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "atg: test quality" in line)
    return lines[start + 1 :]


@pytest.mark.slow
def test_atg_prints_one_row_per_test_file_and_module_and_writes_the_json(
    write_project: WriteProject,
) -> None:
    root = write_project(PROJECT)
    run = pytest_run(root, "--atg", "--atg-json", "out/atg.json", "--atg-fail-under", "0")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = atg_lines(run.stdout)
    assert lines[0] == (
        "atg: warning: tests/test_misc.py: no module of the project among its imports (json); "
        "not evaluated"
    )
    assert "atg: evaluating tests/test_ops.py against calc._ops" in lines
    assert "atg: evaluating tests/test_text.py against calc.text" in lines
    header = next(line for line in lines if line.startswith("file "))
    assert header.split() == ["file", "module", "score", "level", "coverage", "pass", "rate",
                              "mutation"]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in lines if line.startswith("tests/")}
    assert set(rows) == {"tests/test_ops.py", "tests/test_text.py"}
    assert rows["tests/test_ops.py"][1] == "calc._ops"
    assert rows["tests/test_ops.py"][4:6] == ["1.00", "1.00"]  # coverage, pass rate
    goal = next(line for line in lines if line.startswith("goal 90/90:"))
    assert goal.startswith("goal 90/90: coverage 1.00 >= 0.90 met, pass_rate 1.00 >= 0.90 met")
    assert "atg: wrote out/atg.json" in lines

    document = json.loads((root / "out" / "atg.json").read_text())
    assert document["schema"] == "atg-batch/1"
    assert document["goals"]["coverage"] == {"mean": 1.0, "met": True}
    by_tests = {entry["tests"]: entry for entry in document["evaluations"]}
    ops, text = by_tests["tests/test_ops.py"], by_tests["tests/test_text.py"]
    assert (ops["module"], ops["source"]) == ("calc._ops", "src/calc/_ops.py")
    assert ops["pass_rate"] == 1.0
    assert ops["result"]["reruns"] == 1  # [tool.atg.run] of the project applies
    assert ops["result"]["metrics"]["pass_rate"]["details"]["passed"] == 2
    # the assertion-free test leaves mutants alive; the asserting tests kill more
    assert text["mutation_score"] is not None and ops["mutation_score"] is not None
    assert text["result"]["metrics"]["mutation_score"]["details"]["survived"] > 0
    assert rows["tests/test_ops.py"][6] == f"{ops['mutation_score']:.2f}"
    assert document["not_evaluated"] == [
        {"tests": "tests/test_misc.py",
         "reason": "no module of the project among its imports (json)"}
    ]  # fmt: skip


@pytest.mark.slow
def test_a_score_below_fail_under_fails_a_session_whose_tests_pass(
    write_project: WriteProject,
) -> None:
    root = write_project(PROJECT)
    run = pytest_run(
        root, "--atg", "--atg-no-mutation", "--atg-fail-under", "0.99", "tests/test_text.py"
    )
    assert "1 passed" in run.stdout
    assert run.returncode == 1, run.stdout + run.stderr
    failure = next(line for line in atg_lines(run.stdout) if line.startswith("atg: FAIL"))
    assert failure.startswith("atg: FAIL tests/test_text.py (calc.text): 0.")
    assert failure.endswith("is below --atg-fail-under 0.99")
    rows = [line.split() for line in atg_lines(run.stdout) if line.startswith("tests/")]
    assert rows[0][-1] == "—"  # no mutation score without mutation testing


def test_without_atg_nothing_is_printed_and_no_evaluation_code_is_imported(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            **PROJECT,
            "conftest.py": """
                import sys


                def pytest_unconfigure(config):
                    names = sorted(n for n in sys.modules if n.startswith("agentic_testgen"))
                    with open("imported.txt", "w") as out:
                        out.write("\\n".join(names))
            """,
        }
    )
    run = pytest_run(root, "--atg-fail-under", "0.99")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "atg:" not in run.stdout
    assert (root / "imported.txt").read_text().split() == [
        "agentic_testgen",
        "agentic_testgen._lazy",  # the package's names imported on first use: a few lines
        "agentic_testgen.integrations",
        PLUGIN,
    ]


def test_fail_under_outside_0_to_1_is_a_usage_error(write_project: WriteProject) -> None:
    run = pytest_run(write_project(PROJECT), "--atg", "--atg-fail-under", "80")
    assert run.returncode == 4
    assert "--atg-fail-under must be between 0 and 1, not 80" in run.stderr


@pytest.mark.slow
def test_with_xdist_workers_each_pair_is_evaluated_once_by_the_controller(
    write_project: WriteProject,
) -> None:
    root = write_project(PROJECT)
    run = pytest_run(root, "-n", "2", "--atg", "--atg-no-mutation")
    assert run.returncode == 0, run.stdout + run.stderr
    evaluating = [line for line in run.stdout.splitlines() if line.startswith("atg: evaluating")]
    assert sorted(evaluating) == [
        "atg: evaluating tests/test_ops.py against calc._ops",
        "atg: evaluating tests/test_text.py against calc.text",
    ]
    assert run.stdout.count("atg: test quality") == 1


def test_the_pytest11_entry_point_loads_the_plugin_without_p(
    write_project: WriteProject, tmp_path: Path
) -> None:
    """pyproject's entry point, installed as a distribution's metadata, is what pytest loads."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]
    assert declared["pytest11"] == {"atg": PLUGIN}
    site = tmp_path / "site"
    dist_info = site / "agentic_testgen_probe-0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: agentic-testgen-probe\n")
    entry_point = declared["pytest11"]["atg"]
    (dist_info / "entry_points.txt").write_text(f"[pytest11]\natg = {entry_point}\n")
    root = write_project(PROJECT)
    env_path = os.pathsep.join([str(site), SRC])
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--help"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": env_path},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "--atg-fail-under=SCORE" in run.stdout
    assert "test quality from real execution (agentic-testgen)" in run.stdout
