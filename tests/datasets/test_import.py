"""`atg dataset import` end to end: real pip, real sdists from PyPI, real checkouts in tmp_path,
then `atg eval run --dataset` on what it wrote."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.datasets import load_dataset
from tests.conftest import write_files

pytestmark = [pytest.mark.slow, pytest.mark.network]

runner = CliRunner()
BUILD = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'


def atg(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def local_dependency(tmp_path: Path) -> str:
    """A package that exists only on this disk: importable in a dataset's environment only if
    the import installed the project's dependencies there."""
    write_files(tmp_path / "deps" / "tallylib", {
        "pyproject.toml": BUILD + '[project]\nname = "tallylib"\nversion = "1.0"\n',
        "tallylib.py": "def double(x):\n    return 2 * x\n",
    })  # fmt: skip
    assert importlib.util.find_spec("tallylib") is None  # not in atg's own environment
    return f"tallylib @ {(tmp_path / 'deps' / 'tallylib').as_uri()}"


def evaluate(dataset: Path, workspace: Path) -> dict[str, dict[str, float]]:
    """`atg eval run --dataset` for real (no mutants, no reruns): metrics per entry id."""
    done = atg(
        "eval", "run", "--dataset", str(dataset), "--workspace", str(workspace),
        "--no-mutation", "--reruns", "0", "--evaluators", "none", "--format", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    (report,) = (workspace / "results").glob("suite_*.json")
    results = json.loads(report.read_text())["results"]
    return {result["entry_id"]: result["metrics"] for result in results}


def test_a_pypi_sdist_is_imported_with_its_own_tests_and_evaluated(tmp_path: Path) -> None:
    out = tmp_path / "datasets"
    done = atg("dataset", "import", "--pypi", "inflection==0.5.1", "--out", str(out))
    assert done.exit_code == 0, done.output
    assert "found: 1 modules, 1 test files; paired: 1; runnable: 1; not runnable: 0" in done.output
    manifest = yaml.safe_load((out / "inflection.yaml").read_text())
    assert manifest["imported"]["distribution"] == "inflection==0.5.1"
    (entry,) = load_dataset(str(out / "inflection.yaml")).entries
    assert entry.id == "inflection/inflection"
    assert entry.source.package == ("inflection",)  # inflection/__init__.py, as it is imported
    venv_python = out / "inflection" / "venv" / "bin" / "python"
    shown = subprocess.run(
        [str(venv_python), "-c", "import inflection, pytest, coverage; print(inflection.__file__)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "site-packages" in shown.stdout
    metrics = evaluate(out / "inflection.yaml", tmp_path / "evals")
    assert metrics["inflection/inflection"]["pass_rate"] == 1.0
    assert metrics["inflection/inflection"]["coverage"] > 0.9


def test_a_src_layout_checkout_is_imported_with_its_dependencies_and_evaluated(
    tmp_path: Path,
) -> None:
    dependency = local_dependency(tmp_path)
    checkout = write_files(tmp_path / "ledger", {
        "pyproject.toml": BUILD + f"""
            [project]
            name = "ledger"
            version = "0.1"
            dependencies = ["{dependency}"]
            """,
        "src/ledger/__init__.py": "",
        "src/ledger/money.py": """
            def cents(amount):
                if amount < 0:
                    raise ValueError("negative")
                return round(amount * 100)
            """,
        "src/ledger/book.py": """
            from tallylib import double

            from .money import cents


            def doubled_cents(amount):
                return double(cents(amount))
            """,
        "src/ledger/report.py": "def title():\n    return 'report'\n",
        "tests/ledger/test_book.py": """
            from ledger.book import doubled_cents

            def test_doubled_cents():
                assert doubled_cents(1.5) == 300
            """,
        "tests/test_money.py": """
            import pytest

            from ledger.money import cents

            def test_cents():
                assert cents(2) == 200

            def test_negative_is_refused():
                with pytest.raises(ValueError):
                    cents(-1)
            """,
        "tests/test_report.py": """
            import nothere

            from ledger.report import title

            def test_title():
                assert title() == "report"
            """,
        ".env": "API_KEY=do-not-copy\n",
    })  # fmt: skip
    before = sorted(path.relative_to(checkout) for path in checkout.rglob("*"))
    out = tmp_path / "datasets"
    done = atg("dataset", "import", str(checkout), "--out", str(out))
    assert done.exit_code == 0, done.output
    assert "paired: 3; runnable: 2; not runnable: 1" in done.output
    assert "ledger/ledger.report  (tests/test_report.py): " in done.output
    assert "No module named 'nothere'" in done.output
    # the checkout is left as it was: pip built from a throwaway copy
    assert sorted(path.relative_to(checkout) for path in checkout.rglob("*")) == before
    assert not (out / "ledger" / "project" / ".env").exists()
    manifest = yaml.safe_load((out / "ledger.yaml").read_text())
    assert [entry["id"] for entry in manifest["entries"]] == [
        "ledger/ledger.book",
        "ledger/ledger.money",
    ]
    (left_out,) = manifest["not_runnable"]
    assert left_out["id"] == "ledger/ledger.report"
    assert "No module named 'nothere'" in left_out["reason"]
    metrics = evaluate(out / "ledger.yaml", tmp_path / "evals")
    # book imports tallylib, installed only in the dataset's own environment
    assert metrics["ledger/ledger.book"]["pass_rate"] == 1.0
    assert metrics["ledger/ledger.book"]["coverage"] == 1.0
    assert metrics["ledger/ledger.money"]["pass_rate"] == 1.0
    assert metrics["ledger/ledger.money"]["coverage"] == 1.0


def test_a_flat_layout_checkout_gets_its_test_extras(tmp_path: Path) -> None:
    dependency = local_dependency(tmp_path)
    checkout = write_files(tmp_path / "flatpkg", {
        "pyproject.toml": BUILD + f"""
            [project]
            name = "flatpkg"
            version = "0.1"

            [project.optional-dependencies]
            test = ["{dependency}"]
            docs = ["this-extra-is-not-installed-for-tests"]

            [tool.setuptools]
            packages = ["flatpkg"]
            """,
        "flatpkg/__init__.py": "def greet(name):\n    return f'hello {name}'\n",
        "flatpkg/core.py": "def twice(x):\n    return x + x\n",
        "test_flatpkg.py": """
            from flatpkg import greet

            def test_greet():
                assert greet('ann') == 'hello ann'
            """,
        "flatpkg/core_test.py": """
            from tallylib import double

            from flatpkg.core import twice

            def test_twice_is_double():
                assert twice(4) == double(4)
            """,
        "flatpkg/shapes.py": "def area(width, height):\n    return width * height\n",
        # named after no module: paired by what it imports
        "tests/test_regressions.py": """
            from flatpkg.shapes import area

            def test_area_of_a_line_is_zero():
                assert area(3, 0) == 0
            """,
    })  # fmt: skip
    out = checkout / "evals" / "datasets"  # inside the checkout: left out of the copy
    done = atg("dataset", "import", str(checkout), "--out", str(out), "--name", "flat")
    assert done.exit_code == 0, done.output
    manifest = yaml.safe_load((out / "flat.yaml").read_text())
    assert manifest["imported"]["extras"] == ["test"]  # not docs
    assert manifest["imported"]["runnable"] == 3
    assert manifest["imported"]["paired_by_imports"] == 1
    assert "flat/flatpkg.shapes  (tests/test_regressions.py: 1 tests, paired by its imports)" in (
        done.output
    )
    assert sorted(entry["id"] for entry in manifest["entries"]) == [
        "flat/flatpkg",
        "flat/flatpkg.core",
        "flat/flatpkg.shapes",
    ]
    assert not (out / "flat" / "project" / "evals" / "datasets").exists()
    assert {entry["reference_tests"] for entry in manifest["entries"]} == {
        "flat/project/test_flatpkg.py", "flat/project/flatpkg/core_test.py",
        "flat/project/tests/test_regressions.py",
    }  # fmt: skip
