"""`atg eval file` inside a real-shaped project: its venv, its dependency, its conftest and config.

The project is built once per session in a temp dir: a src layout whose module imports a sibling
relatively and uses a dependency installed only in the project's own virtualenv (which also has
pytest and coverage), a conftest fixture reading a pytest ini option set in pyproject.toml, and
unittest-style tests. atg's figures must be those of the project's own `coverage run -m pytest`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import coverage
import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.generation._types import Plan
from agentic_testgen.generation.coders import CoderContext, GhostwriterCoder
from agentic_testgen.languages.python._source import source_unit_from_path
from agentic_testgen.sandbox import get_sandbox

PYPROJECT = """
    [project]
    name = "shop"
    version = "0.1"

    [tool.pytest.ini_options]
    pythonpath = ["src"]
    shop_currency = "EUR"
"""
RATES = """
    RATES = {"EUR": 120, "CHF": 108}
"""
PRICING = """
    from tinymoney import round_cents

    from ._rates import RATES


    def with_tax(cents, currency="EUR"):
        if cents < 0:
            raise ValueError("negative amount")
        rate = RATES.get(currency)
        if rate is None:
            return cents
        return round_cents(cents * rate / 100)
"""
CONFTEST = """
    import pytest


    def pytest_addoption(parser):
        parser.addini("shop_currency", "the currency the tests price in")


    @pytest.fixture
    def currency(request):
        return request.config.getini("shop_currency")
"""
TESTS = """
    import unittest

    from shop.pricing import with_tax


    class WithTaxTest(unittest.TestCase):
        def test_adds_the_rate(self):
            self.assertEqual(with_tax(100), 120)

        def test_refuses_a_negative_amount(self):
            with self.assertRaises(ValueError):
                with_tax(-1)

        def test_rounds_a_cent_up(self):
            self.assertEqual(with_tax(1), 2)  # wrong: 1.2 rounds to 1


    def test_prices_in_the_configured_currency(currency):
        assert currency == "EUR"
        assert with_tax(10, currency) == 12
"""
TINYMONEY = """
    def round_cents(amount):
        return int(amount + 0.5)
