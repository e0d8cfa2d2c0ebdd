"""The virtual environment an imported project's tests run with: the project, its test
dependencies where it declares them, and the pytest and coverage.py atg itself runs with.

The environment is made with atg's own interpreter (`python -m venv`) and filled by its own pip.
Test dependencies are what the project declares for its tests: the extras `test`, `tests` or
`testing`, the dependency groups of those names (pyproject.toml), and the usual requirement files
(`requirements-test.txt`, `test-requirements.txt`, `requirements/test.txt`, ...).
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentic_testgen.datasets._fetch import PIP_TIMEOUT_S, pip_reason
from agentic_testgen.errors import DatasetImportError

TEST_NAMES = ("test", "tests", "testing")
REQUIREMENT_FILES = (
    "requirements-test.txt",
    "requirements-tests.txt",
    "requirements_test.txt",
    "test-requirements.txt",
    "test_requirements.txt",
    "requirements/test.txt",
    "requirements/tests.txt",
    "requirements/testing.txt",
)
_ATG_TOOLS = ("pytest", "coverage")
TEST_TOOL_REQUIREMENTS = ("pytest>=8.0", "coverage>=7.5")


@dataclass(frozen=True)
class Installed:
    """What went into an imported project's environment.

    Attributes:
        python: the environment's interpreter.
        distribution: `name==version` of the project as pip installed it.
        extras: the project's extras installed with it (its test extras and those asked for).
        requirement_files: requirement files of the project installed (relative to its root).
        groups: dependency groups installed.
    """

    python: Path
    distribution: str
    extras: tuple[str, ...] = ()
    requirement_files: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _run(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DatasetImportError(f"{what} failed: {error}") from None
    if done.returncode != 0:
        raise DatasetImportError(f"{what} failed: {pip_reason(done.stderr, done.stdout)}")
    return done


def create_environment(base_python: Path, environment: Path) -> Path:
    """Make a virtual environment with `base_python`; return its interpreter.

    Raises:
        DatasetImportError: `venv` failed (its reason in the message).
    """
    _run([str(base_python), "-m", "venv", str(environment)], "creating the virtual environment")
    return environment / "bin" / "python"


def atg_test_tools() -> list[str]:
    """pytest and coverage.py, within the ranges atg itself requires (pyproject.toml): its
    runner's plugin needs pytest 8, its coverage evidence coverage.py 7.5."""
    return list(TEST_TOOL_REQUIREMENTS)


def _pip_install(python: Path, requirements: list[str], report: Path | None = None) -> None:
    command = [
        str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
        "--quiet", *requirements,
    ]  # fmt: skip
    if report is not None:
        command += ["--report", str(report)]
    _run(command, "pip install")


def _installed_project(report: Path) -> tuple[str, str, tuple[str, ...]]:
    """(name, version, extras it provides) of the project in pip's installation report."""
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    tools = {_normalized(name) for name in _ATG_TOOLS}
    for item in data.get("install", []):
        metadata = item.get("metadata", {})
        if item.get("requested") and _normalized(metadata.get("name", "")) not in tools:
            extras = tuple(str(extra) for extra in metadata.get("provides_extra") or ())
            return str(metadata["name"]), str(metadata["version"]), extras
    raise DatasetImportError("pip install: the project itself is not in pip's report")


def _dependency_groups(pyproject: dict[str, Any]) -> dict[str, list[str]]:
    """PEP 735 dependency groups, includes expanded."""
    groups = pyproject.get("dependency-groups")
    if not isinstance(groups, dict):
        return {}

    def expand(name: str, seen: frozenset[str]) -> list[str]:
        found: list[str] = []
        for item in groups.get(name, []) if name not in seen else []:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                found += expand(item["include-group"], seen | {name})
        return found

    return {str(name): expand(str(name), frozenset()) for name in groups}


def _read_pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}  # pip reports a broken pyproject.toml itself


def install_project(
    python: Path, target: str, root: Path, scratch: Path, *, extras: tuple[str, ...] = ()
) -> Installed:
    """Install the project (`target`: an sdist file or a copy of the checkout) with its test
    dependencies, and atg's pytest and coverage.py, into the environment of `python`.

    Args:
        python: the environment's interpreter.
        target: what pip installs the project from.
        root: the project's files (where its requirement files and pyproject.toml are read).
        scratch: a folder for pip's report.
        extras: more extras of the project to install (its test extras always are).

    Raises:
        DatasetImportError: pip failed (its reason in the message), or the project declares
            no extra of a name in `extras`.
    """
    report = scratch / "pip-report.json"
    _pip_install(python, [target, *atg_test_tools()], report)
    name, version, provided = _installed_project(report)
    declared = {_normalized(extra): extra for extra in provided}
    unknown = [extra for extra in extras if _normalized(extra) not in declared]
    if unknown:
        listed = ", ".join(sorted(provided)) or "none"
        raise DatasetImportError(
            f"--extra {unknown[0]}: {name} declares no such extra (its extras: {listed})"
        )
    wanted = {_normalized(extra) for extra in extras} | set(TEST_NAMES)
    extras = tuple(extra for extra in provided if _normalized(extra) in wanted)
    files = tuple(name for name in REQUIREMENT_FILES if (root / name).is_file())
    groups = {
        group: requirements
        for group, requirements in _dependency_groups(_read_pyproject(root)).items()
        if _normalized(group) in TEST_NAMES
    }
    more: list[str] = []
    if extras:
        location = Path(target).absolute().as_uri()
        more.append(f"{name}[{','.join(extras)}] @ {location}")
    for file in files:
        more += ["-r", str(root / file)]
    for requirements in groups.values():
        more += requirements
    if more:
        _pip_install(python, [*more, *atg_test_tools()])
    return Installed(
        python=python,
        distribution=f"{name}=={version}",
        extras=extras,
        requirement_files=files,
        groups=tuple(groups),
    )
