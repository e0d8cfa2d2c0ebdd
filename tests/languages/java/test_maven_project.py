"""A class in a Maven project runs through the project's own build (Surefire under JaCoCo's
Maven plugin), offline, in the sandbox, with atg's harness measuring each test."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.domain import GeneratedTests, MutantStatus, RunOutcome, TestOutcome
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.java import JavaAdapter, java_tools
from agentic_testgen.languages.java._maven_reports import read_jacoco_file
from agentic_testgen.languages.java._tools import JACOCO_PLUGIN
from agentic_testgen.sandbox import Limits, Sandbox

pytestmark = pytest.mark.slow

MakeProject = Callable[..., Path]

CLAMP = """
    package org.example;

    public class Clamp {
        public static int clamp(int x, int lo, int hi) {
            if (lo > hi) {
                throw new IllegalArgumentException("lo > hi");
            }
            return Math.max(lo, Bounds.atMost(x, hi));
        }

        static class Twice {
            int of(int x) {
                return x > 0 ? 2 * x : 0;
            }
        }
    }
"""
# another class of the project, which the class under test calls: on the tests' class path
BOUNDS = """
    package org.example;

    public class Bounds {
        public static int atMost(int x, int hi) {
            return Math.min(x, hi);
        }
    }
"""
CLAMP_TESTS = """
    package org.example;

    import static org.junit.jupiter.api.Assertions.assertEquals;

    import org.junit.jupiter.api.Disabled;
    import org.junit.jupiter.api.Nested;
    import org.junit.jupiter.api.Test;
    import org.junit.jupiter.params.ParameterizedTest;
    import org.junit.jupiter.params.provider.ValueSource;

    class ClampTest {
        @Test
        void clampsLow() {
            assertEquals(1, Clamp.clamp(0, 1, 5));
        }

        @Test
        void fails() {
            assertEquals(2, Clamp.clamp(3, 1, 5));
        }

        @Test
        void neverCallsTheClass() {
            assertEquals(2, 1 + 1);
        }

        @Disabled("not yet")
        @Test
        void disabled() {}

        @ParameterizedTest
        @ValueSource(ints = {7, 9})
        void clampsHigh(int x) {
            assertEquals(5, Clamp.clamp(x, 1, 5));
        }

        @Nested
        class TwiceTest {
            @Test
            void doubles() {
                assertEquals(4, new Clamp.Twice().of(2));
            }
        }
    }
"""
OTHER_TESTS = """
    package org.example;

    import static org.junit.jupiter.api.Assertions.assertEquals;

    import org.junit.jupiter.api.Test;

    class BoundsTest {
        @Test
        void bounds() {
            assertEquals(1, Bounds.atMost(1, 2));
        }
    }
