"""The Java adapter against a real JDK, JUnit 5 and JaCoCo, in bubblewrap."""

from __future__ import annotations

import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agentic_testgen.domain import GeneratedTests, Language, RunOutcome, SourceUnit, TestOutcome
from agentic_testgen.languages import RunOptions, get_adapter, language_for_path
from agentic_testgen.languages.java import JavaAdapter
from agentic_testgen.languages.java._classfile import class_files, code_lines
from agentic_testgen.languages.java._source import package_of, type_names
from agentic_testgen.languages.java._source import test_count as count_tests
from agentic_testgen.sandbox import Sandbox
from tests.languages.java.conftest import RunJava

CLAMP = """
    package shop.calc;

    import java.util.Arrays;

    public class Clamp {
        public static int clamp(int x, int lo, int hi) {
            if (lo > hi) {
                throw new IllegalArgumentException("lo > hi");
            }
            if (x < lo) {
                return lo;
            }
            return x > hi ? hi : x;
        }

        public static String sign(int x) {
            switch (Integer.signum(x)) {
                case 1:
                    return "+";
                case -1:
                    return "-";
                default:
                    return "0";
            }
        }

        static boolean both(boolean a, boolean b) {
            return a && b;
        }

        public static int sumPositive(int... xs) {
            return Arrays.stream(xs).filter(x -> x > 0).sum();
        }

        static final class Box {
            private final int value;

            Box(int value) {
                this.value = value;
            }

            int twice() {
                return value * 2;
            }
        }

        public int unused() {
            return 42;
        }
    }
"""

CLAMP_TESTS = """
    package shop.calc;

    import static org.junit.jupiter.api.Assertions.assertEquals;
    import static org.junit.jupiter.api.Assertions.assertNotNull;
    import static org.junit.jupiter.api.Assertions.assertThrows;
    import static org.junit.jupiter.api.Assertions.assertTrue;
    import static org.junit.jupiter.api.Assertions.fail;
    import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        void clampsHighWrongly() {
            assertEquals(4, Clamp.clamp(9, 1, 5), "nine clamps to five");
        }

        @Test
        void rejectsInvertedBounds() {
            assertThrows(IllegalArgumentException.class, () -> Clamp.clamp(0, 5, 1));
        }

        @Disabled("not written yet")
        @Test
        void later() {
            fail("never runs");
        }

        @Test
        void assumesAnotherMachine() {
            assumeTrue(false, "not on this machine");
        }

        @Test
        void neverCallsTheClass() {
            assertEquals(4, 2 + 2);
        }

        @ParameterizedTest
        @ValueSource(ints = {-3, 0, 8})
        void signs(int x) {
            assertNotNull(Clamp.sign(x));
        }

        @Test
        void bothNeedsBoth() {
            assertTrue(Clamp.both(true, true));
        }

        @Test
        void sums() {
            assertEquals(5, Clamp.sumPositive(2, -1, 3));
        }

        @Test
        void throwsUnexpectedly() {
            Object nothing = null;
            nothing.toString();
        }

        @Nested
        class Boxes {
            @Test
            void twice() {
                assertEquals(6, new Clamp.Box(3).twice());
            }
        }
    }
"""


