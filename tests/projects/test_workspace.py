"""lay_out_workspace and ProjectSandbox on small projects: what is copied, run and mounted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agentic_testgen.projects import Project, ProjectSandbox, find_project, lay_out_workspace
from agentic_testgen.sandbox import Limits, ProcessSandbox
from tests.conftest import write_files


def test_src_layout_is_mirrored_without_secrets_or_caches(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "proj",
        {
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-q'\n",
            "src/pkg/__init__.py": "",
            "src/pkg/mod.py": "original\n",
            "src/pkg/_sibling.py": "",
            "src/pkg/data/table.json": "{}",
            "src/pkg/.env": "TOKEN=x\n",
            "src/pkg/server.pem": "key\n",
            "src/pkg/__pycache__/mod.cpython-311.pyc": "",
            "tests/conftest.py": "",
            "tests/helpers.py": "",
            "tests/credentials.json": "{}",
            "docs/secret-notes.md": "",
        },
    )
    project = find_project(root, environ={})
    laid = lay_out_workspace(
        project,
        tmp_path / "ws",
        module_parts=("pkg", "mod"),
        module_code="mutated\n",
        tests_name="test_mod.py",
        tests_code="def test_x():\n    pass\n",
    )
    ws = tmp_path / "ws"
    copied = sorted(str(p.relative_to(ws)) for p in ws.rglob("*") if p.is_file())
    assert copied == [
        "pyproject.toml",
        "src/pkg/__init__.py",
        "src/pkg/_sibling.py",
        "src/pkg/data/table.json",
        "src/pkg/mod.py",
        "tests/conftest.py",
        "tests/helpers.py",
        "tests/test_mod.py",
    ]
    assert laid.module_file.read_text() == "mutated\n"
    assert (laid.import_root, laid.ini_file) == (ws / "src", ws / "pyproject.toml")


def test_flat_layout_copies_packages_and_top_level_modules_only(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "proj",
        {
            "setup.py": "",
            "shop/__init__.py": "",
            "shop/cart.py": "",
            "helpers.py": "",
            "scripts/deploy.py": "",
            ".venv/lib/site.py": "",
        },
    )
    laid = lay_out_workspace(
        find_project(root, environ={}),
        tmp_path / "ws",
        module_parts=("shop", "cart"),
        module_code="",
        tests_name="test_cart.py",
        tests_code="",
    )
    ws = tmp_path / "ws"
    copied = sorted(str(p.relative_to(ws)) for p in ws.rglob("*") if p.is_file())
    assert copied == [
        "helpers.py",
        "pytest.ini",
        "setup.py",
        "shop/__init__.py",
        "shop/cart.py",
        "tests/test_cart.py",
    ]
    assert laid.ini_file.read_text() == "[pytest]\n"


def test_a_test_file_of_the_project_keeps_its_place_and_its_conftests(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "proj",
        {
            "pyproject.toml": "",
            "mod.py": "",
            "checks/conftest.py": "",
            "checks/deep/test_mod.py": "",
        },
    )
    laid = lay_out_workspace(
        find_project(root, environ={}),
        tmp_path / "ws",
        module_parts=("mod",),
        module_code="",
        tests_name="test_mod.py",
        tests_code="edited\n",
        tests_path=root / "checks/deep/test_mod.py",
    )
    assert laid.tests_file == tmp_path / "ws/checks/deep/test_mod.py"
    assert laid.tests_file.read_text() == "edited\n"
    assert (tmp_path / "ws/checks/conftest.py").is_file()


@pytest.fixture(scope="module")
def project_with_venv(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = write_files(
        tmp_path_factory.mktemp("venv-project"), {"pyproject.toml": "", "src/pkg/mod.py": ""}
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    return find_project(root, environ={})


def test_project_sandbox_runs_atgs_python_commands_with_the_projects_interpreter(
    project_with_venv: Project, tmp_path: Path
) -> None:
    sandbox = ProjectSandbox(ProcessSandbox(as_nobody=False), project_with_venv)
    completed = sandbox.execute(
        [sys.executable, "-c", "import sys; print(sys.prefix)"],
        tmp_path,
        Limits(wall_time_s=30),
        env={},
    )
    assert completed.stdout.strip() == str(project_with_venv.root / ".venv")


def test_project_sandbox_mounts_the_venv_but_nothing_else_of_the_project(
    project_with_venv: Project,
) -> None:
    root = project_with_venv.root
    sandbox = ProjectSandbox(ProcessSandbox(as_nobody=False), project_with_venv)
    visible = sandbox._visible([root / "src", root.parent, Path("/opt/tools")])
    assert Path("/opt/tools") in visible
    assert root / ".venv" in visible
    inside = [path for path in visible if path == root or root in path.parents]
    assert all(path == root / ".venv" or root / ".venv" in path.parents for path in inside)
    assert root.parent not in visible
