"""Java mutation testing against a real JDK, JUnit and the sandbox: mutants compiled in one JVM,
run in one sandboxed JVM, each in a class loader of its own against the tests covering it."""

from __future__ import annotations

import random
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import (
    GeneratedTests,
    Language,
    MutantStatus,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.evals import evaluate
from agentic_testgen.evals.mutation import TextMutant, text_mutants
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.java._mutation import _covering_tests, keyed_records
from agentic_testgen.languages.java._tools import MUTATION_CLASS
from agentic_testgen.sandbox import Completed, Limits, Sandbox
from tests.languages.java.conftest import RunJava

KILLED, SURVIVED, TIMEOUT = MutantStatus.KILLED, MutantStatus.SURVIVED, MutantStatus.TIMEOUT
NO_COVERAGE, ERROR = MutantStatus.NO_COVERAGE, MutantStatus.ERROR

GRADE = """
    package school;

    public class Grade {
        public static String grade(int score) {
            if (score < 50) {
                return "fail";
            }
            if (score < 90) {
                return "pass";
            }
            return "A";
        }
    }
"""

WEAK_TESTS = """
    package school;

    import static org.junit.jupiter.api.Assertions.assertEquals;

    import org.junit.jupiter.api.Test;

    class GradeTest {
        @Test
        void grades() {
            assertEquals("fail", Grade.grade(10));
            assertEquals("pass", Grade.grade(70));
            assertEquals("A", Grade.grade(95));
        }
    }
"""

STRONG_TESTS = """
    package school;

    import static org.junit.jupiter.api.Assertions.assertEquals;

    import org.junit.jupiter.params.ParameterizedTest;
    import org.junit.jupiter.params.provider.CsvSource;

    class GradeTest {
        @ParameterizedTest
        @CsvSource({"10, fail", "49, fail", "50, pass", "89, pass", "90, A", "95, A"})
        void grades(int score, String expected) {
            assertEquals(expected, Grade.grade(score));
        }
    }
"""

# (line, original, mutated) of every mutant of GRADE
GRADE_MUTANTS = {
    (5, "score < 50", "score <= 50"),
    (5, "50", "51"),
    (6, '"fail"', '"XXfailXX"'),
    (8, "score < 90", "score <= 90"),
    (8, "90", "91"),
    (9, '"pass"', '"XXpassXX"'),
    (11, '"A"', '"XXAXX"'),
}


def _statuses(mutation: MutationOutcome | None) -> dict[tuple[int, str, str], MutantStatus]:
    assert mutation is not None
    return {(m.line, m.original, m.mutated): m.status for m in mutation.mutants}


def _grade(run_java: RunJava, tests: str, options: RunOptions, **more: object) -> RunOutcome:
    return run_java(
        GRADE, tests, module_file="Grade.java", test_file="GradeTest.java", options=options, **more
    )


def _options(*, reruns: int = 1, max_mutants: int | None = None, seed: int = 0) -> RunOptions:
    return RunOptions(
        reruns=reruns, test_timeout_s=5.0, max_mutants=max_mutants, mutation_seed=seed
    )


def test_strong_tests_kill_every_mutant_at_the_first_failing_invocation(
    run_java: RunJava,
) -> None:
    outcome = _grade(run_java, STRONG_TESTS, _options())
    mutation = outcome.mutation
    assert _statuses(mutation) == dict.fromkeys(GRADE_MUTANTS, KILLED)
    assert mutation is not None
    assert mutation.score == 1.0
    assert outcome.integrity.ok
    by_change = {(m.original, m.mutated): m for m in mutation.mutants}
    # the invocations run in order and the first that fails kills: 50 is "fail" under `<=`
    grades = "GradeTest::grades(int, java.lang.String)"
    assert by_change["score < 50", "score <= 50"].killed_by == f"{grades}[3]"
    assert by_change["score < 90", "score <= 90"].killed_by == f"{grades}[5]"
    # a mutant on line 8 runs only the invocations that reached line 8 (scores from 50 on)
    assert by_change["score < 90", "score <= 90"].tests_run == 4
    assert by_change["score < 50", "score <= 50"].tests_run == 6
    assert any("compiled 7 mutants" in note and "(1 JVM)" in note for note in mutation.notes)


def test_weak_tests_leave_the_boundaries_alive_and_the_score_says_so(
    java_home: Path, bwrap: Sandbox, tmp_path: Path
) -> None:
    module = tmp_path / "Grade.java"
    module.write_text(_dedent(GRADE), encoding="utf-8")
    source = SourceUnit(
        path=str(module),
        code=module.read_text(encoding="utf-8"),
        module_name="Grade",
        package=("school",),
        language=Language.JAVA,
    )
    tests = GeneratedTests(code=_dedent(WEAK_TESTS), filename="GradeTest.java")
    settings = Settings(run=RunSettings(reruns=1, test_timeout_s=5.0))
    result = evaluate(source, tests, settings=settings, sandbox=bwrap)
    metric = result.metrics["mutation_score"]
    survivors = {
        (m["line"], m["original"], m["mutated"]) for m in metric.details["surviving_mutants"]
    }
    # no test tells 49 from 50 or 89 from 90: the boundary and number mutants live
    assert survivors == {
        (5, "score < 50", "score <= 50"),
        (5, "50", "51"),
        (8, "score < 90", "score <= 90"),
        (8, "90", "91"),
    }
    assert (metric.details["killed"], metric.details["survived"]) == (3, 4)
    assert metric.value == 3 / 7
    assert result.integrity.ok


STOCK = """
    package shop;

    public class Stock {
        static final String PREFIX = "item-";
        static int next = 100;

        public static String label(int n) {
            return PREFIX + n;
        }

        public static int take() {
            return next++;
        }

        public static long total(long n) {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += i;
            }
            return sum;
        }

        public static int firstNegative(int[] xs) {
            int i = 0;
            while (true) {
                if (xs[i] < 0) {
                    return i;
                }
                i++;
            }
        }

        public static int bonus(int x) {
            return x + 1;
        }

        public static int unused(int x) {
            return x * 2;
        }
    }
"""

STOCK_TESTS = """
    package shop;

    import static org.junit.jupiter.api.Assertions.assertEquals;

    import org.junit.jupiter.api.Test;

    class StockTest {
        @Test
        void labels() {
            assertEquals("item-7", Stock.label(7));
        }

        @Test
        void takesInOrder() {
            assertEquals(100, Stock.take());
            assertEquals(101, Stock.take());
        }

        @Test
        void totals() {
            assertEquals(6L, Stock.total(4));
        }

        @Test
        void findsNegative() {
            assertEquals(1, Stock.firstNegative(new int[] {5, -1}));
        }

        @Test
        void flaky() {
            int seen = Integer.getInteger("atg.flaky", 0);
            System.setProperty("atg.flaky", String.valueOf(seen + 1));
            assertEquals(4, Stock.bonus(3));
            assertEquals(0, seen % 2, "passes in the first run only");
        }
    }
"""

STOCK_VERDICTS = {
    # a constant: javac copies it where it is used, so it runs against every passing test
    (4, '"item-"', '"XXitem-XX"'): KILLED,
    # a static field's initializer: a fresh class loader per mutant runs it again
    (5, "100", "101"): KILLED,
    # `-` on a String: javac refuses it
    (8, "PREFIX + n", "PREFIX - n"): ERROR,
    (12, "next++", "next--"): KILLED,
    (16, "0", "1"): KILLED,
    (17, "0", "1"): SURVIVED,  # equivalent: adding 0 changes no sum
    (17, "i < n", "i <= n"): KILLED,
    (17, "i++", "i--"): TIMEOUT,  # counts down from 0: 2^63 steps
    (18, "sum += i", "sum -= i"): KILLED,  # after the timeout, in the same JVM
    (24, "0", "1"): SURVIVED,
    (25, "true", "false"): ERROR,  # the loop's body becomes unreachable: javac refuses it
    (26, "xs[i] < 0", "xs[i] <= 0"): SURVIVED,
    (26, "0", "1"): SURVIVED,
    (29, "i++", "i--"): KILLED,
    # covered by a flaky test only: it judges no mutant
    (34, "x + 1", "x - 1"): NO_COVERAGE,
    (34, "1", "2"): NO_COVERAGE,
    # no test calls it
    (38, "x * 2", "x / 2"): NO_COVERAGE,
    (38, "2", "3"): NO_COVERAGE,
}


def test_timeouts_compile_errors_import_time_and_uncovered_mutants(run_java: RunJava) -> None:
    outcome = run_java(
        STOCK, STOCK_TESTS, module_file="Stock.java", test_file="StockTest.java", options=_options()
    )
    assert outcome.flaky_nodeids() == {"StockTest::flaky()"}
    mutation = outcome.mutation
    assert _statuses(mutation) == STOCK_VERDICTS
    assert mutation is not None
    by_change = {(m.line, m.original, m.mutated): m for m in mutation.mutants}
    looping = by_change[17, "i++", "i--"]
    assert looping.killed_by == "StockTest::totals()"
    # 10 times totals()'s own time plus the allowance, not test_timeout_s
    assert 1.9 < looping.duration_s < 4.0
    assert by_change[4, '"item-"', '"XXitem-XX"'].import_time
    assert by_change[4, '"item-"', '"XXitem-XX"'].tests_run == 4  # every passing, steady test
    assert by_change[5, "100", "101"].killed_by == "StockTest::takesInOrder()"
    # killed + timeouts over killed + timeouts + survivors, counted by hand from the table
    assert mutation.score == (6 + 1 + 1) / (6 + 1 + 1 + 4)
    notes = " | ".join(mutation.notes)
    assert "2 of 14 mutants do not compile" in notes
    assert "bad operand types" in notes
    assert "(1 JVM)" in notes
    assert outcome.integrity.ok


STUBBORN_TESTS = STOCK_TESTS.replace(
    """            assertEquals(6L, Stock.total(4));
""",
    """            long sum = 0;
            while (true) {
                try {
                    sum = Stock.total(4);
                    break;
                } catch (Throwable stopped) {
                    // swallows what Thread.stop throws, and loops on
                }
            }
            assertEquals(6L, sum);
""",
)


def test_a_mutant_whose_threads_will_not_stop_ends_the_jvm_and_a_new_one_goes_on(
    run_java: RunJava,
) -> None:
    outcome = run_java(
        STOCK,
        STUBBORN_TESTS,
        module_file="Stock.java",
        test_file="StockTest.java",
        options=_options(reruns=0),
    )
    mutation = outcome.mutation
    verdicts = _statuses(mutation)
    assert verdicts[17, "i++", "i--"] == TIMEOUT
    assert verdicts[18, "sum += i", "sum -= i"] == KILLED
    assert verdicts[29, "i++", "i--"] == KILLED
    assert mutation is not None
    assert any("(2 JVMs)" in note for note in mutation.notes)


@dataclass
class _DiesOnce:
    """bubblewrap, except that the first mutation JVM seems to die after its second mutant."""

    inner: Sandbox
    timed_out: bool = False
    name: str = "bwrap"
    died: bool = False

    def execute(
        self,
        cmd: Sequence[str],
        workdir: Path,
        limits: Limits,
        *,
        env: Mapping[str, str],
        readonly_paths: Sequence[Path] = (),
        sealed: bool = False,
    ) -> Completed:
        completed = self.inner.execute(
            cmd, workdir, limits, env=env, readonly_paths=readonly_paths, sealed=sealed
        )
        if MUTATION_CLASS in cmd and not self.died:
            self.died = True
            # one record a line: the control's and the first two mutants'
            kept = "".join(completed.stdout.splitlines(keepends=True)[:3])
            return replace(completed, stdout=kept, returncode=-9, timed_out=self.timed_out)
        return completed


@pytest.mark.parametrize(("timed_out", "verdict"), [(False, ERROR), (True, TIMEOUT)])
def test_when_the_mutation_jvm_dies_a_new_one_runs_the_remaining_mutants(
    run_java: RunJava, bwrap: Sandbox, timed_out: bool, verdict: MutantStatus
) -> None:
    sandbox = _DiesOnce(bwrap, timed_out=timed_out)
    outcome = _grade(run_java, STRONG_TESTS, _options(reruns=0), sandbox=sandbox)
    mutation = outcome.mutation
    assert mutation is not None
    ordered = sorted(mutation.mutants, key=lambda m: m.id)
    # the third was running when the JVM died: an error (not counted), or a timeout when the
    # JVM ran past the time its mutants' limits add up to; the rest ran in another JVM
    assert [m.status for m in ordered] == [KILLED, KILLED, verdict, KILLED, KILLED, KILLED, KILLED]
    assert mutation.score == 1.0
    notes = " | ".join(mutation.notes)
    assert f"while it ran mutant {ordered[2].id} ({verdict.value})" in notes
    assert "(2 JVMs)" in notes


def test_max_mutants_runs_a_sample_drawn_with_the_seed(run_java: RunJava) -> None:
    options = _options(reruns=0, max_mutants=3, seed=11)
    outcome = _grade(run_java, STRONG_TESTS, options)
    mutation = outcome.mutation
    assert mutation is not None
    drawn = random.Random(11).sample(text_mutants(_dedent(GRADE), Language.JAVA), 3)
    assert {m.id for m in mutation.mutants if m.status != MutantStatus.NOT_SAMPLED} == {
        m.id for m in drawn
    }
    assert mutation.count(KILLED) == 3
    assert mutation.count(MutantStatus.NOT_SAMPLED) == 4
    assert (mutation.sampled, mutation.seed) == (True, 11)
    assert any("compiled 3 mutants" in note for note in mutation.notes)


def test_a_test_that_fails_only_outside_measurement_judges_no_mutant_and_is_reported(
    run_java: RunJava,
) -> None:
    tests = """
        package school;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import org.junit.jupiter.api.Test;

        class GradeTest {
            @Test
            void fails() {
                assertEquals("fail", Grade.grade(10));
            }

            @Test
            void passesOnlyWhenMeasured() throws Exception {
                Class.forName("org.jacoco.agent.rt.RT"); // JaCoCo's agent: the measured run only
                assertEquals("pass", Grade.grade(70));
            }
        }
    """
    outcome = _grade(run_java, tests, _options())
    assert not outcome.integrity.ok
    assert [f.kind for f in outcome.integrity.findings] == ["mutation-differential"]
    assert "GradeTest::passesOnlyWhenMeasured()" in outcome.integrity.findings[0].detail
    verdicts = _statuses(outcome.mutation)
    # lines 8 and 9 only that test reached: no test is left to judge their mutants
    assert verdicts[8, "score < 90", "score <= 90"] == ERROR
    assert verdicts[9, '"pass"', '"XXpassXX"'] == ERROR
    assert verdicts[6, '"fail"', '"XXfailXX"'] == KILLED


def _dedent(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def test_the_records_follow_the_key_and_other_text_on_the_channel_is_stray() -> None:
    key = "k3y"
    printed = f'{key}{{"control": {{}}}}\n{key}{{"id": 1, "status": "killed"}}\n'
    records = [{"control": {}}, {"id": 1, "status": "killed"}]
    assert keyed_records(printed, key) == (records, False)
    assert keyed_records("forged\n" + printed, key) == (records, True)
    # a JVM that died while printing cut its last record short: left out, and no stray text
    assert keyed_records(printed + f'{key}{{"id": 2, "sta', key) == (records, False)
    assert keyed_records(f'{key}{{"id": 2, "sta' + printed, key) == (records, True)


def _mutant(line: int, end_line: int | None = None, *, import_time: bool = False) -> TextMutant:
    return TextMutant(
        id=1, operator="number", start=0, end=1, original="1", mutated="2", line=line, col=0,
        end_line=end_line or line, end_col=1, import_time=import_time,
    )  # fmt: skip


def test_each_mutant_is_judged_by_the_tests_that_ran_its_lines() -> None:
    first = TestResult(nodeid="T::first()", outcome=TestOutcome.PASSED, duration_s=0, lines=(5, 6))
    other = TestResult(nodeid="T::other()", outcome=TestOutcome.PASSED, duration_s=0, lines=(9,))
    passing, executed, code = [first, other], {5, 6, 9}, {5, 6, 9, 12}
    assert _covering_tests(_mutant(6), passing, executed, code) == [first]
    # a span over two lines: the tests of either
    assert _covering_tests(_mutant(6, 9), passing, executed, code) == [first, other]
    # a `case` label has no code: the tests of the line with code before it
    assert _covering_tests(_mutant(7), passing, executed, code) == [first]
    assert _covering_tests(_mutant(12), passing, executed, code) == []
    # a static initializer that ran: every passing test; one that did not: none
    assert _covering_tests(_mutant(9, import_time=True), passing, executed, code) == passing
    assert _covering_tests(_mutant(12, import_time=True), passing, executed, code) == []
    # a constant: javac copies it where it is used, the line has no code of its own
    assert _covering_tests(_mutant(2, import_time=True), passing, executed, code) == passing


def test_verdicts_a_test_forges_on_the_channel_are_caught(run_java: RunJava) -> None:
    # test code shares the JVM: it can read the key and print verdicts of its own, but the
    # harness prints its records too, and a mutant with two verdicts is seen
    tests = """
        package school;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import java.io.FileDescriptor;
        import java.io.FileInputStream;
        import java.io.FileOutputStream;
        import java.io.InputStream;
        import java.io.PrintStream;
        import java.util.Properties;
        import org.junit.jupiter.api.Test;

        class GradeTest {
            @Test
            void forges() throws Exception {
                String[] command = System.getProperty("sun.java.command").split(" ");
                Properties config = new Properties();
                try (InputStream in = new FileInputStream(command[command.length - 1])) {
                    config.load(in);
                }
                if (config.getProperty("mutants") != null) {
                    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out));
                    for (int id = 1; id <= 7; id++) {
                        out.print(config.getProperty("key") + "{\\"id\\": " + id
                                + ", \\"status\\": \\"killed\\"}\\n");
                    }
                    out.flush();
                }
                assertEquals("pass", Grade.grade(70));
            }
        }
    """
    outcome = _grade(run_java, tests, _options(reruns=0))
    assert not outcome.integrity.ok
    assert [f.kind for f in outcome.integrity.findings] == ["channel"]
