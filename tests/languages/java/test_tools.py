"""`install_java_tools` fetches JUnit and JaCoCo once; a run without them says how to get them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentic_testgen.domain import GeneratedTests, Language, SourceUnit
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages._tools import ToolsMissingError
from agentic_testgen.languages.java import JavaAdapter, install_java_tools, java_tools
from agentic_testgen.sandbox import get_sandbox


def test_set_up_from_an_empty_cache_then_a_second_call_does_nothing(tmp_path: Path) -> None:
    home = tmp_path / "java-tools"
    said: list[str] = []
    assert install_java_tools(home, say=said.append) == home
    for name in ("junit-platform-console-standalone.jar", "jacocoagent.jar", "jacococli.jar"):
        assert (home / "lib" / name).stat().st_size > 100_000
    assert (home / "atg-harness.jar").is_file()
    assert sorted(path.name for path in (home / "cds").iterdir()) == ["compile.jsa", "run.jsa"]
    stamp = json.loads((home / "installed.json").read_text())
    assert stamp["junit_platform"] == "1.14.1"
    assert stamp["jacoco"] == "0.8.15"
    assert any("Maven Central" in line for line in said)
    assert java_tools(home).home == home

    again: list[str] = []
    install_java_tools(home, say=again.append)
    assert again == [f"the Java tools are already set up in {home}"]


def test_a_run_without_the_tools_names_the_set_up_command(tmp_path: Path) -> None:
    adapter = JavaAdapter(tools_home=tmp_path / "nothing-here")
    source = SourceUnit(path="A.java", code="class A {}", module_name="A", language=Language.JAVA)
    tests = GeneratedTests(code="class ATest {}", filename="ATest.java")
    with pytest.raises(ToolsMissingError, match="run: atg setup java"):
        adapter.run(source, tests, get_sandbox("bwrap"), RunOptions(reruns=0))


def test_a_changed_harness_asks_for_the_set_up_again(tmp_path: Path, java_home: Path) -> None:
    home = tmp_path / "copy"
    (home / "lib").mkdir(parents=True)
    stamp = json.loads((java_home / "installed.json").read_text())
    (home / "installed.json").write_text(json.dumps({**stamp, "harness": "0" * 16}))
    with pytest.raises(ToolsMissingError, match="another atg harness or JDK"):
        java_tools(home)
