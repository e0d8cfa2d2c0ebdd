"""Pynguin: search-based test generation, run as a tool process from its own environment.

Pynguin pins its own pytest, so it lives in a separate virtual environment: the one the
`pynguin` setting or `ATG_PYNGUIN` names (an executable or an environment), else the one
`atg setup pynguin` makes in the user's cache directory, else a `pynguin` on the PATH. It runs
inside the sandbox with its environment bound read-only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from agentic_testgen.generation._types import Candidate, GenerationError, Plan
from agentic_testgen.generation.coders import PYNGUIN_VERSION
from agentic_testgen.generation.coders._protocol import (
    CoderContext,
    lay_out_for_tool,
    tool_failure,
)
from agentic_testgen.sandbox import Limits

SEARCH_SECONDS = 20
MIN_SEARCH_SECONDS = 3  # small modules are covered in the first second or two of search
# Assertions on every value the tests observed, not Pynguin's own mutation analysis: that ran
# each test against each mutant of the module, took 5-10 s a run (a mutant looping until
# Pynguin's 5 s test timeout, say) for a few kept assertions, and the critic measures the mutants
# each test kills anyway, with atg's faster mutation testing. A test looping past a second is
# no unit test to keep.
ASSERTIONS = ("--assertion-generation", "SIMPLE", "--maximum-test-execution-timeout", "1")
HOW_TO_INSTALL = "run `atg setup pynguin` (it makes Pynguin's own environment in your cache)"
_STAMP = ".installed"


def pynguin_home() -> Path:
    """Where `atg setup pynguin` puts Pynguin's environment: `$XDG_CACHE_HOME/atg/pynguin-<v>`,
    else `~/.cache/atg/pynguin-<v>`."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "atg" / f"pynguin-{PYNGUIN_VERSION}"


def locate_pynguin(configured: str | Path | None = None) -> Path:
    """The `pynguin` executable to run.

    Looked for in order: `configured` (the `pynguin` setting), else `ATG_PYNGUIN`, each the path
    of an executable or of an environment holding `bin/pynguin`; else the environment
    `atg setup pynguin` made; else `pynguin` on the PATH.

    Raises:
        GenerationError: none of them is there; the message says how to get it.
    """
    named = configured or os.environ.get("ATG_PYNGUIN")
    if named:
        path = Path(named).expanduser()
        executable = path / "bin" / "pynguin" if path.is_dir() else path
        if executable.is_file():
            return executable.absolute()
        source = "the pynguin setting" if configured else "ATG_PYNGUIN"
        raise GenerationError(
            f"{source} names {path}, which is neither a pynguin executable nor an environment "
            f"with bin/pynguin: point it at one, or unset it and {HOW_TO_INSTALL}"
        )
    home = pynguin_home()
    if (home / _STAMP).is_file() and (home / "bin" / "pynguin").is_file():
        return home / "bin" / "pynguin"
    found = shutil.which("pynguin")
    if found:
        return Path(found)
    raise GenerationError(f"Pynguin is not installed: {HOW_TO_INSTALL}, or set ATG_PYNGUIN")


def find_pynguin(configured: str | Path | None = None) -> Path | None:
    """`locate_pynguin`, or None when Pynguin is not there."""
    try:
        return locate_pynguin(configured)
    except GenerationError:
        return None


def install_pynguin(
    home: Path | None = None, *, say: Callable[[str], None] = print, force: bool = False
) -> Path:
    """Make Pynguin's own environment (with this interpreter's `venv`) and pip-install Pynguin
    into it; return its `pynguin`. Nothing is done when it is there already (unless `force`).

    Raises:
        GenerationError: the environment or the install failed; the message has pip's reason.
    """
    home = home or pynguin_home()
    executable = home / "bin" / "pynguin"
    if not force and (home / _STAMP).is_file() and executable.is_file():
        say(f"Pynguin {PYNGUIN_VERSION} is already set up in {home}")
        return executable
    say(f"creating an environment for Pynguin in {home}")
    home.parent.mkdir(parents=True, exist_ok=True)
    (home / _STAMP).unlink(missing_ok=True)  # an interrupted install is redone, not trusted
    _run([sys.executable, "-m", "venv", "--clear", str(home)], "creating the environment")
    say(f"installing pynguin=={PYNGUIN_VERSION} with pip (a minute or two)")
    _run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", f"pynguin=={PYNGUIN_VERSION}"],
        "pip install",
    )  # fmt: skip
    if not executable.is_file():
        raise GenerationError(f"pip installed Pynguin but {executable} is missing")
    (home / _STAMP).write_text(f"pynguin=={PYNGUIN_VERSION}\n", encoding="utf-8")
    say(f"Pynguin {PYNGUIN_VERSION} ready: {executable}")
    return executable


def _run(cmd: list[str], what: str) -> None:
    completed = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        reason = next((line for line in lines if line.startswith("ERROR")), last).strip()
        raise GenerationError(f"{what} failed (exit status {completed.returncode}): {reason}")


class PynguinCoder:
    """Whole-module search within a time budget (longer in later rounds)."""

    def __init__(
        self, executable: Path | None = None, seed: int = 0, configured: str | None = None
    ) -> None:
        self.seed = seed  # Pynguin's search is random: a fixed seed makes runs repeatable
        self.executable = executable or locate_pynguin(configured)

    @property
    def name(self) -> str:
        return "pynguin"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        source = context.source
        # the rest of its share goes to its start-up and module analysis (2-5 s), its assertions
        # and the writing of the file
        search = min(SEARCH_SECONDS * (context.iteration + 1),
                     max(MIN_SEARCH_SECONDS, int(context.seconds * 0.45)))  # fmt: skip
        workspace = Path(tempfile.mkdtemp(prefix="atg-pynguin-"))
        try:
            (workspace / "out").mkdir()
            layout = lay_out_for_tool(workspace, source)
            executable = self.executable.resolve()  # a link's target is what the sandbox binds
            venv = executable.parent.parent
            python = venv / "bin" / "python"
            completed = context.sandbox.execute(
                [str(python), str(executable), "--project-path", str(layout.import_root),
                 "--module-name", source.qualified_name, "--output-path", str(workspace / "out"),
                 "--maximum-search-time", str(search), *ASSERTIONS, "--seed", str(self.seed)],
                workspace,
                # the search stops at `search`, but Pynguin's own test executions can overrun it
                # on slow code: the coder's time budget (plus start-up) is the hard limit
                Limits(wall_time_s=context.seconds + 30),
                env={
                    "PYNGUIN_DANGER_AWARE": "1",
                    "PYTHONDONTWRITEBYTECODE": "1",
                    **({"PYTHONPATH": str(layout.site)} if layout.site else {}),
                },
                readonly_paths=[
                    venv, Path(os.path.realpath(python)).parent.parent, *layout.readonly
                ],
            )  # fmt: skip
            written = sorted((workspace / "out").glob("test_*.py"))
            code = written[0].read_text() if written else ""
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        failure = tool_failure(completed)
        if not code and not failure:
            failure = "wrote no test file"
        return Candidate(coder=self.name, code=code, failure=failure)
