"""jest and vitest test files through the JavaScript adapter: real jest 30 and vitest 4 from the
tool home, in the bubblewrap sandbox; figures compared with the tools' own coverage reports."""

from __future__ import annotations

import json
import subprocess
import textwrap
import uuid
from pathlib import Path

import pytest

from agentic_testgen.domain import MutantStatus, TestOutcome
from agentic_testgen.languages.javascript._node_tools import find_node
from tests.languages.javascript.conftest import RunJs, outcomes, result

FRAMEWORKS = pytest.mark.parametrize("framework", ["jest", "vitest"])

CALC = """
function add(a, b) {
  return a + b;
}

function sign(n) {
  if (n < 0) {
    return -1;
  }
  return n === 0 ? 0 : 1;
}

module.exports = { add, sign };
"""

# the module as each framework's users import it: jest (CommonJS) requires, vitest imports
IMPORT = {
    "jest": "const { add, sign } = require('./calc');\n",
    "vitest": "import { add, sign } from './calc.js';\n",
}

CALC_TESTS = """
test('adds', () => {
  expect(add(2, 3)).toBe(5);
});

test('adds wrongly', () => {
  expect(add(2, 2)).toBe(5);
});

describe('sign', () => {
  it('of a negative number', () => {
    expect(sign(-4)).toBe(-1);
  });
  it.skip('of zero, skipped', () => {
    expect(sign(0)).toBe(0);
  });
  it.todo('of NaN');
});

test('never calls the module', () => {
  expect(true).toBe(true);
});
"""


def _with_import(framework: str, body: str) -> str:
    return IMPORT[framework] + textwrap.dedent(body)


@FRAMEWORKS
def test_each_test_gets_the_runners_own_verdict(run_js: RunJs, framework: str) -> None:
    outcome = run_js(
        CALC, _with_import(framework, CALC_TESTS), tests="calc.test.js", framework=framework
    )
    assert outcomes(outcome) == {
        "adds": TestOutcome.PASSED,
        "adds wrongly": TestOutcome.FAILED,
        "sign > of a negative number": TestOutcome.PASSED,
        "sign > of zero, skipped": TestOutcome.SKIPPED,
        "sign > of NaN": TestOutcome.SKIPPED,
        "never calls the module": TestOutcome.PASSED,
    }
    failure = result(outcome, "adds wrongly").failure or ""
    assert failure.startswith("at calc.test.js:8:") and "5" in failure and "4" in failure
    assert f"tests run with {framework} (asked for)" in outcome.notes
    assert outcome.integrity.ok and not outcome.collection_errors


def _tool_summary(framework: str, node_tools: Path, folder: Path) -> dict[str, dict[str, int]]:
    """The tool's own coverage summary of calc.js, from its plain command line (no atg)."""
    node = str(find_node())
    modules = node_tools / "node_modules"
    if framework == "jest":
        # the module runs untransformed in atg's runs; the test file's transform does not matter
        config = {"rootDir": str(folder), "transform": {}, "testMatch": ["**/calc.test.js"]}
        command = [
            node, "--experimental-vm-modules", str(modules / "jest/bin/jest.js"),
            "--config", json.dumps(config), "--ci", "--coverage", "--coverageProvider=v8",
            "--collectCoverageFrom=calc.js", "--coverageReporters=json-summary",
        ]  # fmt: skip
    else:
        command = [
            node, str(modules / "vitest/vitest.mjs"), "run", "--root", str(folder), "--globals",
            "--coverage.enabled", "--coverage.provider=v8", "--coverage.include=calc.js",
            "--coverage.reporter=json-summary", "--coverage.reportOnFailure",
        ]  # fmt: skip
    subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    summary = json.loads((folder / "coverage" / "coverage-summary.json").read_text())
    return summary[str(folder / "calc.js")]


@FRAMEWORKS
def test_totals_are_the_tools_own_coverage_and_each_test_has_its_lines(
    run_js: RunJs, node_tools: Path, tmp_path: Path, framework: str
) -> None:
    tests = _with_import(framework, CALC_TESTS)
    outcome = run_js(CALC, tests, tests="calc.test.js", framework=framework)
    coverage = outcome.coverage
    assert coverage is not None and outcome.integrity.ok, outcome.notes
    (tmp_path / "calc.js").write_text(textwrap.dedent(CALC).lstrip("\n"))
    (tmp_path / "calc.test.js").write_text(tests)
    own = _tool_summary(framework, node_tools, tmp_path)
    assert (coverage.num_statements, coverage.covered_lines) == (
        own["lines"]["total"],
        own["lines"]["covered"],
    )
    assert (coverage.num_branches, coverage.covered_branches) == (
        own["branches"]["total"],
        own["branches"]["covered"],
    )
    assert coverage.covered_branches < coverage.num_branches  # sign(0) and sign(1) never ran
    assert result(outcome, "never calls the module").lines == ()
    assert 2 in result(outcome, "adds").lines
    negative = result(outcome, "sign > of a negative number")
    assert negative.lines and 2 not in negative.lines
    assert set(negative.lines) <= set(coverage.executed_lines)
    assert negative.branches and set(negative.branches) <= set(coverage.executed_branches)


