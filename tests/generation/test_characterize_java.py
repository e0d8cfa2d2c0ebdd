"""The Java characterization probe on built-in classes, run by the real Java adapter: its tests
compile, pass on the class they describe, fail on a changed class, and are chosen by coverage."""

from __future__ import annotations

import re

import pytest

from agentic_testgen.datasets import load_dataset
from agentic_testgen.domain import SourceUnit, TestOutcome
from agentic_testgen.evals.metrics import Coverage
from agentic_testgen.generation.characterize import ProbeError, _java, characterize
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.languages.java import install_java_tools
from agentic_testgen.sandbox import get_sandbox

ENTRIES = {entry.id: entry for entry in load_dataset("java").entries}
QUICK = RunOptions(reruns=0, test_timeout_s=5.0, mutation=False)


@pytest.fixture(scope="module", autouse=True)
def _java_tools() -> None:
    install_java_tools(say=lambda _: None)


def _run(source: SourceUnit, cases: list[_java.Case]) -> list[TestOutcome]:
    tests = _java.render(source, cases)
    outcome = get_adapter("java").run(source, tests, get_sandbox("bwrap"), QUICK)
    assert outcome.syntax_error is None, outcome.syntax_error
    return [test.outcome for test in outcome.tests]


@pytest.mark.parametrize("entry_id", ["java/Clamp", "java/LruCache", "java/Money"])
def test_characterization_tests_pass_on_the_class_they_describe(entry_id: str) -> None:
    source = ENTRIES[entry_id].source
    cases = _java.cases(_java.probe(source, get_sandbox("bwrap"), seconds=60))
    assert len(cases) >= 10
    outcomes = _run(source, cases)
    assert len(outcomes) == len(cases)
    assert outcomes.count(TestOutcome.PASSED) >= 0.9 * len(cases)


def test_characterization_tests_catch_a_changed_class() -> None:
    source = ENTRIES["java/Clamp"].source
    cases = _java.cases(_java.probe(source, get_sandbox("bwrap"), seconds=60))
    broken = source.model_copy(
        update={
            "code": source.code.replace("Math.floorMod(value - min", "Math.floorMod(value + min")
        }
    )
    assert broken.code != source.code
    assert TestOutcome.FAILED in _run(broken, cases)


def test_the_chosen_tests_keep_the_coverage_of_all_proposed() -> None:
    source = ENTRIES["java/LruCache"].source
    made = characterize(source, get_sandbox("bwrap"), QUICK, seconds=60)
    assert 0 < made.kept < made.proposed
    everything = Coverage().compute(made.candidate, source, made.tests).value
    chosen = Coverage().compute(made.final, source, made.tests).value
    assert chosen >= everything - 0.05
    assert all(test.outcome == TestOutcome.PASSED for test in made.final.tests)


def test_a_class_that_does_not_compile_is_a_one_line_error() -> None:
    source = SourceUnit(
        path="Bad.java", code="public class Bad { int x = ; }\n", module_name="Bad",
        language="java",
    )  # fmt: skip
    with pytest.raises(ProbeError, match=r"Bad\.java:1: error"):
        _java.probe(source, get_sandbox("bwrap"), seconds=60)


GATE = """package demo;

import java.util.function.Predicate;

public final class Gate {
    public static final class Builder {
        private int limit = 1;
        private Predicate<String> allow = who -> true;

        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
            this.limit = limit;
            return this;
        }

        public Builder allow(Predicate<String> allow) {
            this.allow = allow;
            return this;
        }

        public Gate build() {
            return new Gate(this);
        }
    }

    private final int limit;
    private final Predicate<String> allow;
    private int passed;

    private Gate(Builder builder) {
        limit = builder.limit;
        allow = builder.allow;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean pass(String who) {
        if (!allow.test(who)) {
            return false;
        }
        if (passed >= limit) {
            throw new IllegalStateException("the gate is full");
        }
        passed++;
        return true;
    }
}
"""


def test_lambdas_builders_and_later_states_are_reached() -> None:
    source = SourceUnit(
        path="Gate.java", code=GATE, module_name="Gate", language="java", package=("demo",)
    )
    cases = _java.cases(_java.probe(source, get_sandbox("bwrap"), seconds=60))
    bodies = "\n".join(case.body for case in cases)
    # a functional parameter gets lambdas a test can write
    assert "(java.util.function.Predicate) a -> false" in bodies
    # what build() returns is what the next steps call
    assert re.search(r"var instance2 = instance\.build\(\);\n.*instance2\.pass\(", bodies)
    # a sequence goes on after a step throws, so the second pass finds the gate full
    assert '"the gate is full"' in bodies
    outcomes = _run(source, cases)
    assert outcomes.count(TestOutcome.PASSED) == len(cases)
