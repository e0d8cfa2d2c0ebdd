"""Java tests run a real JDK, JUnit and JaCoCo in the real sandbox: the tools are set up once."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from agentic_testgen.domain import GeneratedTests, RunOutcome, SourceUnit
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.java import JavaAdapter, install_java_tools
from agentic_testgen.languages.java._tools import TEMPLATE_POM
from agentic_testgen.sandbox import Sandbox, get_sandbox

RunJava = Callable[..., RunOutcome]


@pytest.fixture(scope="session")
def java_home() -> Path:
    """atg's Java tools in the user's cache, fetched and compiled when they are not there."""
    return install_java_tools(say=lambda _: None)


@pytest.fixture(scope="session")
def bwrap() -> Sandbox:
    return get_sandbox("bwrap")


@pytest.fixture
def run_java(java_home: Path, bwrap: Sandbox, tmp_path: Path) -> RunJava:
    """Write a class and its test file under tmp_path, run them in bubblewrap, return the
    outcome (the run's JaCoCo data and class files are kept in tmp_path / "evidence"); without
    `options`, no mutation testing."""

    def run(
        module: str,
        tests: str,
        *,
        module_file: str = "Clamp.java",
        test_file: str = "ClampTest.java",
        options: RunOptions | None = None,
        package: tuple[str, ...] | None = None,
        sandbox: Sandbox | None = None,
    ) -> RunOutcome:
        adapter = JavaAdapter(tools_home=java_home, evidence_dir=tmp_path / "evidence")
        path = tmp_path / module_file
        path.write_text(textwrap.dedent(module).lstrip("\n"), encoding="utf-8")
        source = adapter.read_source(path)
        if package is not None:  # dataset entries arrive without it
            source = SourceUnit(
                path=source.path, code=source.code, module_name=source.module_name,
                package=package, language=source.language,
            )  # fmt: skip
        code = textwrap.dedent(tests).lstrip("\n")
        return adapter.run(
            source,
            GeneratedTests(code=code, filename=test_file),
            sandbox or bwrap,
            options or RunOptions(reruns=0, test_timeout_s=5.0, mutation=False),
        )

    return run


@pytest.fixture
def maven_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a Maven project (atg's template POM, whose plugins `atg setup java` fetched) under
    tmp_path / "project": `files` maps paths below it to their (dedented) text."""

    def write(files: dict[str, str], *, pom: str | None = None) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        (root / "pom.xml").write_text(pom or TEMPLATE_POM.read_text(encoding="utf-8"))
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return write
