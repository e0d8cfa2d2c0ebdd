"""`atg generate` on a src-layout project: the file lands in the project's tests, runs with plain
pytest, is ruff-clean and never overwrites a file unasked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.generation._ruff import find_ruff

MODULE = '''"""Intervals written as text."""


def parse(text: str) -> tuple[int, int]:
    if "-" in text:
        low, high = text.split("-", 1)
        return int(low), int(high)
    value = int(text)
    return value, value


def width(low: int, high: int) -> int:
    if high < low:
        raise ValueError("empty interval")
    return high - low + 1
'''
PYPROJECT = """[project]
name = "intervals"
version = "0.1"

[tool.pytest.ini_options]
pythonpath = ["src"]

[tool.ruff]
line-length = 88

[tool.ruff.lint]
select = ["E", "F", "I", "UP", "B", "SIM"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    package = tmp_path / "src" / "intervals"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "parse.py").write_text(MODULE)
    (tmp_path / "tests").mkdir()
    return tmp_path


def generate(project: Path, *flags: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["generate", "--file", str(project / "src/intervals/parse.py"), "--coder", "crosshair",
         "--max-iterations", "1", *flags],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    return result.exit_code, result.output


def plain_pytest(project: Path) -> subprocess.CompletedProcess[str]:
    """`pytest` from the project root, as a user runs it (nothing of atg's test set-up)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, capture_output=True, text=True, check=False, timeout=120, env=env,
    )  # fmt: skip


def test_the_file_lands_in_the_tests_dir_and_runs_with_plain_pytest(project: Path) -> None:
    code, output = generate(project)
    assert code == 0, output
    written = project / "tests" / "test_parse.py"
    assert f"wrote {written}" in output.replace("\n", "")
    text = written.read_text()
    assert "from intervals.parse import " in text
    names = re.findall(r"^def (test_\w+)", text, re.M)
    assert names
    # named after behaviour: the function and outcome, not a counter (`test_21`, `test_parse_2`)
    numbered = re.compile(r"test_(?:case_)?\d+|test_(?:parse|width)_\d+")
    assert not [n for n in names if numbered.fullmatch(n)], names
    assert all(n.startswith(("test_parse_", "test_width_")) for n in names), names
    run = plain_pytest(project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"\d+ passed", run.stdout)
    ruff = find_ruff()
    assert ruff is not None
    lint = subprocess.run(
        [ruff, "check", "--config", str(project / "pyproject.toml"), str(written)],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert lint.returncode == 0, lint.stdout
    formatted = subprocess.run(
        [ruff, "format", "--check", "--config", str(project / "pyproject.toml"), str(written)],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert formatted.returncode == 0, formatted.stdout


def test_an_existing_file_is_kept_unless_forced(project: Path) -> None:
    written = project / "tests" / "test_parse.py"
    written.write_text("def test_hand_written():\n    assert True\n")
    code, output = generate(project)
    assert code != 0
    assert output.strip() == (
        f"error: {written} exists: use --force to overwrite it or --extend to add the new "
        "tests to it"
    )
    assert written.read_text() == "def test_hand_written():\n    assert True\n"
    code, output = generate(project, "--force")
    assert code == 0, output
    assert "test_hand_written" not in written.read_text()


def test_extend_adds_the_new_tests_and_keeps_the_hand_written_ones(project: Path) -> None:
    written = project / "tests" / "test_parse.py"
    hand = (
        "from intervals.parse import parse\n\n\n"
        "def test_parse_single_number_gives_one_point_interval():\n"
        "    # kept as the team wrote it\n"
        "    assert parse('3') == (3, 3)\n"
    )
    written.write_text(hand)
    code, output = generate(project, "--extend")
    assert code == 0, output
    text = written.read_text()
    assert "    # kept as the team wrote it\n    assert parse('3') == (3, 3)\n" in text
    names = re.findall(r"^def (test_\w+)", text, re.M)
    assert len(names) == len(set(names)) > 1
    assert "width" in text
    run = plain_pytest(project)
    assert run.returncode == 0, run.stdout + run.stderr
