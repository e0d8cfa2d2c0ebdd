"""The Python adapter against real pytest and coverage.py, in the real sandbox."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import TestOutcome
from agentic_testgen.evals import evaluate_files, load_inputs
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import ProcessSandbox, get_sandbox
from tests.conftest import Evaluate, WriteProject

CALC = """
    def sign(x):
        if x > 0:
            return 1
        elif x < 0:
            return -1
        return 0


    def clamp(x, low, high):
        if low > high:
            raise ValueError("low > high")
        return max(low, min(x, high))


    class Account:
        def __init__(self):
            self.balance = 0

        def deposit(self, amount):
            if amount <= 0:
                raise ValueError("amount must be positive")
            self.balance += amount
            return self.balance
"""

CALC_TESTS = """
    import pytest
    from calc import Account, clamp, sign


    def test_sign_of_positive_number():
        assert sign(3) == 1


    def test_sign_of_zero():
        assert sign(0) == 0


    def test_clamp_rejects_inverted_bounds():
        with pytest.raises(ValueError):
            clamp(1, 5, 0)


    def test_deposit_wrong_on_purpose():
        assert Account().deposit(5) == 6
"""


def coverage_py_summary(root: Path, tests: str, module: str) -> dict[str, float]:
    """What `coverage run --branch -m pytest` + `coverage json` report for `module`."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "HOME": str(root)}
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--branch", "-m", "pytest", "-q", tests],
        cwd=root,
        env=env,
        capture_output=True,
        check=False,
    )
    subprocess.run(
        [sys.executable, "-m", "coverage", "json", "-o", "cov.json"],
        cwd=root,
        env=env,
        capture_output=True,
        check=True,
    )
    summary: dict[str, float] = json.loads((root / "cov.json").read_text())["files"][module][
        "summary"
    ]
    return summary


def test_line_and_branch_rates_equal_coverage_py(
    write_project: WriteProject, settings: Settings
) -> None:
    root = write_project({"calc.py": CALC, "tests/test_calc.py": CALC_TESTS})
    result = evaluate_files(root / "calc.py", root / "tests/test_calc.py", settings=settings)
    expected = coverage_py_summary(root, "tests/test_calc.py", "calc.py")
    details = result.metrics["coverage"].details
    assert details["num_statements"] == expected["num_statements"]
    assert details["covered_lines"] == expected["covered_lines"]
    assert details["num_branches"] == expected["num_branches"]
    assert details["covered_branches"] == expected["covered_branches"]
    assert result.metrics["coverage"].value == pytest.approx(expected["percent_covered"] / 100)
    assert details["line_rate"] == pytest.approx(
        expected["covered_lines"] / expected["num_statements"]
    )
    assert details["branch_rate"] == pytest.approx(
        expected["covered_branches"] / expected["num_branches"]
    )


COLORSYS_TESTS = """
    import pytest
    import colorsys


    def test_rgb_to_hsv_of_pure_red():
        assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)


    def test_grey_has_no_saturation_in_every_model():
        assert colorsys.rgb_to_hsv(0.5, 0.5, 0.5)[1] == 0.0
        assert colorsys.rgb_to_hls(0.5, 0.5, 0.5)[2] == 0.0


    @pytest.mark.parametrize("rgb", [(0.2, 0.4, 0.6), (0.9, 0.1, 0.3), (0.1, 0.8, 0.2)])
    def test_hsv_round_trip(rgb):
        back = colorsys.hsv_to_rgb(*colorsys.rgb_to_hsv(*rgb))
        assert back == pytest.approx(rgb)


    def test_hls_round_trip():
        rgb = (0.3, 0.6, 0.9)
        assert colorsys.hls_to_rgb(*colorsys.rgb_to_hls(*rgb)) == pytest.approx(rgb)


    def test_yiq_round_trip():
        rgb = (0.25, 0.5, 0.75)
        assert colorsys.yiq_to_rgb(*colorsys.rgb_to_yiq(*rgb)) == pytest.approx(rgb)
"""


