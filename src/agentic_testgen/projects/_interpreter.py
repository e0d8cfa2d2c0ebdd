"""Choose the interpreter a project's tests run with, and check it can run them.

Rules, first match wins: `--python PATH` (an interpreter or a virtual environment), an active
virtual environment (`VIRTUAL_ENV`), `.venv` or `venv` in the project root, uv's
`UV_PROJECT_ENVIRONMENT`, Poetry's environment (`poetry env info -p`, only when the project uses
Poetry and `poetry` is installed), Hatch's (`hatch env find`, likewise), else atg's own
interpreter. No rule runs a network command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from agentic_testgen.projects._model import Interpreter, InterpreterRule, ProjectError

TEST_TOOLS = ("pytest", "coverage")
_TOOL_TIMEOUT_S = 30.0
_PROBE = (
    "import importlib.util, json; "
    f"print(json.dumps([m for m in {TEST_TOOLS!r} if importlib.util.find_spec(m) is None]))"
)


def _python_in(environment: Path) -> Path:
    return environment / "bin" / "python"


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _explicit(python: Path | str) -> Interpreter:
    given = Path(python).absolute()
    candidate = _python_in(given) if given.is_dir() else given
    if not _usable(candidate):
        raise ProjectError(
            f"--python {python}: no Python interpreter there (give bin/python or a venv directory)"
        )
    return Interpreter(candidate, InterpreterRule.EXPLICIT)


@cache
def _tool_environment(tool: str, args: tuple[str, ...], root: Path) -> Path | None:
    """The environment directory a project tool prints, or None when it cannot tell."""
    executable = shutil.which(tool)
    if executable is None:
        return None
    try:
        completed = subprocess.run(
            [executable, *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=_TOOL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return None
    return Path(lines[-1].strip())


def choose_interpreter(
    root: Path,
    pyproject: dict[str, Any],
    *,
    python: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Interpreter:
    """The interpreter for the project at `root` (see the module docstring for the rules)."""
    if python is not None:
        return _explicit(python)
    environ = os.environ if environ is None else environ
    candidates: list[tuple[Path, InterpreterRule]] = []
    if environ.get("VIRTUAL_ENV"):
        candidates.append((Path(environ["VIRTUAL_ENV"]), InterpreterRule.VIRTUAL_ENV))
    candidates += [(root / name, InterpreterRule.PROJECT_VENV) for name in (".venv", "venv")]
    if environ.get("UV_PROJECT_ENVIRONMENT"):
        candidates.append((root / environ["UV_PROJECT_ENVIRONMENT"], InterpreterRule.UV))
    for environment, rule in candidates:
        if _usable(_python_in(environment)):
            return Interpreter(_python_in(environment).absolute(), rule)
    tool = pyproject.get("tool", {})
    for name, args, rule in (
        ("poetry", ("env", "info", "-p"), InterpreterRule.POETRY),
        ("hatch", ("env", "find"), InterpreterRule.HATCH),
    ):
        if name in tool:
            found = _tool_environment(name, args, root)
            if found is not None and _usable(_python_in(found)):
                return Interpreter(_python_in(found), rule)
    return Interpreter(Path(sys.executable), InterpreterRule.ATG)


@cache
def _missing_tools(python: Path) -> tuple[str, ...]:
    try:
        completed = subprocess.run(
            [str(python), "-I", "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=_TOOL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ProjectError(f"the project's interpreter {python} does not run: {error}") from None
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-1:] or [f"exit {completed.returncode}"]
        raise ProjectError(f"the project's interpreter {python} does not run: {tail[0]}")
    return tuple(json.loads(completed.stdout))


def require_test_tools(interpreter: Interpreter) -> None:
    """Check the interpreter can import pytest and coverage, which the test runner needs.

    Raises:
        ProjectError: it cannot run, or lacks one of them (the message says what to install).
    """
    if interpreter.rule is InterpreterRule.ATG:
        return  # atg depends on both
    missing = _missing_tools(interpreter.path)
    if missing:
        raise ProjectError(
            f"the project's interpreter {interpreter.path} lacks {' and '.join(missing)}: "
            f"pip install {' '.join(sorted(TEST_TOOLS))} in it"
        )
