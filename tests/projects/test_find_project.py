"""find_project on small projects of every shape built in tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentic_testgen.projects import (
    InterpreterRule,
    Layout,
    ProjectError,
    RootMarker,
    find_project,
    is_secret,
    require_test_tools,
)
from tests.conftest import write_files

NO_ENV: dict[str, str] = {}


def fake_venv(directory: Path) -> Path:
    """A directory shaped like a venv whose bin/python is this interpreter."""
    (directory / "bin").mkdir(parents=True)
    python = directory / "bin" / "python"
    python.symlink_to(sys.executable)
    return python


def test_src_layout_module_gets_its_dotted_import_name(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'slugify'\n",
            "src/slugify/__init__.py": "",
            "src/slugify/slugify.py": "",
        },
    )
    module = root / "src/slugify/slugify.py"
    project = find_project(module, environ=NO_ENV)
    assert project.root == root
    assert project.marker is RootMarker.PYPROJECT
    assert project.layout is Layout.SRC
    assert project.import_root == root / "src"
    assert project.import_name(module) == "slugify.slugify"
    assert project.import_name(root / "src/slugify/__init__.py") == "slugify"


def test_any_path_inside_the_project_finds_the_same_root(tmp_path: Path) -> None:
    root = write_files(
        tmp_path, {"setup.cfg": "[metadata]\n", "src/pkg/mod.py": "", "docs/x.md": ""}
    )
    assert find_project(root / "docs", environ=NO_ENV).root == root
    assert find_project(root / "docs/x.md", environ=NO_ENV).layout is Layout.SRC


def test_flat_layout_walks_up_the_init_packages(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "setup.py": "",
            "shop/__init__.py": "",
            "shop/pricing/__init__.py": "",
            "shop/pricing/tax.py": "",
        },
    )
    project = find_project(root / "shop/pricing/tax.py", environ=NO_ENV)
    assert project.marker is RootMarker.SETUP_PY
    assert project.layout is Layout.FLAT
    assert project.import_root == root
    assert project.import_name(root / "shop/pricing/tax.py") == "shop.pricing.tax"


def test_directory_without_init_in_a_flat_project_is_not_importable(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"pyproject.toml": "", "scripts/tool.py": ""})
    project = find_project(root / "scripts/tool.py", environ=NO_ENV)
    with pytest.raises(ProjectError, match=r"scripts has no __init__\.py"):
        project.import_name(root / "scripts/tool.py")


def test_namespace_package_named_in_setuptools_config_counts(tmp_path: Path) -> None:
    pyproject = """
        [tool.setuptools.packages.find]
        include = ["acme*"]
    """
    root = write_files(tmp_path, {"pyproject.toml": pyproject, "acme/tools/clock.py": ""})
    project = find_project(root, environ=NO_ENV)
    assert project.namespace_packages == ("acme",)
    assert project.import_name(root / "acme/tools/clock.py") == "acme.tools.clock"


def test_namespace_package_named_in_hatch_config_counts(tmp_path: Path) -> None:
    pyproject = """
        [tool.hatch.build.targets.wheel]
        packages = ["src/acme"]
    """
    root = write_files(tmp_path, {"pyproject.toml": pyproject})
    assert find_project(root, environ=NO_ENV).namespace_packages == ("acme",)


def test_every_directory_under_src_is_a_package(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"pyproject.toml": "", "src/acme/tools/clock.py": ""})
    project = find_project(root / "src/acme/tools/clock.py", environ=NO_ENV)
    assert project.import_name(root / "src/acme/tools/clock.py") == "acme.tools.clock"


def test_module_outside_the_import_root_is_refused_in_one_line(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"pyproject.toml": "", "src/pkg/mod.py": "", "tools/run.py": ""})
    project = find_project(root / "tools/run.py", environ=NO_ENV)
    with pytest.raises(ProjectError, match=r"outside the project's import root .*src$"):
        project.import_name(root / "tools/run.py")


def test_without_marker_the_root_holds_the_topmost_package(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"shop/__init__.py": "", "shop/cart.py": ""})
    project = find_project(root / "shop/cart.py", environ=NO_ENV)
    assert (project.root, project.marker) == (root, RootMarker.PACKAGE)
    assert project.import_name(root / "shop/cart.py") == "shop.cart"


def test_a_lone_module_is_its_own_directory_project(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"calc.py": ""})
    project = find_project(root / "calc.py", environ=NO_ENV)
    assert (project.root, project.marker) == (root, RootMarker.DIRECTORY)
    assert project.import_name(root / "calc.py") == "calc"


def test_without_marker_or_package_a_git_repository_is_one_project(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"calc.py": "", "tests/test_calc.py": ""})
    (root / ".git").mkdir()
    for path in ("calc.py", "tests/test_calc.py"):
        project = find_project(root / path, environ=NO_ENV)
        assert (project.root, project.marker) == (root, RootMarker.GIT)
    assert project.import_name(root / "calc.py") == "calc"


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"nowhere\.py: no such file or directory"):
        find_project(tmp_path / "nowhere.py")


def test_broken_pyproject_names_the_file(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[tool\n", "mod.py": ""})
    with pytest.raises(ProjectError, match=r"pyproject\.toml: not valid TOML"):
        find_project(tmp_path / "mod.py", environ=NO_ENV)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pytest.ini", "[pytest]\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\naddopts = '-q'\n"),
        ("tox.ini", "[tox]\n[pytest]\naddopts = -q\n"),
        ("setup.cfg", "[metadata]\n[tool:pytest]\naddopts = -q\n"),
    ],
)
def test_pytest_configuration_is_found_in_each_file_pytest_reads(
    tmp_path: Path, name: str, text: str
) -> None:
    write_files(tmp_path, {name: text, "mod.py": ""})
    assert find_project(tmp_path, environ=NO_ENV).pytest_config == tmp_path / name


def test_files_without_a_pytest_section_are_not_the_configuration(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "[project]\n", "tox.ini": "[tox]\n", "mod.py": ""})
    assert find_project(tmp_path, environ=NO_ENV).pytest_config is None


def test_pytest_ini_wins_over_pyproject_as_in_pytest(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n", "pytest.ini": "[pytest]\n"}
    )
    assert find_project(tmp_path, environ=NO_ENV).pytest_config == tmp_path / "pytest.ini"


def test_tests_directory_and_the_conftests_above_it_are_found(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": "",
            "conftest.py": "",
            "tests/conftest.py": "",
            "tests/unit/conftest.py": "",
        },
    )
    project = find_project(tmp_path, environ=NO_ENV)
    assert project.tests_dir == tmp_path / "tests"
    assert project.conftests == (tmp_path / "conftest.py", tmp_path / "tests/conftest.py")


def test_a_test_directory_counts_when_there_is_no_tests_directory(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": "", "test/test_x.py": ""})
    assert find_project(tmp_path, environ=NO_ENV).tests_dir == tmp_path / "test"


def test_project_without_tests_directory_has_none(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": ""})
    project = find_project(tmp_path, environ=NO_ENV)
    assert (project.tests_dir, project.conftests) == (None, ())


def test_explicit_python_wins_over_every_other_rule(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": ""})
    fake_venv(tmp_path / ".venv")
    chosen = fake_venv(tmp_path / "elsewhere")
    project = find_project(tmp_path, python=chosen, environ={"VIRTUAL_ENV": str(tmp_path)})
    assert project.interpreter.path == chosen
    assert project.interpreter.rule is InterpreterRule.EXPLICIT


def test_explicit_python_may_name_the_environment_directory(tmp_path: Path) -> None:
    python = fake_venv(tmp_path / "env")
    project = find_project(tmp_path, python=tmp_path / "env", environ=NO_ENV)
    assert project.interpreter.path == python


def test_explicit_python_that_does_not_exist_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"--python .*nope: no Python interpreter there"):
        find_project(tmp_path, python=tmp_path / "nope", environ=NO_ENV)


def test_active_virtualenv_comes_before_the_project_venv(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": ""})
    fake_venv(tmp_path / ".venv")
    active = fake_venv(tmp_path / "active")
    project = find_project(tmp_path, environ={"VIRTUAL_ENV": str(tmp_path / "active")})
    assert (project.interpreter.path, project.interpreter.rule) == (
        active,
        InterpreterRule.VIRTUAL_ENV,
    )


@pytest.mark.parametrize("name", [".venv", "venv"])
def test_venv_in_the_project_root_is_used(tmp_path: Path, name: str) -> None:
    write_files(tmp_path, {"pyproject.toml": ""})
    python = fake_venv(tmp_path / name)
    project = find_project(tmp_path, environ=NO_ENV)
    assert (project.interpreter.path, project.interpreter.rule) == (
        python,
        InterpreterRule.PROJECT_VENV,
    )


def test_uv_project_environment_is_used(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": ""})
    python = fake_venv(tmp_path / "envs/uv")
    project = find_project(tmp_path, environ={"UV_PROJECT_ENVIRONMENT": "envs/uv"})
    assert (project.interpreter.path, project.interpreter.rule) == (python, InterpreterRule.UV)


def test_without_an_environment_atg_uses_its_own_interpreter(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": ""})
    project = find_project(tmp_path, environ={"VIRTUAL_ENV": str(tmp_path / "gone")})
    assert project.interpreter.path == Path(sys.executable)
    assert project.interpreter.rule is InterpreterRule.ATG


def test_interpreter_without_pytest_and_coverage_is_named_with_the_fix(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True
    )
    project = find_project(tmp_path, python=tmp_path / "bare", environ=NO_ENV)
    with pytest.raises(ProjectError) as raised:
        require_test_tools(project.interpreter)
    message = str(raised.value)
    assert message == (
        f"the project's interpreter {project.interpreter.path} lacks pytest and coverage: "
        "pip install coverage pytest in it"
    )
    assert os.linesep not in message


@pytest.mark.parametrize(
    "name", [".env", ".env.local", "server.pem", "tls.key", "id_rsa", "id_ed25519.pub", ".netrc",
             ".pypirc", "credentials", "credentials.json"],
)  # fmt: skip
def test_credential_files_are_secrets(name: str) -> None:
    assert is_secret(Path("project") / name)


@pytest.mark.parametrize("name", ["credentials.py", "keys.py", "envelope.py", "conftest.py"])
def test_ordinary_modules_are_not_secrets(name: str) -> None:
    assert not is_secret(Path(name))