@FRAMEWORKS
def test_a_flaky_test_changes_its_verdict_between_runs(run_js: RunJs, framework: str) -> None:
    tests = """
    const fs = require('node:fs');
    test('steady', () => expect(add(1, 1)).toBe(2));
    test('fails every other run', () => {
      let runs = 0;
      try { runs = Number(fs.readFileSync('runs.txt', 'utf8')); } catch {}
      fs.writeFileSync('runs.txt', String(runs + 1));
      expect(runs % 2).toBe(0);
    });
    """
    if framework == "vitest":
        tests = tests.replace("const fs = require('node:fs');", "import fs from 'node:fs';")
    outcome = run_js(
        CALC, _with_import(framework, tests), reruns=3, parallel=1, framework=framework
    )
    flaky = "test_calc.js::fails every other run"
    assert outcome.flaky_nodeids() == {flaky}
    assert [rerun[flaky] for rerun in outcome.reruns] == [
        TestOutcome.FAILED,
        TestOutcome.PASSED,
        TestOutcome.FAILED,
    ]


@FRAMEWORKS
def test_tests_past_their_time_limit_time_out_and_the_rest_is_measured(
    run_js: RunJs, framework: str
) -> None:
    tests = """
    test('before', () => expect(add(1, 2)).toBe(3));
    test('awaits forever', async () => { await new Promise(() => {}); });
    test('loops forever', () => { while (true) {} });
    test('after', () => expect(sign(-1)).toBe(-1));
    """
    outcome = run_js(
        CALC, _with_import(framework, tests), timeout=1.0, reruns=1, framework=framework
    )
    assert outcomes(outcome) == {
        "before": TestOutcome.PASSED,
        "awaits forever": TestOutcome.TIMEOUT,
        "loops forever": TestOutcome.TIMEOUT,
        "after": TestOutcome.PASSED,
    }
    assert "stopped" in (result(outcome, "loops forever").failure or "")
    assert result(outcome, "after").lines
    assert outcome.reruns[0]["test_calc.js::after"] == TestOutcome.PASSED
    assert outcome.coverage is not None


@FRAMEWORKS
def test_hostile_tests_are_contained(run_js: RunJs, framework: str, tmp_path: Path) -> None:
    outside = tmp_path / f"escaped-{uuid.uuid4().hex}"
    home = Path.home() / f"atg-escape-{uuid.uuid4().hex}"
    tests = f"""
    const fs = require('node:fs');
    const net = require('node:net');
    const {{ spawnSync }} = require('node:child_process');
    test('adds', () => expect(add(2, 2)).toBe(4));
    test('connects out', async () => {{
      await new Promise((resolve, reject) => {{
        const socket = net.connect({{ host: '1.1.1.1', port: 53 }}, resolve);
        socket.on('error', reject);
      }});
    }});
    test('writes outside', () => fs.writeFileSync({str(outside)!r}, 'pwned'));
    test('writes home', () => fs.writeFileSync({str(home)!r}, 'pwned'));
    test('shells out', () => {{
      const script = 'echo pwned > {outside}.sh; id -u';
      const done = spawnSync('sh', ['-c', script], {{ encoding: 'utf8' }});
      expect(done.stdout.trim()).toBe('65534');
    }});
    """
    if framework == "vitest":
        tests = tests.replace("const fs = require('node:fs');", "import fs from 'node:fs';")
        tests = tests.replace("const net = require('node:net');", "import net from 'node:net';")
        tests = tests.replace(
            "const { spawnSync } = require('node:child_process');",
            "import { spawnSync } from 'node:child_process';",
        )
    outcome = run_js(CALC, _with_import(framework, tests), framework=framework)
    assert outcomes(outcome) == {
        "adds": TestOutcome.PASSED,
        "connects out": TestOutcome.FAILED,
        "writes outside": TestOutcome.FAILED,
        "writes home": TestOutcome.FAILED,
        "shells out": TestOutcome.PASSED,
    }
    assert not outside.exists() and not home.exists()
    assert not Path(f"{outside}.sh").exists()
    assert outcome.integrity.ok


