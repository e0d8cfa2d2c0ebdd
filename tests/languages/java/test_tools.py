"""`install_java_tools` fetches JUnit and JaCoCo once; a run without them says how to get them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from agentic_testgen.domain import GeneratedTests, Language, SourceUnit, TestOutcome
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
    # atg's Maven repository holds the plugins a Maven project's run adds to its build
    plugins = home / "m2" / "org" / "jacoco" / "jacoco-maven-plugin" / "0.8.15"
    assert (plugins / "jacoco-maven-plugin-0.8.15.jar").is_file()

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


def test_an_archive_the_jvm_cannot_use_costs_only_time(tmp_path: Path, java_home: Path) -> None:
    # the JVM checks its class-data-sharing archive against the jars' times and sizes, and by
    # default logs a mismatch on standard output: the report's channel must stay clean
    home = tmp_path / "tools"
    shutil.copytree(java_home, home)
    os.utime(home / "lib" / "junit-platform-console-standalone.jar")
    adapter = JavaAdapter(tools_home=home)
    module = "public class One {\n    static int one() {\n        return 1;\n    }\n}\n"
    source = SourceUnit(path="One.java", code=module, module_name="One", language=Language.JAVA)
    test = "@Test\n    void one() {\n        Assertions.assertEquals(1, One.one());\n    }"
    tests = GeneratedTests(
        code="import org.junit.jupiter.api.Assertions;\nimport org.junit.jupiter.api.Test;\n\n"
        f"class OneTest {{\n    {test}\n}}\n",
        filename="OneTest.java",
    )
    outcome = adapter.run(source, tests, get_sandbox("bwrap"), RunOptions(reruns=0))
    assert [(test.nodeid, test.outcome) for test in outcome.tests] == [
        ("OneTest::one()", TestOutcome.PASSED)
    ]
    assert outcome.integrity.ok
