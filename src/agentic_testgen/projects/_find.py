"""Find the project a path belongs to: root, layout, import root, pytest set-up, interpreter.

The root is the nearest ancestor with pyproject.toml, setup.cfg or setup.py; without one, the
directory holding the topmost package above the file (the directory `import pkg.mod` works from);
without a package, the top of the git repository it is in (so `tests/test_x.py` and `x.py` are
one project); else the file's own directory. The layout is `src` when `root/src` holds Python
code, else `flat`. pytest's configuration is looked up the way pytest does, from the tests
directory up to the root.
"""

from __future__ import annotations

import configparser
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agentic_testgen.projects._interpreter import choose_interpreter
from agentic_testgen.projects._model import Layout, Project, ProjectError, RootMarker

_MARKERS = (RootMarker.PYPROJECT, RootMarker.SETUP_CFG, RootMarker.SETUP_PY)
_TESTS_DIRS = ("tests", "test")


def find_project(
    path: Path | str,
    *,
    python: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Project:
    """The project that `path` (a module file, or any path inside the project) belongs to.

    Args:
        path: a file or directory inside the project.
        python: an interpreter (or a virtual environment directory) chosen by the user.
        environ: the environment to read `VIRTUAL_ENV` and `UV_PROJECT_ENVIRONMENT` from
            (default: this process's).

    Raises:
        ProjectError: the path does not exist, the interpreter does not, or pyproject.toml does
            not parse.
    """
    given = Path(path)
    if not given.exists():
        raise ProjectError(f"{given}: no such file or directory")
    start = given.resolve()
    directory = start if start.is_dir() else start.parent
    root, marker = _root(directory)
    pyproject = _pyproject(root)
    layout = Layout.SRC if _has_python(root / "src") else Layout.FLAT
    tests_dir = next((root / name for name in _TESTS_DIRS if (root / name).is_dir()), None)
    return Project(
        root=root,
        marker=marker,
        layout=layout,
        import_root=root / "src" if layout is Layout.SRC else root,
        interpreter=choose_interpreter(root, pyproject, python=python, environ=environ),
        pytest_config=_pytest_config(tests_dir or root, root),
        conftests=_conftests(root, tests_dir),
        tests_dir=tests_dir,
        namespace_packages=_namespace_packages(pyproject),
    )


def _root(directory: Path) -> tuple[Path, RootMarker]:
    for candidate in (directory, *directory.parents):
        for marker in _MARKERS:
            if (candidate / marker.value).is_file():
                return candidate, marker
    top = directory
    while (top / "__init__.py").is_file() and top.name.isidentifier():
        top = top.parent
    if top != directory:
        return top, RootMarker.PACKAGE
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate, RootMarker.GIT
    return directory, RootMarker.DIRECTORY


def _has_python(directory: Path) -> bool:
    return directory.is_dir() and next(directory.rglob("*.py"), None) is not None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProjectError(f"{path}: not valid TOML: {error}") from None


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    return _read_toml(path) if path.is_file() else {}


def _table(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        value = data.get(key)
        if not isinstance(value, dict):
            return {}
        data = value
    return data


def _namespace_packages(pyproject: dict[str, Any]) -> tuple[str, ...]:
    """Top-level package names the build configuration lists (setuptools or hatch)."""
    names: list[str] = []
    setuptools = _table(pyproject, "tool", "setuptools")
    listed = setuptools.get("packages")
    if isinstance(listed, list):
        names += [str(name) for name in listed]
    elif isinstance(listed, dict):
        include = _table(listed, "find").get("include", [])
        names += [str(pattern).rstrip("*") for pattern in include if isinstance(pattern, str)]
    wheel = _table(pyproject, "tool", "hatch", "build", "targets", "wheel")
    for entry in wheel.get("packages", []):
        parts = [part for part in str(entry).split("/") if part and part != "src"]
        names += parts[:1]
    tops = {name.split(".")[0] for name in names}
    return tuple(sorted(name for name in tops if name.isidentifier()))


def _pytest_config(start: Path, root: Path) -> Path | None:
    """The file pytest would read: per directory pytest.ini, .pytest.ini, pyproject.toml (with a
    [tool.pytest...] table), tox.ini ([pytest]), setup.cfg ([tool:pytest])."""
    for directory in (start, *start.parents):
        for name, has_section in (
            ("pytest.ini", None),
            (".pytest.ini", None),
            ("pyproject.toml", _pyproject_has_pytest),
            ("tox.ini", lambda path: _ini_has_section(path, "pytest")),
            ("setup.cfg", lambda path: _ini_has_section(path, "tool:pytest")),
        ):
            candidate = directory / name
            if candidate.is_file() and (has_section is None or has_section(candidate)):
                return candidate
        if directory == root:
            return None
    return None


def _pyproject_has_pytest(path: Path) -> bool:
    return "pytest" in _table(_read_toml(path), "tool")


def _ini_has_section(path: Path, section: str) -> bool:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return False
    return parser.has_section(section)


def _conftests(root: Path, tests_dir: Path | None) -> tuple[Path, ...]:
    directories = [root]
    if tests_dir is not None:
        directories += [
            root.joinpath(*tests_dir.relative_to(root).parts[:depth])
            for depth in range(1, len(tests_dir.relative_to(root).parts) + 1)
        ]
    return tuple(d / "conftest.py" for d in directories if (d / "conftest.py").is_file())