"""
MODULE_PATH = "src/main/java/org/example/Clamp.java"
TESTS_PATH = "src/test/java/org/example/ClampTest.java"


def run_project(
    root: Path,
    java_home: Path,
    sandbox: Sandbox,
    options: RunOptions | None = None,
    *,
    tests: str | None = None,
    evidence: Path | None = None,
) -> RunOutcome:
    adapter = JavaAdapter(tools_home=java_home, evidence_dir=evidence)
    source = adapter.read_source(root / MODULE_PATH)
    assert source.project_root == str(root)
    tests_path = root / TESTS_PATH
    code = tests if tests is not None else tests_path.read_text(encoding="utf-8")
    return adapter.run(
        source,
        GeneratedTests(code=code, filename="ClampTest.java", path=str(tests_path)),
        sandbox,
        options or RunOptions(reruns=1, test_timeout_s=5.0, mutation=False),
    )


@pytest.fixture
def clamp_project(maven_project: MakeProject) -> Path:
    return maven_project({
        MODULE_PATH: CLAMP,
        "src/main/java/org/example/Bounds.java": BOUNDS,
        TESTS_PATH: CLAMP_TESTS,
        "src/test/java/org/example/BoundsTest.java": OTHER_TESTS,
    })  # fmt: skip


def test_surefires_verdicts_and_the_harness_per_test_lines(
    clamp_project: Path, java_home: Path, bwrap: Sandbox
) -> None:
    outcome = run_project(clamp_project, java_home, bwrap)
    verdicts = {test.nodeid: test.outcome for test in outcome.tests}
    assert verdicts == {
        "ClampTest::clampsLow()": TestOutcome.PASSED,
        "ClampTest::fails()": TestOutcome.FAILED,
        "ClampTest::neverCallsTheClass()": TestOutcome.PASSED,
        "ClampTest::disabled()": TestOutcome.SKIPPED,
        "ClampTest::clampsHigh(int)[1]": TestOutcome.PASSED,
        "ClampTest::clampsHigh(int)[2]": TestOutcome.PASSED,
        "ClampTest::TwiceTest::doubles()": TestOutcome.PASSED,
    }
    by_id = {test.nodeid: test for test in outcome.tests}
    assert "expected: <2> but was: <3>" in (by_id["ClampTest::fails()"].failure or "")
    assert by_id["ClampTest::clampsLow()"].lines == (5, 8)
    assert by_id["ClampTest::TwiceTest::doubles()"].lines == (11, 13)
    assert by_id["ClampTest::clampsLow()"].branches == ((5, 0),)
    assert not by_id["ClampTest::neverCallsTheClass()"].reached_module
    # Bounds, another class of the project, ran but is not the class under test
    assert outcome.coverage is not None
    assert outcome.coverage.missing_lines == (3, 6)
    assert outcome.flaky_nodeids() == frozenset()
    assert len(outcome.reruns) == 1
    assert outcome.collection_errors == ()
    assert outcome.integrity.ok, outcome.integrity
    # the user's project is left as it was: nothing built in it
    assert not (clamp_project / "target").exists()


def test_totals_equal_the_jacoco_plugins_own_report(
    clamp_project: Path, java_home: Path, bwrap: Sandbox, tmp_path: Path
) -> None:
    outcome = run_project(clamp_project, java_home, bwrap, evidence=tmp_path / "evidence")
    # the way a team measures: `mvn test` under JaCoCo's plugin with nothing left out
    own = tmp_path / "own"
    shutil.copytree(clamp_project, own)
    tools = java_tools(java_home)
    completed = subprocess.run(
        ["mvn", "-o", "-B", "-q", f"-Dmaven.repo.local={tools.maven_repository}",
         f"{JACOCO_PLUGIN}:prepare-agent", "test", f"{JACOCO_PLUGIN}:report",
         "-Dmaven.test.failure.ignore=true"],
        cwd=own, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-2000:]
    report = own / "target" / "site" / "jacoco" / "jacoco.xml"
    plugin = read_jacoco_file(report, ("org", "example"), "Clamp.java")
    assert outcome.coverage is not None
    executed = tuple(line for line, _mi, ci, _mb, _cb in plugin["lines"] if ci > 0)
    assert outcome.coverage.executed_lines == executed
    assert [outcome.coverage.num_statements - outcome.coverage.covered_lines,
            outcome.coverage.covered_lines] == plugin["line_counter"]  # fmt: skip
    assert [outcome.coverage.num_branches - outcome.coverage.covered_branches,
            outcome.coverage.covered_branches] == plugin["branch_counter"]  # fmt: skip
    # atg's run instrumented only the class under test (its nested class included)
    kept = read_jacoco_file(tmp_path / "evidence" / "jacoco.xml", ("org", "example"), "Bounds.java")
    assert kept["line_counter"][1] == 0
    assert sorted(p.name for p in (tmp_path / "evidence" / "classes").rglob("*.class")) == [
        "Clamp$Twice.class",
        "Clamp.class",
    ]


def test_a_flaky_test_and_a_timeout_in_a_project(
    maven_project: MakeProject, java_home: Path, bwrap: Sandbox
) -> None:
    tests = """
        package org.example;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import java.nio.file.Files;
        import java.nio.file.Path;
        import java.nio.file.Paths;
        import org.junit.jupiter.api.Test;

        class ClampTest {
            @Test
            void failsOnEveryOtherRun() throws Exception {
                Path counter = Paths.get("counter.txt");
                int runs = Files.exists(counter) ? Integer.parseInt(Files.readString(counter)) : 0;
                Files.writeString(counter, Integer.toString(runs + 1));
                assertEquals(0, runs % 2, "fails on odd runs");
            }

            @Test
            void loops() {
                while (true) {
                }
            }

            @Test
            void steady() {
                assertEquals(1, Clamp.clamp(0, 1, 5));
            }

            @Test
            void readsAFileOfTheProject() throws Exception {
                assertEquals("data", Files.readString(Paths.get("src/test/resources/data.txt")));
            }
        }
    """
    root = maven_project({
        MODULE_PATH: CLAMP, "src/main/java/org/example/Bounds.java": BOUNDS, TESTS_PATH: tests,
        "src/test/resources/data.txt": "data",
    })  # fmt: skip
    options = RunOptions(reruns=3, test_timeout_s=2.0, mutation=False)
    outcome = run_project(root, java_home, bwrap, options)
    verdicts = {test.nodeid: test.outcome for test in outcome.tests}
    assert verdicts == {
        "ClampTest::failsOnEveryOtherRun()": TestOutcome.PASSED,
        "ClampTest::loops()": TestOutcome.TIMEOUT,
        "ClampTest::steady()": TestOutcome.PASSED,
        # the tests run in the project's folder, in Maven's run as in atg's
        "ClampTest::readsAFileOfTheProject()": TestOutcome.PASSED,
    }
    assert outcome.flaky_nodeids() == {"ClampTest::failsOnEveryOtherRun()"}
    assert len(outcome.reruns) == 3


def test_hostile_tests_are_contained_in_a_project(
    maven_project: MakeProject, java_home: Path, bwrap: Sandbox, tmp_path: Path
) -> None:
    marker = f"atg-maven-escape-{uuid.uuid4().hex}"
    in_home = Path.home() / marker
    by_shell = tmp_path / "by-shell.txt"
    into_project = tmp_path / "project" / "src" / "main" / "java" / "org" / "example" / "Evil.java"
    tests = f"""
        package org.example;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import java.net.InetSocketAddress;
        import java.net.Socket;
        import java.nio.file.Files;
        import java.nio.file.Paths;
        import org.junit.jupiter.api.Test;

        class ClampTest {{
            @Test
            void clampsLow() {{
                assertEquals(1, Clamp.clamp(0, 1, 5));
            }}

            @Test
            void callsOut() throws Exception {{
                try (Socket socket = new Socket()) {{
                    socket.connect(new InetSocketAddress("1.1.1.1", 80), 2000);
                }}
            }}

            @Test
            void writesIntoTheUsersProject() throws Exception {{
                Files.writeString(Paths.get("{into_project}"), "class Evil {{}}");
            }}

            @Test
            void writesToTheHome() throws Exception {{
                Files.writeString(Paths.get("{in_home}"), "pwned");
            }}

            @Test
            void runsAShell() throws Exception {{
                Process shell = new ProcessBuilder("sh", "-c", "echo pwned > {by_shell}").start();
                assertEquals(0, shell.waitFor(), "the shell could not write");
            }}

            @Test
            void loops() {{
                while (true) {{
                }}
            }}
        }}
    """
    root = maven_project({
        MODULE_PATH: CLAMP, "src/main/java/org/example/Bounds.java": BOUNDS, TESTS_PATH: tests
    })  # fmt: skip
    options = RunOptions(reruns=1, test_timeout_s=2.0, mutation=False, limits=Limits())
    outcome = run_project(root, java_home, bwrap, options)
    verdicts = {test.nodeid.split("::")[1]: test.outcome for test in outcome.tests}
    assert verdicts == {
        "clampsLow()": TestOutcome.PASSED,
        "callsOut()": TestOutcome.FAILED,
        "writesIntoTheUsersProject()": TestOutcome.FAILED,
        "writesToTheHome()": TestOutcome.FAILED,
        "runsAShell()": TestOutcome.FAILED,
        "loops()": TestOutcome.TIMEOUT,
    }
    for path in (into_project, in_home, by_shell):
        assert not path.exists(), path
    assert outcome.flaky_nodeids() == frozenset()
    assert outcome.integrity.ok, outcome.integrity


def test_a_compile_error_and_a_broken_pom_are_one_line_each(
    maven_project: MakeProject, java_home: Path, bwrap: Sandbox, tmp_path: Path
) -> None:
    broken_tests = CLAMP_TESTS.replace("assertEquals(1, Clamp.clamp(0, 1, 5));", "assertEquals(")
    root = maven_project({
        MODULE_PATH: CLAMP, "src/main/java/org/example/Bounds.java": BOUNDS, TESTS_PATH: CLAMP_TESTS
    })  # fmt: skip
    outcome = run_project(root, java_home, bwrap, tests=broken_tests)
    assert outcome.syntax_error is not None
    assert outcome.syntax_error.startswith("ClampTest.java:")
    assert outcome.tests == ()
    (root / "pom.xml").write_text("<project><modelVersion>4.0.0</modelVersion>", encoding="utf-8")
    outcome = run_project(root, java_home, bwrap)
    assert outcome.syntax_error is None
    [error] = outcome.collection_errors
    assert error.message.startswith("the Maven build failed:")
    assert str(root / "pom.xml") in error.message
    assert "\n" not in error.message


def test_a_dependency_atgs_repository_lacks_names_the_setup_step(
    maven_project: MakeProject, java_home: Path, bwrap: Sandbox
) -> None:
    root = maven_project({
        MODULE_PATH: CLAMP, "src/main/java/org/example/Bounds.java": BOUNDS, TESTS_PATH: CLAMP_TESTS
    })  # fmt: skip
    pom = (root / "pom.xml").read_text(encoding="utf-8")
    absent = (
        "<dependency><groupId>io.agentic-testgen</groupId><artifactId>absent</artifactId>"
        "<version>1</version></dependency>"
    )
    (root / "pom.xml").write_text(pom.replace("<dependencies>", f"<dependencies>{absent}"))
    outcome = run_project(root, java_home, bwrap)
    [error] = outcome.collection_errors
    assert "io.agentic-testgen:absent" in error.message
    assert f"atg setup java --project {root}" in error.message


def test_mutants_run_against_the_projects_class_path(
    clamp_project: Path, java_home: Path, bwrap: Sandbox
) -> None:
    options = RunOptions(reruns=1, test_timeout_s=5.0, mutation=True)
    outcome = run_project(clamp_project, java_home, bwrap, options)
    assert outcome.mutation is not None
    statuses = {mutant.status for mutant in outcome.mutation.mutants}
    assert MutantStatus.ERROR not in statuses, outcome.mutation.notes
    killed = [m for m in outcome.mutation.mutants if m.status is MutantStatus.KILLED]
    assert killed
    assert {m.killed_by for m in killed} <= {t.nodeid for t in outcome.tests}
    # `lo > hi` is never true in these tests: its mutants are not covered or survive
    boundary = [m for m in outcome.mutation.mutants if m.original == "lo > hi"]
    assert boundary
    assert all(m.status is not MutantStatus.KILLED for m in boundary)


def test_setup_with_a_project_fetches_its_dependencies_once(
    maven_project: MakeProject, java_home: Path, bwrap: Sandbox, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # a copy of the set-up tools, so the fetched dependency stays out of the shared repository
    cache = tmp_path / "cache"
    home = cache / "atg" / java_home.name
    shutil.copytree(java_home, home, symlinks=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    tests = CLAMP_TESTS.replace(
        "import org.junit.jupiter.api.Disabled;",
        "import com.google.gson.Gson;\nimport org.junit.jupiter.api.Disabled;",
    ).replace("assertEquals(2, 1 + 1);", 'assertEquals("2", new Gson().toJson(2));')
    root = maven_project({
        MODULE_PATH: CLAMP, "src/main/java/org/example/Bounds.java": BOUNDS, TESTS_PATH: tests
    })  # fmt: skip
    dependency = (
        "<dependency><groupId>com.google.code.gson</groupId><artifactId>gson</artifactId>"
        "<version>2.11.0</version><scope>test</scope></dependency>"
    )
    pom = (root / "pom.xml").read_text(encoding="utf-8")
    (root / "pom.xml").write_text(pom.replace("<dependencies>", f"<dependencies>{dependency}"))
    before = run_project(root, home, bwrap)
    [error] = before.collection_errors
    assert "atg setup java --project" in error.message
    result = CliRunner().invoke(
        app, ["setup", "java", "--project", str(root / "src")], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output
    assert f"Maven project {root} ready" in result.output
    after = run_project(root, home, bwrap)
    assert after.collection_errors == ()
    by_id = {test.nodeid: test for test in after.tests}
    assert by_id["ClampTest::neverCallsTheClass()"].outcome is TestOutcome.PASSED
    assert not (root / "target").exists()
    result = CliRunner().invoke(
        app, ["setup", "java", "--project", str(tmp_path)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"error: setting up the Java tools: {tmp_path}: no pom.xml here or above: not a Maven "
        "project"
    )
