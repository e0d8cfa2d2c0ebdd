"""A Java class and its JUnit tests evaluated end to end: a full `EvalResult` comes out."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import Language, TestOutcome
from agentic_testgen.evals import evaluate_files
from agentic_testgen.sandbox import get_sandbox

MODULE = """package shop;

public class Discount {
    public static int apply(int price, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent out of range");
        }
        return price - price * percent / 100;
    }
}
"""

TESTS = """package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DiscountTest {
    @Test
    void takesTenPercentOff() {
        assertEquals(90, Discount.apply(100, 10));
    }

    @Test
    void rejectsMoreThanEverything() {
        assertThrows(IllegalArgumentException.class, () -> Discount.apply(100, 101));
    }
}
"""


def test_evaluate_a_java_class_end_to_end(java_home: Path, tmp_path: Path) -> None:
    module = tmp_path / "src" / "shop" / "Discount.java"
    tests = tmp_path / "test" / "shop" / "DiscountTest.java"
    for path, text in ((module, MODULE), (tests, TESTS)):
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    settings = Settings(run=RunSettings(reruns=2, test_timeout_s=5.0, mutation=False))
    result = evaluate_files(module, tests, settings=settings, sandbox=get_sandbox("bwrap"))
    assert result.language == Language.JAVA
    assert result.sandbox == "bwrap"
    assert result.syntax_error is None
    assert {(t.nodeid, t.outcome, t.reached_module, t.flaky) for t in result.tests} == {
        ("DiscountTest::takesTenPercentOff()", TestOutcome.PASSED, True, False),
        ("DiscountTest::rejectsMoreThanEverything()", TestOutcome.PASSED, True, False),
    }
    coverage = result.metrics["coverage"]
    assert coverage.details["num_statements"] == 4
    assert coverage.details["covered_lines"] == 3
    assert result.integrity.ok
    assert 0.0 < result.score <= 1.0
    assert result.reruns == 2