def test_standard_library_module_numbers_equal_coverage_py(
    write_project: WriteProject, settings: Settings
) -> None:
    root = write_project({"tests/test_colorsys.py": COLORSYS_TESTS})
    shutil.copy(Path(sysconfig.get_paths()["stdlib"]) / "colorsys.py", root / "colorsys.py")
    result = evaluate_files(
        root / "colorsys.py", root / "tests/test_colorsys.py", settings=settings
    )
    expected = coverage_py_summary(root, "tests/test_colorsys.py", "colorsys.py")
    details = result.metrics["coverage"].details
    assert result.metrics["pass_rate"].value == 1.0
    assert details["num_statements"] == expected["num_statements"] > 50
    assert details["covered_lines"] == expected["covered_lines"]
    assert details["covered_branches"] == expected["covered_branches"]
    assert result.metrics["coverage"].value == pytest.approx(expected["percent_covered"] / 100)


def test_failing_flaky_and_unrelated_tests_are_each_reported(evaluate_project: Evaluate) -> None:
    tests = (
        CALC_TESTS
        + """

    def test_arithmetic_without_the_module():
        assert 1 + 1 == 2


    def test_passes_only_in_the_first_run_to_get_here():
        # the runs of one evaluation share a working directory: exactly one creates the marker
        import os
        from pathlib import Path
        marker = Path("first-run")
        assert sign(-1) == -1
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
    """
    )
    result = evaluate_project(CALC, tests)
    by_name = {test.nodeid.split("::")[1]: test for test in result.tests}
    assert by_name["test_deposit_wrong_on_purpose"].outcome == TestOutcome.FAILED
    assert by_name["test_deposit_wrong_on_purpose"].reached_module
    assert "assert 5 == 6" in (by_name["test_deposit_wrong_on_purpose"].failure or "")
    assert by_name["test_passes_only_in_the_first_run_to_get_here"].flaky
    assert not by_name["test_sign_of_zero"].flaky
    assert not by_name["test_arithmetic_without_the_module"].reached_module
    correctness = result.metrics["correctness"].details
    assert correctness["not_reaching_module"] == [
        "tests/test_calc.py::test_arithmetic_without_the_module"
    ]
    # the flaky test fails in the instrumented run whenever a rerun reached it first
    assert "tests/test_calc.py::test_deposit_wrong_on_purpose" in correctness["failing_tests"]
    assert result.metrics["determinism"].details["flaky_tests"] == [
        "tests/test_calc.py::test_passes_only_in_the_first_run_to_get_here"
    ]


def test_each_test_records_the_lines_and_branches_it_covered(
    write_project: WriteProject, settings: Settings
) -> None:
    root = write_project({"calc.py": CALC, "tests/test_calc.py": CALC_TESTS})
    source, tests = load_inputs(root / "calc.py", root / "tests/test_calc.py")
    outcome = get_adapter("python").run(
        source, tests, get_sandbox("bwrap"), RunOptions(reruns=0, test_timeout_s=3)
    )
    by_name = {test.nodeid.split("::")[1]: test for test in outcome.tests}
    # sign(0): line 2 (x > 0), 4 (x < 0), 6 (return 0); both branches taken to the else side
    assert set(by_name["test_sign_of_zero"].lines) == {2, 4, 6}
    assert set(by_name["test_sign_of_zero"].branches) == {(2, 4), (4, 6)}
    assert set(by_name["test_sign_of_positive_number"].lines) == {2, 3}
    assert outcome.reruns == ()


def test_a_generator_closed_before_its_first_step_is_not_forged_coverage(
    evaluate_project: Evaluate,
) -> None:
    # coverage.py records such a generator's entry and exit as one arc, `-1 -> -1`
    module = "def counting(limit):\n    yield from range(limit)\n"
    tests = """
    from calc import counting


    def test_a_generator_closed_before_its_first_step():
        numbers = counting(3)
        numbers.close()
        assert list(numbers) == []
    """
    result = evaluate_project(module, tests)
    assert result.integrity.ok, result.integrity.findings
    assert [t.outcome for t in result.tests] == [TestOutcome.PASSED]


