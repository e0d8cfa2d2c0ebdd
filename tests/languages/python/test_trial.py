"""Trial collection: a project's test file collected in the sandbox as a run would lay it out,
and pytest's own reason, in one line, when its tests cannot run."""

from __future__ import annotations

import pytest

from agentic_testgen.domain import GeneratedTests
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.python import source_unit_from_path
from agentic_testgen.languages.python._trial import CollectionTrial, collect_tests
from agentic_testgen.sandbox import get_sandbox
from tests.conftest import WriteProject

PROJECT = {
    "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\n',
    "src/shop/__init__.py": "",
    "src/shop/money.py": "from .rates import RATE\n\ndef cents(x):\n    return round(x * RATE)\n",
    "src/shop/rates.py": "RATE = 100\n",
}
GOOD_TESTS = (
    "from shop.money import cents\n\n"
    "def test_cents():\n    assert cents(2) == 200\n\n"
    "def test_zero():\n    assert cents(0) == 0\n"
)


def trial(write_project: WriteProject, files: dict[str, str]) -> CollectionTrial:
    root = write_project({**PROJECT, **files})
    tests_file = root / "tests" / "test_money.py"
    tests = GeneratedTests(
        code=tests_file.read_text(), filename=tests_file.name, path=str(tests_file)
    )
    source = source_unit_from_path(root / "src" / "shop" / "money.py")
    return collect_tests(source, tests, get_sandbox("auto"), RunOptions(reruns=0, mutation=False))


def test_tests_that_collect_are_counted_and_runnable(write_project: WriteProject) -> None:
    found = trial(write_project, {"tests/test_money.py": GOOD_TESTS})
    assert found == CollectionTrial(collected=2, problem=None)
    assert found.runnable


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        (
            {"tests/test_money.py": "import nothere\n" + GOOD_TESTS},
            "tests/test_money.py: ModuleNotFoundError: No module named 'nothere'",
        ),
        (
            {
                "tests/conftest.py": "import missing_fixture_lib\n",
                "tests/test_money.py": GOOD_TESTS,
            },
            "tests/conftest.py: ModuleNotFoundError: No module named 'missing_fixture_lib'",
        ),
        (
            {
                "tests/test_money.py": "import pytest\n\npytest.importorskip('not_installed_lib')\n"
                + GOOD_TESTS
            },
            "no tests collected (Skipped: could not import 'not_installed_lib'",
        ),
        (
            {"tests/test_money.py": "def helper():\n    return 1\n"},
            "no tests collected",
        ),
        (
            {"tests/test_money.py": "def test_broken(:\n    pass\n"},
            "SyntaxError",
        ),
    ],
)
def test_tests_that_cannot_run_say_why_in_one_line(
    write_project: WriteProject, files: dict[str, str], problem: str
) -> None:
    found = trial(write_project, files)
    assert not found.runnable
    assert found.collected == 0
    assert found.problem is not None
    assert "\n" not in found.problem
    assert problem in found.problem


def test_a_project_option_pytest_does_not_know_is_the_reason(write_project: WriteProject) -> None:
    found = trial(write_project, {
        "pyproject.toml": PROJECT["pyproject.toml"]
        + '\n[tool.pytest.ini_options]\naddopts = "--needs-a-plugin"\n',
        "tests/test_money.py": GOOD_TESTS,
    })  # fmt: skip
    assert found.problem is not None
    assert "unrecognized arguments: --needs-a-plugin" in found.problem
