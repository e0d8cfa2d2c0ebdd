"""Surefire's JUnit XML and JaCoCo's XML report, read back; Maven projects found from a path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from agentic_testgen.domain import TestOutcome
from agentic_testgen.languages.java._maven import build_failure, maven_root
from agentic_testgen.languages.java._maven_reports import read_jacoco_file, read_surefire_reports

# as Surefire 3.5 writes them: a nested class's cases land in its outer class's file too
OUTER = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="org.example.ClampTest" tests="6">
  <testcase name="clamps(int)[1]" classname="org.example.ClampTest" time="0.105"/>
  <testcase name="clamps(int)[2]" classname="org.example.ClampTest" time="1,000.5"/>
  <testcase name="errors" classname="org.example.ClampTest" time="0.029">
    <error message="boom" type="java.lang.IllegalStateException"><![CDATA[
java.lang.IllegalStateException: boom
	at org.example.ClampTest.errors(ClampTest.java:16)
	at java.base/java.lang.reflect.Method.invoke(Method.java:569)
	at org.junit.platform.engine.Foo.bar(Foo.java:1)
]]></error>
  </testcase>
  <testcase name="loops" classname="org.example.ClampTest" time="2.0">
    <error message="loops() timed out after 2 seconds"
           type="java.util.concurrent.TimeoutException"><![CDATA[
java.util.concurrent.TimeoutException: loops() timed out after 2 seconds]]></error>
  </testcase>
  <testcase name="fails" classname="org.example.ClampTest" time="0.015">
    <failure message="expected: &lt;2&gt; but was: &lt;3&gt;"
             type="org.opentest4j.AssertionFailedError"/>
  </testcase>
  <testcase name="disabled" classname="org.example.ClampTest" time="0.0">
    <skipped message="is @Disabled"/>
  </testcase>
  <testcase name="twice" classname="org.example.ClampTest$Inner" time="0.008"/>
</testsuite>
"""
NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="org.example.ClampTest$Inner" tests="1">
  <testcase name="twice" classname="org.example.ClampTest$Inner" time="0.008"/>
  <testcase name="" classname="org.example.ClampTest$Inner" time="0.0">
    <error message="setup failed" type="java.lang.IllegalStateException"/>
  </testcase>
