"""Real node, c8 and bubblewrap; the tools are installed once a session if the cache lacks them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from agentic_testgen.domain import (
    GeneratedTests,
    Language,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.javascript import JavaScriptAdapter, install_node_tools
from agentic_testgen.sandbox import Limits, Sandbox, get_sandbox


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """The tool home `atg setup javascript` makes (installed now when the cache lacks it)."""
    return install_node_tools(say=lambda _: None)


RunJs = Callable[..., RunOutcome]


@pytest.fixture(scope="session")
def sandbox() -> Sandbox:
    """The real bubblewrap sandbox (no fallback: a machine without it fails these tests)."""
    return get_sandbox("bwrap")


def js_source(code: str, name: str = "calc.js") -> SourceUnit:
    return SourceUnit(
        path=name,
        code=textwrap.dedent(code).lstrip("\n"),
        module_name=Path(name).stem,
        language=Language.JAVASCRIPT,
    )


def js_tests(code: str, name: str = "test_calc.js") -> GeneratedTests:
    return GeneratedTests(code=textwrap.dedent(code).lstrip("\n"), filename=name)


@pytest.fixture
def run_js(node_tools: Path, sandbox: Sandbox) -> RunJs:
    """Run a module and its tests (dedented) through the adapter in the real sandbox."""

    def run(
        module_code: str,
        tests_code: str,
        *,
        module: str = "calc.js",
        tests: str = "test_calc.js",
        reruns: int = 0,
        timeout: float = 3.0,
        parallel: int = 2,
        limits: Limits | None = None,
        using: Sandbox | None = None,
        framework: str | None = None,
        mutation: bool = False,
    ) -> RunOutcome:
        options = RunOptions(
            reruns=reruns,
            parallel=parallel,
            test_timeout_s=timeout,
            limits=limits or Limits(),
            mutation=mutation,
            framework=framework,
        )
        return JavaScriptAdapter().run(
            js_source(module_code, module), js_tests(tests_code, tests), using or sandbox, options
        )

    return run


def outcomes(outcome: RunOutcome) -> dict[str, TestOutcome]:
    """Each test's verdict by its name (the node id without the file)."""
    return {test.nodeid.split("::", 1)[1]: test.outcome for test in outcome.tests}


def result(outcome: RunOutcome, name: str) -> TestResult:
    return next(test for test in outcome.tests if test.nodeid.split("::", 1)[1] == name)
