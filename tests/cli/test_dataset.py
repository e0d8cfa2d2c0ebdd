"""`atg dataset import` on bad input: one clear line, exit status 2, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from tests.conftest import WriteProject

runner = CliRunner()
PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n'


def atg_import(*args: str) -> Any:
    return runner.invoke(app, ["dataset", "import", *args], env={"COLUMNS": "200"})


def error_line(done: Any) -> str:
    assert done.exit_code == 2, done.output
    lines = done.output.strip().splitlines()
    assert len(lines) == 1, done.output
    assert lines[0].startswith("error: ")
    return lines[0]


def nothing_written(out: Path) -> bool:
    return not out.exists() or list(out.iterdir()) == []


def test_a_missing_checkout_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    line = error_line(atg_import(str(tmp_path / "nothere"), "--out", str(out)))
    assert "nothere: no such directory (give a checkout of a project)" in line
    assert nothing_written(out)


def test_a_checkout_and_a_package_at_once_or_neither_is_refused(tmp_path: Path) -> None:
    line = error_line(atg_import("--out", str(tmp_path)))
    assert "give a checkout's PATH or --pypi NAME==VERSION, one of them" in line
    line = error_line(atg_import(str(tmp_path), "--pypi", "inflection==0.5.1"))
    assert "one of them" in line


@pytest.mark.parametrize("spec", ["inflection", "inflection>=0.5", "in flection==1", "==1.0"])
def test_a_pypi_spec_without_an_exact_version_is_refused(tmp_path: Path, spec: str) -> None:
    line = error_line(atg_import("--pypi", spec, "--out", str(tmp_path / "out")))
    assert f"--pypi {spec!r}: give a package and its exact version, NAME==VERSION" in line
    assert nothing_written(tmp_path / "out")


def test_a_folder_without_python_code_is_one_line(write_project: WriteProject) -> None:
    root = write_project({"repo/pyproject.toml": PYPROJECT, "repo/README.md": "hello\n"})
    out = root / "out"
    line = error_line(atg_import(str(root / "repo"), "--out", str(out)))
    assert "no Python package or module found in the project" in line
    assert nothing_written(out)


def test_a_folder_that_is_no_project_root_is_one_line(write_project: WriteProject) -> None:
    root = write_project({"repo/calc.py": "X = 1\n", "repo/test_calc.py": "def test(): pass\n"})
    out = root / "out"
    line = error_line(atg_import(str(root / "repo"), "--out", str(out)))
    assert "no pyproject.toml or setup.py at its top: not a Python project pip can install" in line
    assert nothing_written(out)


def test_a_project_without_paired_tests_is_one_line(write_project: WriteProject) -> None:
    root = write_project({
        "repo/pyproject.toml": PYPROJECT,
        "repo/demo/__init__.py": "",
        "repo/demo/calc.py": "X = 1\n",
        "repo/tests/test_other.py": "def test(): pass\n",
    })  # fmt: skip
    out = root / "out"
    line = error_line(atg_import(str(root / "repo"), "--out", str(out)))
    assert "no test file paired with a module (2 modules, 1 test files" in line
    assert nothing_written(out)


def test_a_dataset_name_in_use_is_kept_without_force(write_project: WriteProject) -> None:
    root = write_project({"out/demo.yaml": "name: demo\n", "repo/pyproject.toml": PYPROJECT})
    line = error_line(atg_import(str(root / "repo"), "--out", str(root / "out"), "--name", "demo"))
    assert "demo.yaml already exists: give --force to replace it, or another --name" in line
    assert (root / "out" / "demo.yaml").read_text() == "name: demo\n"


@pytest.mark.slow
@pytest.mark.network
def test_a_pypi_version_that_does_not_exist_is_pips_reason(tmp_path: Path) -> None:
    out = tmp_path / "out"
    line = error_line(atg_import("--pypi", "inflection==999.0.0", "--out", str(out)))
    assert "--pypi inflection==999.0.0: pip download failed:" in line
    assert "Could not find a version that satisfies the requirement inflection==999.0.0" in line
    assert nothing_written(out)


@pytest.mark.slow
@pytest.mark.network
def test_a_failed_install_is_pips_reason_and_leaves_nothing(write_project: WriteProject) -> None:
    root = write_project({
        "repo/pyproject.toml": (
            '[build-system]\nrequires = ["setuptools>=61"]\n'
            'build-backend = "setuptools.build_meta"\n'
            '[project]\nname = "demo"\nversion = "1.0"\n'
            'dependencies = ["missinglib @ file:///nonexistent/missinglib"]\n'
        ),
        "repo/demo/__init__.py": "",
        "repo/demo/calc.py": "X = 1\n",
        "repo/tests/test_calc.py": "def test(): pass\n",
    })  # fmt: skip
    out = root / "out"
    line = error_line(atg_import(str(root / "repo"), "--out", str(out)))
    assert "error: pip install failed:" in line
    assert "/nonexistent/missinglib" in line
    assert nothing_written(out)


@pytest.mark.slow
@pytest.mark.network
def test_an_extra_the_project_does_not_declare_is_one_line(write_project: WriteProject) -> None:
    root = write_project({
        "repo/pyproject.toml": (
            '[build-system]\nrequires = ["setuptools>=61"]\n'
            'build-backend = "setuptools.build_meta"\n'
            '[project]\nname = "demo"\nversion = "1.0"\n'
            '[project.optional-dependencies]\ntest = []\nfast = []\n'
        ),
        "repo/demo/__init__.py": "",
        "repo/demo/calc.py": "X = 1\n",
        "repo/tests/test_calc.py": "def test(): pass\n",
    })  # fmt: skip
    out = root / "out"
    line = error_line(atg_import(str(root / "repo"), "--out", str(out), "--extra", "speed"))
    assert "--extra speed: demo declares no such extra (its extras: fast, test)" in line
    assert nothing_written(out)
