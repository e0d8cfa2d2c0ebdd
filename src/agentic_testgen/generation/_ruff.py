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
    cwd = root if root is not None else destination.parent
    name = ["--stdin-filename", str(destination.absolute())]

    def ruff_run(*args: str, text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # ruff from atg's own environment
            [ruff, *args, *settings, *name, "-"], input=text, capture_output=True, text=True,
            cwd=cwd, check=False, timeout=60,
        )  # fmt: skip

    fixed = ruff_run("check", "--fix", "--quiet", "--exit-zero", *select, text=code)
    if fixed.returncode != 0 or not fixed.stdout:
        return Formatted(code, skipped=f"ruff failed: {fixed.stderr.strip()[:200]}")
    formatted = ruff_run("format", "--quiet", text=fixed.stdout)
    result = formatted.stdout if formatted.returncode == 0 and formatted.stdout else fixed.stdout
    report = ruff_run("check", "--output-format", "json", "--exit-zero", *select, text=result)
    try:
        findings = tuple(
            f"{item['code']} {item['message']}" for item in json.loads(report.stdout or "[]")
        )
    except (json.JSONDecodeError, KeyError, TypeError):
        findings = ()
    return Formatted(result, findings, config)