@FRAMEWORKS
def test_a_test_file_that_cannot_load_is_a_collection_error(run_js: RunJs, framework: str) -> None:
    tests = "import './missing.js';\n" if framework == "vitest" else "require('./missing');\n"
    outcome = run_js(CALC, tests + "test('never runs', () => {});\n", framework=framework)
    assert outcome.tests == ()
    (error,) = outcome.collection_errors
    assert "missing" in error.message


@FRAMEWORKS
def test_mutants_run_with_the_tests_framework(run_js: RunJs, framework: str) -> None:
    tests = """
    test('adds', () => expect(add(2, 3)).toBe(5));
    test('negative sign', () => expect(sign(-4)).toBe(-1));
    """
    outcome = run_js(
        CALC, _with_import(framework, tests), reruns=1, framework=framework, mutation=True
    )
    assert outcome.mutation is not None
    by_line: dict[int, set[MutantStatus]] = {}
    for mutant in outcome.mutation.mutants:
        by_line.setdefault(mutant.line, set()).add(mutant.status)
    assert by_line[2] == {MutantStatus.KILLED}  # a + b: every mutant changes add(2, 3)
    assert MutantStatus.NO_COVERAGE in by_line[9]  # n === 0 ? 0 : 1: never reached
    killers = {m.killed_by for m in outcome.mutation.mutants if m.status == MutantStatus.KILLED}
    assert killers <= {"test_calc.js::adds", "test_calc.js::negative sign"}
    assert outcome.mutation.score is not None and 0 < outcome.mutation.score <= 1


SIGN = """
function sign(x) {
  if (x > 0) return 1;
  if (x < 0) return -1;
  return 0;
}

module.exports = { sign };
"""

# the same tests in each framework; node:test's per-test coverage is the reference
SIGN_TESTS = {
    "jest": "const { sign } = require('./calc');\n",
    "vitest": "import { sign } from './calc.js';\n",
    "node": (
        "const { test } = require('node:test');\n"
        "const { sign } = require('./calc');\n"
        "const assert = require('node:assert');\n"
        "const expect = (value) => ({ toBe: (want) => assert.strictEqual(value, want) });\n"
    ),
}
SIGN_CASES = """
test('negative', () => { expect(sign(-3)).toBe(-1); });
test('positive', () => { expect(sign(3)).toBe(1); });
test('zero', () => { expect(sign(0)).toBe(0); });
"""


@FRAMEWORKS
def test_every_test_of_a_file_has_its_own_lines_and_branches(run_js: RunJs, framework: str) -> None:
    """Not only the first test of the file: reading the module's text once must not cost the
    later windows V8's block counts (they then held only `sign`'s call, all of it run)."""
    names = ("negative", "positive", "zero")
    outcome = run_js(
        SIGN, SIGN_TESTS[framework] + SIGN_CASES, tests="calc.test.js", framework=framework
    )
    node = run_js(SIGN, SIGN_TESTS["node"] + SIGN_CASES, tests="calc.test.js", framework="node")
    assert outcome.coverage is not None and node.coverage is not None
    assert outcome.integrity.ok and node.integrity.ok, (outcome.notes, node.notes)
    assert set(outcomes(outcome).values()) == set(outcomes(node).values()) == {TestOutcome.PASSED}
    reference = {name: result(node, name).lines for name in names}
    assert reference == {"negative": (1, 2, 3), "positive": (1, 2), "zero": (1, 2, 3, 4)}
    # vitest's lines are those holding statements (not line 1, the function's declaration)
    counted = set(outcome.coverage.executed_lines) | set(outcome.coverage.missing_lines)
    assert {name: result(outcome, name).lines for name in names} == {
        name: tuple(line for line in lines if line in counted) for name, lines in reference.items()
    }
    branches = {name: set(result(outcome, name).branches) for name in names}
    if framework == "jest":  # V8's block ranges, as node:test's (vitest's are syntax nodes)
        assert branches == {name: set(result(node, name).branches) for name in names}
    else:  # the if on line 2 (then, else) and on line 3; sign(3) returns at the first
        assert branches == {
            "negative": {(2, 1), (3, 0)},
            "positive": {(2, 0)},
            "zero": {(2, 1), (3, 1)},
        }
