"""Finding the modules a test file tests: the project's own modules among its imports."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.integrations._targets import Target, Untargeted, modules_under_test
from tests.conftest import WriteProject

PROJECT = {
    "pyproject.toml": "[project]\nname = 'calc'\n",
    "src/calc/__init__.py": "from ._ops import add\nfrom .text import shout\nVERSION = '1'\n",
    "src/calc/_ops.py": "def add(a, b):\n    return a + b\n",
    "src/calc/text.py": "def shout(s):\n    return s.upper()\n",
    "src/calc/sub/__init__.py": "",
    "src/calc/sub/deep.py": "X = 1\n",
    "tests/helpers.py": "def double(x):\n    return 2 * x\n",
}


def found(write_project: WriteProject, tests: str) -> list[Target] | Untargeted:
    root = write_project({**PROJECT, "tests/test_it.py": tests})
    return modules_under_test(root / "tests" / "test_it.py", loaded={})


def names(result: list[Target] | Untargeted) -> list[tuple[str, str]]:
    assert isinstance(result, list), result
    return [(target.module_name, target.module.name) for target in result]


def test_a_name_imported_from_a_package_leads_to_the_module_that_defines_it(
    write_project: WriteProject,
) -> None:
    assert names(found(write_project, "from calc import add\n")) == [("calc._ops", "_ops.py")]


def test_a_submodule_imported_by_every_spelling_is_found_once(
    write_project: WriteProject,
) -> None:
    tests = "import calc.text\nfrom calc import text\nfrom calc.text import shout\n"
    assert names(found(write_project, tests)) == [("calc.text", "text.py")]


def test_several_modules_are_found_in_the_files_order(write_project: WriteProject) -> None:
    tests = "from calc.sub import deep\nfrom calc import add, VERSION\n"
    assert names(found(write_project, tests)) == [
        ("calc.sub.deep", "deep.py"),
        ("calc._ops", "_ops.py"),
        ("calc", "__init__.py"),  # VERSION is defined in the package itself
    ]


def test_the_standard_library_test_tools_and_test_helpers_are_not_modules_under_test(
    write_project: WriteProject,
) -> None:
    tests = "import json\nimport pytest\nfrom helpers import double\nfrom calc import add\n"
    assert names(found(write_project, tests)) == [("calc._ops", "_ops.py")]


def test_a_file_without_a_project_module_says_which_imports_it_has(
    write_project: WriteProject,
) -> None:
    result = found(write_project, "import json\nimport missing_thing\n")
    assert isinstance(result, Untargeted)
    assert result.reason == "no module of the project among its imports (json, missing_thing)"


def test_a_module_the_session_imported_is_found_where_it_was_loaded(
    write_project: WriteProject, tmp_path: Path
) -> None:
    import types

    root = write_project({"lib/shapes.py": "S = 1\n", "tests/test_shapes.py": "import shapes\n"})
    module = types.ModuleType("shapes")
    module.__file__ = str(root / "lib" / "shapes.py")
    test_file = root / "tests" / "test_shapes.py"
    result = modules_under_test(test_file, extra_roots=[root], loaded={"shapes": module})
    assert names(result) == [("shapes", "shapes.py")]
    # without it, `lib/` is not a directory the project imports from
    assert isinstance(modules_under_test(test_file, extra_roots=[root], loaded={}), Untargeted)


def test_an_installed_copy_outside_the_project_is_not_the_module_under_test(
    write_project: WriteProject, tmp_path: Path
) -> None:
    import types

    root = write_project({**PROJECT, "tests/test_it.py": "import calc.text\n"})
    installed = types.ModuleType("calc.text")
    installed.__file__ = str(root / ".venv" / "lib" / "site-packages" / "calc" / "text.py")
    result = modules_under_test(root / "tests" / "test_it.py", loaded={"calc.text": installed})
    assert [target.module for target in result] == [root / "src" / "calc" / "text.py"]  # type: ignore[union-attr]


def test_a_test_file_that_does_not_parse_is_reported_not_raised(
    write_project: WriteProject,
) -> None:
    result = found(write_project, "from calc import (\n")
    assert isinstance(result, Untargeted)
    assert result.reason.startswith("cannot read its imports:")