"""
SECRET = "API_TOKEN=do-not-leak\n"


@dataclass(frozen=True)
class Shop:
    root: Path
    python: Path


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def _pip(python: Path, *args: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        pytest.fail(f"cannot install {args} into the project venv: {completed.stderr[-2000:]}")


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The project, with a .venv holding pytest, coverage and the `tinymoney` dependency."""
    base = tmp_path_factory.mktemp("shop-project")
    root = base / "shop"
    _write(
        root,
        {
            "pyproject.toml": PYPROJECT,
            "src/shop/__init__.py": "",
            "src/shop/_rates.py": RATES,
            "src/shop/pricing.py": PRICING,
            "src/shop/.env": SECRET,
            ".env": SECRET,
            "tests/conftest.py": CONFTEST,
            "tests/test_pricing.py": TESTS,
        },
    )
    dependency = base / "tinymoney"
    _write(
        dependency,
        {
            "pyproject.toml": '[project]\nname = "tinymoney"\nversion = "1.0"\n',
            "tinymoney/__init__.py": TINYMONEY,
        },
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    python = root / ".venv" / "bin" / "python"
    _pip(python, f"pytest=={pytest.__version__}", f"coverage=={coverage.__version__}")
    _pip(python, str(dependency))
    yield Shop(root, python)


def _own_pytest(shop: Shop, tmp_path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """What the project's own `coverage run --branch -m pytest` says about pricing.py."""
    data = tmp_path / "own.coverage"
    run = subprocess.run(
        [str(shop.python), "-m", "coverage", "run", f"--data-file={data}", "--branch",
         "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_pricing.py"],
        cwd=shop.root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed)", run.stdout)}
    report = tmp_path / "own.json"
    subprocess.run(
        [str(shop.python), "-m", "coverage", "json", f"--data-file={data}", "-o", str(report),
         "--include", "*/shop/pricing.py"],
        cwd=shop.root, capture_output=True, check=True,
    )  # fmt: skip
    (entry,) = json.loads(report.read_text())["files"].values()
    return entry, counts


@pytest.mark.slow
def test_eval_file_from_a_subdirectory_measures_what_the_projects_own_pytest_does(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own, counts = _own_pytest(shop, tmp_path)
    assert counts == {"passed": 3, "failed": 1}  # the project really is as described
    monkeypatch.chdir(shop.root / "src" / "shop")
    out = tmp_path / "result.json"
    outcome = CliRunner().invoke(
        app,
        ["eval", "file", "-s", "pricing.py", "-t", "../../tests/test_pricing.py",
         "--reruns", "1", "--max-mutants", "12", "--json", str(out)],
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(out.read_text())
    details = result["metrics"]["coverage"]["details"]
    summary = own["summary"]
    assert (details["covered_lines"], details["num_statements"]) == (
        summary["covered_lines"],
        summary["num_statements"],
    )
    assert (details["covered_branches"], details["num_branches"]) == (
        summary["covered_branches"],
        summary["num_branches"],
    )
    assert details["missing_lines"] == own["missing_lines"]
    assert result["metrics"]["pass_rate"]["value"] == pytest.approx(3 / 4)
    outcomes = {test["nodeid"]: test["outcome"] for test in result["tests"]}
    assert outcomes["tests/test_pricing.py::WithTaxTest::test_rounds_a_cent_up"] == "failed"
    assert outcomes["tests/test_pricing.py::test_prices_in_the_configured_currency"] == "passed"
    assert result["metrics"]["mutation_score"]["details"]["killed"] > 0


@pytest.mark.slow
def test_project_secrets_are_not_visible_to_the_tests(shop: Shop, tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        textwrap.dedent(f"""
            from pathlib import Path

            import shop.pricing


            def test_no_env_file_anywhere():
                package = Path(shop.pricing.__file__).parent
                here = Path(__file__).resolve().parents[1]
                for env in (package / ".env", here / ".env", Path({str(shop.root)!r}) / ".env"):
                    assert not env.exists(), env
                assert shop.pricing.with_tax(100) == 120
        """)
    )
    out = tmp_path / "result.json"
    outcome = CliRunner().invoke(
        app,
        ["eval", "file", "-s", str(shop.root / "src/shop/pricing.py"), "-t", str(probe),
         "--reruns", "0", "--no-mutation", "--json", str(out)],
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    tests = json.loads(out.read_text())["tests"]
    assert [(test["nodeid"], test["outcome"]) for test in tests] == [
        ("tests/test_probe.py::test_no_env_file_anywhere", "passed")
    ]


def test_interpreter_without_the_test_tools_is_named_in_one_line(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": "", "src/calc.py": "X = 1\n", "tests/test_calc.py": ""})
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True
    )
    outcome = CliRunner().invoke(
        app,
        ["eval", "file", "-s", str(tmp_path / "src/calc.py"),
         "-t", str(tmp_path / "tests/test_calc.py"), "--reruns", "0"],
        env={"COLUMNS": "300"},
    )  # fmt: skip
    assert outcome.exit_code == 2
    python = tmp_path / "venv" / "bin" / "python"
    assert outcome.output.strip() == (
        f"error: the project's interpreter {python} lacks pytest and coverage: "
        "pip install coverage pytest in it"
    )


@pytest.mark.slow
def test_python_option_overrides_the_project_venv(shop: Shop, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    outcome = CliRunner().invoke(
        app,
        ["eval", "file", "-s", str(shop.root / "src/shop/pricing.py"),
         "-t", str(shop.root / "tests/test_pricing.py"), "--python", sys.executable,
         "--reruns", "0", "--no-mutation", "--json", str(out)],
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    (error,) = json.loads(out.read_text())["collection_errors"]
    assert "No module named 'tinymoney'" in error["message"]  # installed only in the project venv


@pytest.mark.slow
def test_generate_imports_the_module_through_its_package_and_the_projects_dependencies(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pricing` imports a sibling relatively and `tinymoney`, installed only in the project's
    .venv: the generator sees both, so its tests are kept."""
    monkeypatch.chdir(shop.root)
    out = tmp_path / "test_pricing_generated.py"
    outcome = CliRunner().invoke(
        app,
        ["generate", "--file", "src/shop/pricing.py", "--coder", "crosshair",
         "--max-iterations", "1", "--max-seconds", "60", "--output", str(out)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    assert "No module named" not in outcome.output
    assert "from shop.pricing import" in out.read_text()


def test_ghostwriter_says_the_project_lacks_hypothesis_instead_of_writing_tests_it_cannot_run(
    shop: Shop,
) -> None:
    source = source_unit_from_path(shop.root / "src" / "shop" / "pricing.py")
    context = CoderContext(source=source, sandbox=get_sandbox("bwrap"), seconds=30)
    candidate = GhostwriterCoder().generate(Plan(targets=()), context)
    assert candidate.code == ""
    assert candidate.failure.startswith("Hypothesis is not installed in the project's environment")