@pytest.mark.parametrize("sandbox", ["process", "none"])
def test_weaker_sandboxes_measure_the_same(
    sandbox: str, write_project: WriteProject, settings: Settings
) -> None:
    root = write_project({"calc.py": CALC, "tests/test_calc.py": CALC_TESTS})
    paths = (root / "calc.py", root / "tests/test_calc.py")
    strong = evaluate_files(*paths, settings=settings, sandbox=get_sandbox("bwrap"))
    # as root here the process sandbox would run as nobody, who cannot reach this interpreter
    chosen = ProcessSandbox(as_nobody=False) if sandbox == "process" else get_sandbox(sandbox)
    weak = evaluate_files(*paths, settings=settings, sandbox=chosen)
    assert weak.sandbox == sandbox
    assert weak.metrics["coverage"] == strong.metrics["coverage"]
    assert [t.outcome for t in weak.tests] == [t.outcome for t in strong.tests]


def test_module_in_a_package_runs_in_its_package_with_relative_imports(
    evaluate_project: Evaluate, write_project: WriteProject
) -> None:
    write_project({
        "shop/__init__.py": "",
        "shop/pricing/__init__.py": "",
        "shop/pricing/_rates.py": "RATE = 120\n",
    })  # fmt: skip
    tests = """
        from shop.pricing.tax import with_tax


        def test_tax_through_the_package():
            assert with_tax(100) == 120
    """
    source = "from ._rates import RATE\n\n\ndef with_tax(cents):\n    return cents * RATE // 100\n"
    result = evaluate_project(source, tests, module="shop/pricing/tax.py")
    assert [test.outcome for test in result.tests] == [TestOutcome.PASSED]
    assert result.metrics["coverage"].value == 1.0


def test_module_in_a_package_is_not_importable_by_its_bare_name_as_in_pytest(
    evaluate_project: Evaluate, write_project: WriteProject
) -> None:
    write_project({"shop/__init__.py": ""})
    tests = "import tax\n\n\ndef test_tax():\n    assert tax.with_tax(0) == 0\n"
    result = evaluate_project("def with_tax(c):\n    return c\n", tests, module="shop/tax.py")
    assert "No module named 'tax'" in result.collection_errors[0].message


ASYNC_TESTS = """
    from calc import sign


    async def test_sign_in_a_coroutine():
        assert sign(2) == 1


    def test_sign_of_zero():
        assert sign(0) == 0
"""

# marks every test for anyio's plugin: the tests file itself never names it
ANYIO_CONFTEST = """
import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.anyio)
"""


def test_a_plugin_named_only_by_a_conftest_still_runs_the_tests_it_serves(
    evaluate_project: Evaluate, write_project: WriteProject
) -> None:
    # anyio's plugin is left out of runs whose files never name it; a conftest naming it counts
    write_project({"tests/conftest.py": ANYIO_CONFTEST})
    result = evaluate_project(CALC, ASYNC_TESTS)
    outcomes = {test.nodeid.rpartition("::")[2]: test.outcome for test in result.tests}
    assert outcomes == {
        "test_sign_in_a_coroutine[asyncio]": TestOutcome.PASSED,
        "test_sign_of_zero": TestOutcome.PASSED,
    }


