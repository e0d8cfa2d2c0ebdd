"""The Node.js tools a JavaScript run needs: node itself, and c8's coverage libraries from npm.

`package.json` and its lock file in `tools/` pin c8 and the libraries c8 reports with
(`v8-to-istanbul`, `@bcoe/v8-coverage`, `istanbul-lib-coverage`). `atg setup javascript`
installs exactly that lock with `npm ci` into `node-tools-<hash of the lock>` in atg's tool cache
(`agentic_testgen.languages._tools.tool_home`), once; a run only reads that folder and never
reaches a registry. A changed lock names a new folder, so an old install is never used by
mistake.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

from agentic_testgen.languages._tools import ToolsMissingError, tool_home

TOOLS_DIR = Path(__file__).with_name("tools")
HOW_TO_SET_UP = "run: atg setup javascript"
# what a run imports from the tool home (c8 itself is there for comparisons and users)
PACKAGES = (
    "c8", "v8-to-istanbul", "@bcoe/v8-coverage", "istanbul-lib-coverage",
    # the mutation-testing-report-schema JSON schema and the viewer that reads such reports
    "mutation-testing-report-schema", "mutation-testing-elements",
    # the test frameworks besides node:test, and what atg's runs load from them
    "jest", "jest-environment-node", "babel-jest", "vitest", "@vitest/coverage-v8",
)  # fmt: skip
_STAMP = ".atg-installed"
_NPM_CI = ("ci", "--ignore-scripts", "--no-audit", "--no-fund")


def lock_hash() -> str:
    """A short hash of the pinned lock file: the name of the install it describes."""
    return hashlib.sha256((TOOLS_DIR / "package-lock.json").read_bytes()).hexdigest()[:12]


def node_tools_home() -> Path:
    """Where `atg setup javascript` installs the tools: `<atg cache>/node-tools-<hash>`."""
    return tool_home(f"node-tools-{lock_hash()}")


def _installed(home: Path) -> bool:
    stamp = home / _STAMP
    return (
        stamp.is_file()
        and stamp.read_text(encoding="utf-8").strip() == lock_hash()
        and all((home / "node_modules" / name / "package.json").is_file() for name in PACKAGES)
    )


def require_node_tools(home: Path | None = None) -> Path:
    """The tool home of an install made by `install_node_tools`.

    Raises:
        ToolsMissingError: the tools are not set up; the message says how to set them up.
    """
    home = home or node_tools_home()
    if not _installed(home):
        raise ToolsMissingError(
            f"the JavaScript coverage tools (c8, v8-to-istanbul) are not set up in {home}: "
            f"{HOW_TO_SET_UP}"
        )
    return home


# node:test's TestContext.fullName, --test-force-exit and ES module syntax detection
MINIMUM_NODE = (20, 19)


def find_node() -> Path:
    """The `node` executable (the system's, normally /usr/bin/node), 20.19 or later.

    Raises:
        ToolsMissingError: there is no `node` on the PATH, or it is too old.
    """
    found = shutil.which("node") or shutil.which("node", path="/usr/local/bin:/usr/bin:/bin")
    if found is None:
        raise ToolsMissingError(
            "node is not installed: install Node.js 20.19 or later (Debian: apt-get install "
            f"nodejs npm), then {HOW_TO_SET_UP}"
        )
    node = Path(found).resolve()
    version = node_version(node)
    if version[:2] < MINIMUM_NODE:
        shown = ".".join(map(str, version)) or "unknown"
        raise ToolsMissingError(f"{node} is Node.js {shown}: atg needs Node.js 20.19 or later")
    return node


@cache
def node_version(node: Path) -> tuple[int, ...]:
    """The version of a `node` executable, e.g. (20, 20, 2); () when it does not say."""
    try:
        completed = subprocess.run(
            [str(node), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return ()
    try:
        return tuple(int(part) for part in completed.stdout.strip().lstrip("v").split("."))
    except ValueError:
        return ()


def install_node_tools(
    home: Path | None = None, *, say: Callable[[str], None] = print, force: bool = False
) -> Path:
    """Install the pinned tools with `npm ci` into `home` (by default `node_tools_home()`) and
    return it. Nothing is done when they are there already (unless `force`).

    The install is made in a folder beside `home` and renamed into place when it is complete, so
    an interrupted or concurrent install never leaves a half-made home behind.

    Raises:
        ToolsMissingError: npm is missing, or `npm ci` failed (the message has npm's reason).
    """
    home = (home or node_tools_home()).expanduser().absolute()
    if not force and _installed(home):
        say(f"the JavaScript tools are already set up in {home}")
        return home
    npm = shutil.which("npm")
    if npm is None:
        raise ToolsMissingError(
            "npm is not installed: install Node.js 20 or later with npm (Debian: apt-get install "
            "nodejs npm)"
        )
    home.parent.mkdir(parents=True, exist_ok=True)
    building = home.with_name(f"{home.name}.partial-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(TOOLS_DIR / name, building / name)
        say(f"installing c8 and v8-to-istanbul with npm ci into {home}")
        env = {key: value for key, value in os.environ.items() if key != "NODE_OPTIONS"}
        completed = subprocess.run(
            [npm, *_NPM_CI], cwd=building, capture_output=True, text=True, env=env, check=False
        )
        if completed.returncode != 0:
            raise ToolsMissingError(
                f"npm ci failed (exit status {completed.returncode}): {_npm_reason(completed)}"
            )
        (building / _STAMP).write_text(lock_hash() + "\n", encoding="utf-8")
        if not _installed(building):
            raise ToolsMissingError(f"npm ci finished but {building} lacks {', '.join(PACKAGES)}")
        if force or not _installed(home):
            shutil.rmtree(home, ignore_errors=True)
            building.rename(home)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    say(f"JavaScript tools ready: {home}")
    return home


def _npm_reason(completed: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in completed.stderr.splitlines() if line.strip()]
    errors = [line.removeprefix("npm error").strip() for line in lines if "ERR" in line.upper()]
    return "; ".join(errors[:3]) or (lines[-1] if lines else "no message")