</testsuite>
"""
HARNESS_IDS = [
    "ClampTest::clamps(int)[1]",
    "ClampTest::clamps(int)[2]",
    "ClampTest::errors()",
    "ClampTest::loops()",
    "ClampTest::fails()",
    "ClampTest::disabled()",
    "ClampTest::Inner::twice()",
    "ClampTest::over(int)",
    "ClampTest::over(java.lang.String)",
]


def test_surefire_cases_are_read_once_each_with_junits_verdicts(tmp_path: Path) -> None:
    (tmp_path / "TEST-org.example.ClampTest.xml").write_text(OUTER, encoding="utf-8")
    (tmp_path / "TEST-org.example.ClampTest$Inner.xml").write_text(NESTED, encoding="utf-8")
    (tmp_path / "TEST-broken.xml").write_text("<testsuite><testcase", encoding="utf-8")
    cases, unreadable = read_surefire_reports(tmp_path)
    assert [name.split(":")[0] for name in unreadable] == ["TEST-broken.xml"]
    verdicts = {(case.class_path, case.name): case.outcome for case in cases}
    assert verdicts == {
        ("ClampTest", "clamps(int)[1]"): TestOutcome.PASSED,
        ("ClampTest", "clamps(int)[2]"): TestOutcome.PASSED,
        ("ClampTest", "errors"): TestOutcome.FAILED,
        ("ClampTest", "loops"): TestOutcome.TIMEOUT,
        ("ClampTest", "fails"): TestOutcome.FAILED,
        ("ClampTest", "disabled"): TestOutcome.SKIPPED,
        ("ClampTest::Inner", "twice"): TestOutcome.PASSED,
        ("ClampTest::Inner", ""): TestOutcome.ERROR,
    }
    by_name = {case.name: case for case in cases}
    assert by_name["clamps(int)[2]"].duration_s == 1000.5
    # the framework's and the JDK's frames are left out, as the harness leaves them out
    assert by_name["errors"].failure == (
        "java.lang.IllegalStateException: boom\n"
        "\tat org.example.ClampTest.errors(ClampTest.java:16)"
    )
    assert by_name["fails"].failure == "expected: <2> but was: <3>"
    assert by_name[""].class_level


def test_surefire_names_map_to_the_harness_node_ids(tmp_path: Path) -> None:
    (tmp_path / "TEST-org.example.ClampTest.xml").write_text(OUTER, encoding="utf-8")
    cases, _ = read_surefire_reports(tmp_path)
    mapped = {case.name: case.nodeid(HARNESS_IDS) for case in cases}
    assert mapped == {
        "clamps(int)[1]": "ClampTest::clamps(int)[1]",
        "clamps(int)[2]": "ClampTest::clamps(int)[2]",
        "errors": "ClampTest::errors()",
        "loops": "ClampTest::loops()",
        "fails": "ClampTest::fails()",
        "disabled": "ClampTest::disabled()",
        "twice": "ClampTest::Inner::twice()",
    }
    twice = next(case for case in cases if case.name == "twice")
    assert twice.nodeid(["ClampTest::twice()"]) is None
    assert twice.fallback_nodeid() == "ClampTest::Inner::twice()"


def test_jacocos_report_is_read_for_one_source_file(tmp_path: Path) -> None:
    report = tmp_path / "jacoco.xml"
    report.write_text(
        textwrap.dedent("""\
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
            <report name="clamp">
              <package name="org/example">
                <sourcefile name="Clamp.java">
                  <line nr="3" mi="3" ci="0" mb="0" cb="0"/>
                  <line nr="5" mi="0" ci="3" mb="1" cb="1"/>
                  <counter type="INSTRUCTION" missed="3" covered="3"/>
                  <counter type="LINE" missed="1" covered="1"/>
                  <counter type="BRANCH" missed="1" covered="1"/>
                </sourcefile>
                <sourcefile name="Other.java">
                  <line nr="3" mi="3" ci="0" mb="0" cb="0"/>
                </sourcefile>
              </package>
            </report>
        """),
        encoding="utf-8",
    )
    file = read_jacoco_file(report, ("org", "example"), "Clamp.java")
    assert file["lines"] == [[3, 3, 0, 0, 0], [5, 0, 3, 1, 1]]
    assert file["line_counter"] == [1, 1]
    assert file["branch_counter"] == [1, 1]
    with pytest.raises(LookupError):
        read_jacoco_file(report, (), "Clamp.java")


def test_a_class_under_src_main_java_of_a_pom_is_in_a_maven_project(tmp_path: Path) -> None:
    source = tmp_path / "src" / "main" / "java" / "org" / "example" / "Clamp.java"
    source.parent.mkdir(parents=True)
    source.write_text("package org.example;\nclass Clamp {}\n", encoding="utf-8")
    assert maven_root(source) is None
    (tmp_path / "pom.xml").write_text("<project/>", encoding="utf-8")
    assert maven_root(source) == tmp_path
    lone = tmp_path / "Clamp.java"
    lone.write_text("class Clamp {}\n", encoding="utf-8")
    assert maven_root(lone) is None


def test_a_failed_build_says_why_in_one_line(tmp_path: Path) -> None:
    workspace = tmp_path / "build"
    compile_error = (
        "[ERROR] COMPILATION ERROR : \n"
        f"[ERROR] {workspace}/src/main/java/org/example/Clamp.java:[5,9] ';' expected\n"
        "[ERROR] -> [Help 1]\n"
    )
    assert build_failure(compile_error, workspace, tmp_path)[0] == (
        "Clamp.java:5: error: ';' expected"
    )
    offline = (
        "\x1b[0m[ERROR] Failed to execute goal on project clamp: Could not resolve dependencies "
        "for "
        "project org.example:clamp:jar:1.0: Cannot access central in offline mode and the "
        "artifact org.example:absent:jar:1 has not been downloaded from it before. -> [Help 1]\n"
        "[ERROR] \n[ERROR] Re-run Maven using the -X switch\n"
    )
    syntax_error, reason = build_failure(offline, workspace, tmp_path)
    assert syntax_error is None
    assert reason.startswith("the Maven build failed: Failed to execute goal on project clamp")
    assert f"atg setup java --project {tmp_path}" in reason


def test_a_broken_pom_is_named_with_its_path(tmp_path: Path) -> None:
    workspace = tmp_path / "build"
    output = (
        "\x1b[0m\x1b[0m[ERROR] [ERROR] Some problems were encountered while processing the POMs:\n"
        f"[FATAL] Non-readable POM {workspace}/pom.xml: no more data available - expected end "
        "tag </project>, parser stopped on END_TAG seen ...</modelVersion>\\n... \n @ \n"
        "[ERROR] The build could not read 1 project -> [Help 1]\n"
    )
    assert build_failure(output, workspace, tmp_path) == (
        None,
        f"the Maven build failed: Non-readable POM {tmp_path}/pom.xml: no more data available - "
        "expected end tag </project>, parser stopped on END_TAG seen ...</modelVersion>",
    )