def test_plugins_that_serve_only_tests_naming_them_load_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agentic_testgen.languages.python as python_language

    monkeypatch.syspath_prepend(str(Path(python_language.__file__).parent))
    import _session  # type: ignore[import-not-found]

    root = tmp_path / "project"
    tests = root / "tests" / "unit" / "test_calc.py"
    tests.parent.mkdir(parents=True)
    tests.write_text("def test_one():\n    assert True\n")
    ini = root / "pytest.ini"
    ini.write_text("[pytest]\n")
    config = {"tests_file": str(tests), "rootdir": str(root), "ini_file": str(ini)}

    def blocked() -> set[str]:
        args = _session.unnamed_plugin_args(config)
        return {arg.removeprefix("no:") for arg in args[1::2]}

    assert blocked() == set(_session.NAMED_PLUGINS)
    (tmp_path / "conftest.py").write_text("import anyio\n")  # above the rootdir: not read
    assert blocked() == set(_session.NAMED_PLUGINS)
    (root / "tests" / "conftest.py").write_text("pytestmark = 'anyio'\n")
    assert blocked() == set(_session.NAMED_PLUGINS) - {"anyio"}
    ini.write_text("[pytest]\naddopts = --looponfail\n")
    tests.write_text("def test_dirs(platformdirs_isolated):\n    assert platformdirs_isolated\n")
    assert blocked() == {"hypothesispytest"}
    config["extra_args"] = ["--hypothesis-seed=0"]  # a derandomized run passes its option
    assert blocked() == set()


def test_syntax_error_in_tests_gives_correctness_zero_with_the_compiler_message(
    evaluate_project: Evaluate,
) -> None:
    result = evaluate_project(CALC, "def test_broken(:\n    pass\n")
    correctness = result.metrics["correctness"]
    assert correctness.value == 0.0
    assert correctness.details["parses"] is False
    assert "test_calc.py:1:" in correctness.details["error"]
    assert "SyntaxError" in correctness.details["error"]
    assert result.score < 0.2


def test_syntax_error_in_the_module_is_recorded_not_raised(evaluate_project: Evaluate) -> None:
    result = evaluate_project("def broken(:\n", CALC_TESTS)
    assert result.metrics["correctness"].value == 0.0
    assert "calc.py:1:" in (result.syntax_error or "")


def test_import_error_is_recorded_as_a_collection_error(evaluate_project: Evaluate) -> None:
    result = evaluate_project(CALC, "from calc import missing_name\n\ndef test_x():\n    pass\n")
    assert len(result.collection_errors) == 1
    assert "missing_name" in result.collection_errors[0].message
    assert result.metrics["pass_rate"].value == 0.0
    assert result.metrics["correctness"].value == 0.0


CLASSIFY = """
    def classify(n):
        if n < 0:
            return "negative"
        if n == 0:
            return "zero"
        if n > 1000:
            return "large"
        if n % 7 == 0:
            return "sevens"
        return "positive"
"""

PROPERTY_TESTS = """
    from hypothesis import given, settings, strategies as st

    from classify import classify


    @settings(max_examples=5, database=None)
    @given(st.integers(min_value=-2000, max_value=2000))
    def test_classify_returns_a_label(n):
        assert classify(n) in {"negative", "zero", "large", "sevens", "positive"}
"""


@pytest.mark.parametrize("derandomize", [False, True])
def test_a_property_based_test_whose_coverage_varies_is_not_deterministic(
    derandomize: bool, write_project: WriteProject
) -> None:
    root = write_project({"classify.py": CLASSIFY, "tests/test_classify.py": PROPERTY_TESTS})
    settings = Settings(run=RunSettings(reruns=5, mutation=False, derandomize=derandomize))
    result = evaluate_files(
        root / "classify.py", root / "tests/test_classify.py", settings=settings
    )
    determinism = result.metrics["determinism"]
    nodeid = "tests/test_classify.py::test_classify_returns_a_label"
    if derandomize:  # the same examples in every run: same lines, and no static finding either
        assert determinism.details["coverage_varied"] == []
        assert determinism.value == 1.0
    else:  # 5 of 4,001 integers per run: the lines covered differ between the six runs
        assert determinism.details["coverage_varied"] == [nodeid]
        assert determinism.value == 0.0
    assert [test.outcome for test in result.tests] == [TestOutcome.PASSED]
