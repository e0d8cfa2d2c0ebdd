"""Format a generated test file with ruff, under the project's own ruff settings when it has them.

ruff is a run-time dependency for this: a generated file is only worth committing if the
project's linter accepts it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentic_testgen.generation._finish import drop_overlong

# without project settings: pyflakes, pycodestyle, isort, pyupgrade, bugbear, simplify
DEFAULT_ARGS = ("--isolated", "--line-length", "100")
DEFAULT_SELECT = ("--select", "E,W,F,I,B,UP,SIM,PIE")


@dataclass(frozen=True)
class Formatted:
    """The file after `ruff check --fix` and `ruff format`, and what ruff still reports."""

    code: str
    findings: tuple[str, ...] = ()
    config: Path | None = None  # the project's ruff settings, when it has them
    skipped: str = ""  # why ruff did not run
    left_out: tuple[str, ...] = ()  # what was taken out for lines too long to format


def find_ruff() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # noqa: PLC0415

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")


def project_ruff_config(root: Path) -> Path | None:
    """`ruff.toml`, `.ruff.toml`, or a pyproject.toml with a `[tool.ruff]` table, at the root."""
    for name in ("ruff.toml", ".ruff.toml"):
        if (root / name).is_file():
            return root / name
    pyproject = root / "pyproject.toml"
    try:
        if "ruff" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}):
            return pyproject
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return None


def format_tests(code: str, destination: Path, root: Path | None) -> Formatted:
    """Run ruff's safe fixes and formatter over `code` as if it were `destination` (so the
    project's per-file settings for tests apply)."""
    ruff = find_ruff()
    if ruff is None:
        return Formatted(code, skipped="ruff is not installed: the file is not formatted")
    config = project_ruff_config(root) if root is not None else None
    settings = ["--config", str(config)] if config else [*DEFAULT_ARGS]
    select = [] if config else [*DEFAULT_SELECT]
    cwd = root if root is not None else Path.cwd()  # the tests directory may not exist yet
    name = ["--stdin-filename", str(destination.absolute())]

    def ruff_run(*args: str, text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # ruff from atg's own environment
            [ruff, *args, *settings, *name, "-"], input=text, capture_output=True, text=True,
            cwd=cwd, check=False, timeout=60,
        )  # fmt: skip

    def tidy(text: str) -> str | None:
        # Pynguin's `var_3 = lambda *args, **kwargs: 'x'` becomes a `def` (an unsafe fix in
        # general, as the function's __name__ changes; no generated test reads it)
        named = ruff_run("check", "--fix", "--unsafe-fixes", "--quiet", "--exit-zero",
                         "--select", "E731", text=text)  # fmt: skip
        text = named.stdout if named.returncode == 0 and named.stdout else text
        fixed = ruff_run("check", "--fix", "--quiet", "--exit-zero", *select, text=text)
        if fixed.returncode != 0 or not fixed.stdout:
            return None
        formatted = ruff_run("format", "--quiet", text=fixed.stdout)
        return formatted.stdout if formatted.returncode == 0 and formatted.stdout else fixed.stdout

    def report(text: str) -> list[dict[str, Any]]:
        checked = ruff_run("check", "--output-format", "json", "--exit-zero", *select, text=text)
        try:
            found = json.loads(checked.stdout or "[]")
        except json.JSONDecodeError:
            return []
        return found if isinstance(found, list) else []

    result = tidy(code)
    if result is None:
        return Formatted(code, skipped="ruff failed on the generated file")
    findings = report(result)
    # a long literal is beyond any formatter: the assertion (or test) holding it is left out
    long_rows = {f["location"]["row"] for f in findings if f.get("code") == "E501"}
    left_out: list[str] = []
    if long_rows:
        trimmed, left_out = drop_overlong(result, long_rows)
        # `var_4 = f(x)` whose only assertion went: the call stays, the name goes (ruff marks
        # that fix unsafe in general; here the name is known to be read nowhere else)
        unused = ruff_run("check", "--fix", "--unsafe-fixes", "--quiet", "--exit-zero",
                          "--select", "F841", text=trimmed)  # fmt: skip
        trimmed = unused.stdout if unused.returncode == 0 and unused.stdout else trimmed
        result = tidy(trimmed) or trimmed
        findings = report(result)
    return Formatted(
        result,
        tuple(f"{f.get('code')} {f.get('message')}" for f in findings),
        config,
        left_out=tuple(left_out),
    )
