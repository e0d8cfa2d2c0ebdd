"""Which test framework runs a JavaScript test file: node:test, jest or vitest.

`choose_framework` decides, first rule that applies:

1. the framework asked for (`--framework`, `run.framework`, a dataset entry's `framework`),
   unless it is `auto`;
2. what the test file imports: `vitest` -> vitest; `@jest/globals` -> jest; `node:test` -> node;
3. the project the test file sits in: the nearest `package.json` above it that names `vitest` or
   `jest` among its dependencies, dev dependencies or its `test` script;
4. the file's own calls: `vi.fn()`, `vi.mock()`... -> vitest; `jest.fn()`, `jest.mock()`... or
   the globals `describe`/`it`/`test`/`expect` used without an import -> jest;
5. otherwise node:test.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Framework(StrEnum):
    """A JavaScript test framework atg runs."""

    NODE = "node"
    JEST = "jest"
    VITEST = "vitest"


FRAMEWORK_NAMES = ("auto", *(framework.value for framework in Framework))

# an import or require of a module name: `from 'x'`, `import 'x'`, `require('x')`, `import('x')`
_MODULE = r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]{name}['"]"""
_IMPORTS = (
    (Framework.VITEST, re.compile(_MODULE.format(name=r"vitest"))),
    (Framework.JEST, re.compile(_MODULE.format(name=r"@jest/globals"))),
    (Framework.NODE, re.compile(_MODULE.format(name=r"(?:node:)?test"))),
)
_VI_CALLS = re.compile(r"\bvi\s*\.\s*(?:fn|mock|spyOn|useFakeTimers|stubGlobal|hoisted)\s*\(")
_JEST_CALLS = re.compile(
    r"\bjest\s*\.\s*(?:fn|mock|spyOn|useFakeTimers|setTimeout|requireActual|resetModules)\s*\("
)
_GLOBALS = re.compile(r"(?<![\w.$])(?:describe|it|test|expect)\s*(?:\.\s*\w+\s*)?\(")
# how far up from the test file a project's package.json is looked for
_MAX_DEPTH = 8


@dataclass(frozen=True)
class FrameworkChoice:
    """The framework a test file runs with, and why (for the run's notes)."""

    framework: Framework
    reason: str


def choose_framework(
    test_code: str, tests_path: str | Path | None = None, requested: str | None = None
) -> FrameworkChoice:
    """The framework to run a test file with (see the module docstring for the rules).

    Raises:
        ValueError: `requested` is not one of `FRAMEWORK_NAMES`.
    """
    if requested is not None and requested != "auto":
        if requested not in Framework.__members__.values():
            raise ValueError(
                f"unknown JavaScript test framework {requested!r}; choose one of "
                f"{', '.join(FRAMEWORK_NAMES)}"
            )
        return FrameworkChoice(Framework(requested), "asked for")
    for framework, pattern in _IMPORTS:
        if pattern.search(test_code):
            return FrameworkChoice(framework, f"the test file imports {_module_of(framework)}")
    project = _project_framework(Path(tests_path)) if tests_path else None
    return project or _by_calls(test_code)


def _by_calls(test_code: str) -> FrameworkChoice:
    if _VI_CALLS.search(test_code):
        return FrameworkChoice(Framework.VITEST, "the test file calls vi.*")
    if _JEST_CALLS.search(test_code):
        return FrameworkChoice(Framework.JEST, "the test file calls jest.*")
    if _GLOBALS.search(test_code):
        return FrameworkChoice(Framework.JEST, "the test file uses jest's globals without imports")
    return FrameworkChoice(Framework.NODE, "node:test by default")


def _module_of(framework: Framework) -> str:
    return {Framework.VITEST: "vitest", Framework.JEST: "@jest/globals"}.get(framework, "node:test")


def _project_framework(tests_path: Path) -> FrameworkChoice | None:
    """The framework the nearest package.json above the test file names, if any."""
    folder = tests_path.absolute().parent
    for _ in range(_MAX_DEPTH):
        manifest = folder / "package.json"
        if manifest.is_file():
            return _named_in(manifest)
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent
    return None


def _named_in(manifest: Path) -> FrameworkChoice | None:
    try:
        package = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(package, dict):
        return None
    named: set[str] = set()
    for field in ("dependencies", "devDependencies"):
        deps = package.get(field)
        if isinstance(deps, dict):
            named.update(str(name) for name in deps)
    scripts = package.get("scripts")
    test_script = str(scripts.get("test", "")) if isinstance(scripts, dict) else ""
    for framework in (Framework.VITEST, Framework.JEST):
        if framework.value in named or re.search(rf"\b{framework.value}\b", test_script):
            return FrameworkChoice(framework, f"{manifest} names {framework.value}")
    return None