@pytest.fixture(scope="module")
def mixed(
    java_home: Path, bwrap: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> tuple[RunOutcome, Path]:
    """One run of CLAMP_TESTS (a dataset-style source: no package given, declared in the code),
    with its JaCoCo execution data and class files kept."""
    evidence = tmp_path_factory.mktemp("evidence")
    adapter = JavaAdapter(tools_home=java_home, evidence_dir=evidence)
    source = SourceUnit(
        path="Clamp.java", code=textwrap.dedent(CLAMP).lstrip("\n"), module_name="Clamp",
        language=Language.JAVA,
    )  # fmt: skip
    tests = GeneratedTests(
        code=textwrap.dedent(CLAMP_TESTS).lstrip("\n"), filename="ClampTest.java"
    )
    options = RunOptions(reruns=1, test_timeout_s=5.0, mutation=False)
    outcome = adapter.run(source, tests, bwrap, options)
    return outcome, evidence


def test_verdicts_are_junits_own(mixed: tuple[RunOutcome, Path]) -> None:
    outcome, _ = mixed
    assert outcome.syntax_error is None
    assert outcome.collection_errors == ()
    assert {test.nodeid: test.outcome for test in outcome.tests} == {
        "ClampTest::clampsLow()": TestOutcome.PASSED,
        "ClampTest::clampsHighWrongly()": TestOutcome.FAILED,
        "ClampTest::rejectsInvertedBounds()": TestOutcome.PASSED,
        "ClampTest::later()": TestOutcome.SKIPPED,
        "ClampTest::assumesAnotherMachine()": TestOutcome.SKIPPED,
        "ClampTest::neverCallsTheClass()": TestOutcome.PASSED,
        "ClampTest::signs(int)[1]": TestOutcome.PASSED,
        "ClampTest::signs(int)[2]": TestOutcome.PASSED,
        "ClampTest::signs(int)[3]": TestOutcome.PASSED,
        "ClampTest::bothNeedsBoth()": TestOutcome.PASSED,
        "ClampTest::sums()": TestOutcome.PASSED,
        "ClampTest::throwsUnexpectedly()": TestOutcome.FAILED,
        "ClampTest::Boxes::twice()": TestOutcome.PASSED,
    }
    by_id = {test.nodeid: test for test in outcome.tests}
    wrong = by_id["ClampTest::clampsHighWrongly()"].failure or ""
    assert wrong.splitlines()[0] == (
        "org.opentest4j.AssertionFailedError: nine clamps to five ==> expected: <4> but was: <5>"
    )
    assert "at shop.calc.ClampTest.clampsHighWrongly(ClampTest.java:" in wrong
    assert (by_id["ClampTest::throwsUnexpectedly()"].failure or "").startswith(
        "java.lang.NullPointerException"
    )
    assert by_id["ClampTest::later()"].failure == "not written yet"
    assert outcome.reruns == ({test.nodeid: test.outcome for test in outcome.tests},)
    assert outcome.flaky_nodeids() == frozenset()
    assert outcome.integrity.ok
    assert outcome.mutation is None
    assert outcome.sandbox == "bwrap"


def test_each_test_has_the_lines_it_covered(mixed: tuple[RunOutcome, Path]) -> None:
    outcome, _ = mixed
    by_id = {test.nodeid: test for test in outcome.tests}
    # clamp(0, 1, 5): the bounds check (7), x < lo (10) and its return (11)
    assert by_id["ClampTest::clampsLow()"].lines == (7, 10, 11)
    assert by_id["ClampTest::clampsLow()"].branches == ((7, 0), (10, 0))
    assert by_id["ClampTest::rejectsInvertedBounds()"].lines == (7, 8)
    assert by_id["ClampTest::Boxes::twice()"].lines == (38, 39, 40, 43)
    for untouched in ("neverCallsTheClass()", "later()", "assumesAnotherMachine()"):
        assert by_id[f"ClampTest::{untouched}"].lines == ()
        assert not by_id[f"ClampTest::{untouched}"].reached_module
    assert outcome.coverage is not None
    covered = {line for test in outcome.tests for line in test.lines}
    assert covered == set(outcome.coverage.executed_lines)


def _jacoco_xml(java_home: Path, evidence: Path, tmp_path: Path) -> ET.Element:
    xml = tmp_path / "jacoco.xml"
    subprocess.run(
        ["java", "-jar", str(java_home / "lib" / "jacococli.jar"), "report",
         str(evidence / "jacoco.exec"), "--classfiles", str(evidence / "classes"),
         "--xml", str(xml)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return ET.parse(xml).getroot()


def test_coverage_equals_jacocos_own_report(
    mixed: tuple[RunOutcome, Path], java_home: Path, tmp_path: Path
) -> None:
    outcome, evidence = mixed
    report = _jacoco_xml(java_home, evidence, tmp_path)
    source_file = report.find("./package[@name='shop/calc']/sourcefile[@name='Clamp.java']")
    assert source_file is not None
    counters = {c.get("type"): c for c in source_file.findall("counter")}
    line_counter, branch_counter = counters["LINE"], counters["BRANCH"]
    coverage = outcome.coverage
    assert coverage is not None
    assert coverage.num_statements == int(line_counter.get("missed", "")) + int(
        line_counter.get("covered", "")
    )
    assert coverage.covered_lines == int(line_counter.get("covered", ""))
    assert coverage.num_branches == int(branch_counter.get("missed", "")) + int(
        branch_counter.get("covered", "")
    )
    assert coverage.covered_branches == int(branch_counter.get("covered", ""))
    lines = {int(line.get("nr", "")): line for line in source_file.findall("line")}
    # atg's own reading of the class files (its integrity check) knows every line JaCoCo counts
    known = set().union(
        *(code_lines(path.read_bytes()) for path in class_files(evidence / "classes").values())
    )
    assert set(lines) <= known
    assert set(coverage.executed_lines) == {nr for nr, e in lines.items() if e.get("ci") != "0"}
    assert set(coverage.missing_lines) == {nr for nr, e in lines.items() if e.get("ci") == "0"}
    for nr, element in lines.items():
        assert sum(1 for line, _ in coverage.executed_branches if line == nr) == int(
            element.get("cb", "")
        )
        assert sum(1 for line, _ in coverage.missing_branches if line == nr) == int(
            element.get("mb", "")
        )
    # as JaCoCo's CLI reports this run: every class of the file (Box, the lambda) counted, the
    # constructor of Clamp (5) and unused() (48) missed, x <= hi (13) and a && b false (28) not
    # taken
    assert (coverage.num_statements, coverage.covered_lines) == (17, 15)
    assert (coverage.num_branches, coverage.covered_branches) == (15, 12)
    assert coverage.missing_lines == (5, 48)


def test_a_class_without_a_package(run_java: RunJava) -> None:
    module = """
        public class Clamp {
            public static int clamp(int x, int lo, int hi) {
                return Math.max(lo, Math.min(x, hi));
            }
        }
    """
    tests = """
        import static org.junit.jupiter.api.Assertions.assertEquals;

        import org.junit.jupiter.api.Test;

        public class ClampTest {
            @Test
            public void clampsHigh() {
                assertEquals(5, Clamp.clamp(9, 1, 5));
            }
        }
    """
    outcome = run_java(module, tests)
    assert [(t.nodeid, t.outcome, t.lines) for t in outcome.tests] == [
        ("ClampTest::clampsHigh()", TestOutcome.PASSED, (3,))
    ]
    assert outcome.coverage is not None
    assert (outcome.coverage.num_statements, outcome.coverage.covered_lines) == (2, 1)


def test_read_source_takes_the_class_and_the_package_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "Clamp.java"
    path.write_text("/* licence */\n// more\npackage shop . calc;\n\npublic class Clamp {}\n")
    assert language_for_path(path) == Language.JAVA
    source = get_adapter("java").read_source(path)
    assert (source.module_name, source.package) == ("Clamp", ("shop", "calc"))
    assert source.language == Language.JAVA
    assert source.qualified_name == "shop.calc.Clamp"


def test_a_compile_error_is_reported_and_nothing_runs(run_java: RunJava) -> None:
    broken_module = "public class Clamp {\n    int x = 1\n}\n"
    outcome = run_java(broken_module, "class ClampTest {}\n")
    assert outcome.syntax_error == "Clamp.java:2: error: ';' expected"
    assert outcome.tests == ()
    module = "public class Clamp {\n    static int one() { return 1; }\n}\n"
    tests = "class ClampTest {\n    int two = Clamp.two();\n}\n"
    outcome = run_java(module, tests)
    assert outcome.syntax_error == "ClampTest.java:2: error: cannot find symbol"
    assert outcome.coverage is None


def test_a_flaky_test_is_caught_by_the_reruns(run_java: RunJava) -> None:
    module = "public class Clamp {\n    static int one() {\n        return 1;\n    }\n}\n"
    tests = """
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
            void steady() {
                assertEquals(1, Clamp.one());
            }
        }
    """
    outcome = run_java(module, tests, options=RunOptions(reruns=3, test_timeout_s=5.0))
    assert [rerun["ClampTest::failsOnEveryOtherRun()"] for rerun in outcome.reruns] == [
        TestOutcome.FAILED,
        TestOutcome.PASSED,
        TestOutcome.FAILED,
    ]
    assert outcome.flaky_nodeids() == {"ClampTest::failsOnEveryOtherRun()"}


def test_tests_past_the_time_limit_time_out_and_the_rest_is_measured(run_java: RunJava) -> None:
    module = "public class Clamp {\n    static int one() {\n        return 1;\n    }\n}\n"
    tests = """
        import static org.junit.jupiter.api.Assertions.assertEquals;

        import org.junit.jupiter.api.Test;

        class ClampTest {
            @Test
            void spins() {
                while (true) {
                }
            }

            @Test
            void sleeps() throws InterruptedException {
                Thread.sleep(600_000);
            }

            @Test
            void one() {
                assertEquals(1, Clamp.one());
            }
        }
    """
    outcome = run_java(module, tests, options=RunOptions(reruns=2, test_timeout_s=1.0))
    assert {test.nodeid: test.outcome for test in outcome.tests} == {
        "ClampTest::spins()": TestOutcome.TIMEOUT,
        "ClampTest::sleeps()": TestOutcome.TIMEOUT,
        "ClampTest::one()": TestOutcome.PASSED,
    }
    # the reruns leave out what could only time out again
    assert outcome.reruns == ({"ClampTest::one()": TestOutcome.PASSED},) * 2
    assert outcome.flaky_nodeids() == frozenset()
    assert outcome.coverage is not None
    assert outcome.coverage.covered_lines == 1
    assert outcome.duration_s < 15


@pytest.mark.slow
def test_a_test_with_a_longer_limit_of_its_own_is_stopped_by_the_watchdog(
    run_java: RunJava,
) -> None:
    module = "public class Clamp {\n    static int one() {\n        return 1;\n    }\n}\n"
    tests = """
        import static org.junit.jupiter.api.Assertions.assertEquals;

        import org.junit.jupiter.api.MethodOrderer;
        import org.junit.jupiter.api.Order;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.TestMethodOrder;
        import org.junit.jupiter.api.Timeout;

        @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
        class ClampTest {
            @Test
            @Order(1)
            void one() {
                assertEquals(1, Clamp.one());
            }

            @Test
            @Order(2)
            @Timeout(600)
            void spinsForTenMinutes() {
                while (true) {
                }
            }
        }
    """
    outcome = run_java(module, tests, options=RunOptions(reruns=1, test_timeout_s=0.5))
    assert {test.nodeid: test.outcome for test in outcome.tests} == {
        "ClampTest::one()": TestOutcome.PASSED,
        "ClampTest::spinsForTenMinutes()": TestOutcome.TIMEOUT,
    }
    assert any("without an end" in note for note in outcome.notes)
    assert outcome.coverage is not None
    assert outcome.coverage.covered_lines == 1


def test_code_given_as_strings_runs_under_the_names_it_declares(
    java_home: Path, bwrap: Sandbox
) -> None:
    module = textwrap.dedent("""\
        package shop;

        public class Clamp {
            static int one() {
                return 1;
            }
        }
    """)
    tests = textwrap.dedent("""\
        package shop;

        import org.junit.jupiter.api.Assertions;
        import org.junit.jupiter.api.Test;

        public class ClampTest {
            @Test
            void one() {
                Assertions.assertEquals(1, Clamp.one());
            }
        }
    """)
    # what evaluate_generated_tests makes of strings: a guessed module name, a Python file name
    source = SourceUnit(path="module.py", code=module, module_name="module", language=Language.JAVA)
    outcome = JavaAdapter(tools_home=java_home).run(
        source, GeneratedTests(code=tests, filename="test_module.py"), bwrap, RunOptions(reruns=0)
    )
    assert outcome.syntax_error is None
    assert [(t.nodeid, t.outcome, t.lines) for t in outcome.tests] == [
        ("ClampTest::one()", TestOutcome.PASSED, (5,))
    ]


def test_what_a_java_file_says_about_itself() -> None:
    code = textwrap.dedent("""\
        /* package fake; */
        // package fake2;
        package a.b;

        import org.junit.jupiter.api.RepeatedTest;

        final class Helper {}

        public class ClampTest {
            String text = "@Test class Fake";
            @Test void one() {}
            @RepeatedTest(4) void four() {}
            @ParameterizedTest @ValueSource(ints = {1, 2}) void cases(int x) {}
            // @Test void commentedOut() {}
        }
    """)
    assert package_of(code) == ("a", "b")
    assert package_of("class A {}") == ()
    assert type_names(code) == ["ClampTest", "Helper"]
    assert count_tests(code) == 1 + 4 + 10
