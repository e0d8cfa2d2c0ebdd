"""The adapter's file coverage equals what the real c8 reports for the same module and tests."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from agentic_testgen.domain import FileCoverage, RunOutcome
from agentic_testgen.languages.javascript._coverage import file_coverage
from agentic_testgen.languages.javascript._node_tools import find_node
from tests.languages.javascript.conftest import RunJs, result

BRANCHY = """
'use strict';
// many kinds of blocks V8 counts
const LIMIT = 10;

function classify(n) {
  if (n < 0) {
    return 'negative';
  } else if (n === 0) {
    return 'zero';
  }
  return n > LIMIT ? 'big' : 'small';
}

function sum(list, start = 0) {
  let total = start;
  for (const x of list) {
    if (typeof x !== 'number') continue;
    total += x;
  }
  return total;
}

function outer(flag) {
  function inner(v) {
    return v * 2;
  }
  const never = () => 'never';
  return (flag && inner(3)) || never.length;
}

class Stack {
  constructor() { this.items = []; }
  push(x) { this.items.push(x); return this; }
  pop() {
    if (this.items.length === 0) throw new Error('empty');
    return this.items.pop();
  }
  get size() { return this.items.length; }
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  } finally {
    void 0;
  }
}

function kind(x) {
  switch (typeof x) {
    case 'string': return 's';
    case 'number': return 'n';
    default: return '?';
  }
}

async function later(v) {
  await null;
  return v ?? 'none';
}

/* c8 ignore next 3 */
function ignored() {
  return 'ignored';
}

function unused() {
  return 'unused';
}

module.exports = { classify, sum, outer, Stack, parse, kind, later, ignored, unused };
"""

BRANCHY_TESTS = """
const { test, describe, it } = require('node:test');
const assert = require('node:assert');
const m = require('./branchy');

test('classifies', () => {
  assert.equal(m.classify(-1), 'negative');
  assert.equal(m.classify(50), 'big');
});
test('zero', () => assert.equal(m.classify(0), 'zero'));
test('sums', () => assert.equal(m.sum([1, 'a', 2]), 3));
describe('stack', () => {
  it('pushes', () => { assert.equal(new m.Stack().push(1).size, 1); });
  it('refuses to pop when empty', () => { assert.throws(() => new m.Stack().pop()); });
});
test('parses', () => assert.equal(m.parse('{'), null));
test('kinds', () => { m.kind('a'); m.kind(1); });
test('waits', async () => assert.equal(await m.later(null), 'none'));
test('outer', () => assert.equal(m.outer(false), 0));
test('asserts nothing about the module', () => assert.ok(true));
"""

ESM = """
export const twice = (x) => x * 2;

export function pick(list, index = 0) {
  if (!Array.isArray(list)) {
    throw new TypeError('not a list');
  }
  return list.length > index ? list[index] : undefined;
}

export default class Counter {
  #count = 0;
  add(step = 1) {
    this.#count += step;
    return this;
  }
  get value() {
    return this.#count;
  }
}
"""

ESM_TESTS = """
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Counter, { pick, twice } from './counter.mjs';

test('twice', () => assert.equal(twice(2), 4));
test('picks', () => assert.equal(pick([7, 8], 1), 8));
test('picks past the end', () => assert.equal(pick([], 3), undefined));
test('counts', () => assert.equal(new Counter().add().add(2).value, 3));
"""


def c8_report(
    node_tools: Path, folder: Path, files: dict[str, str], tests: str
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Run the real c8 on the tests (`node <tests>`) and return, for the module (the first
    file), c8's json-summary entry, its istanbul json entry, and c8's text table."""
    folder.mkdir()
    for name, code in files.items():
        (folder / name).write_text(textwrap.dedent(code).lstrip("\n"))
    reports = folder / "c8-reports"
    completed = subprocess.run(
        [
            str(node_tools / "node_modules" / ".bin" / "c8"),
            "--reporter=json",
            "--reporter=json-summary",
            "--reporter=text",
            f"--reports-dir={reports}",
            f"--temp-directory={folder / 'c8-tmp'}",
            str(find_node()),
            tests,
        ],
        cwd=folder,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(folder), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    module = str(folder / next(iter(files)))
    summary = json.loads((reports / "coverage-summary.json").read_text())
    final = json.loads((reports / "coverage-final.json").read_text())
    assert module in summary, completed.stdout + completed.stderr
    table = completed.stdout[completed.stdout.index("----") :]
    return summary[module], final[module], table


def assert_equals_c8(outcome: RunOutcome, summary: dict[str, Any], data: dict[str, Any]) -> None:
    measured = outcome.coverage
    assert measured is not None
    assert (measured.num_statements, measured.covered_lines) == (
        summary["lines"]["total"],
        summary["lines"]["covered"],
    )
    assert (measured.num_branches, measured.covered_branches) == (
        summary["branches"]["total"],
        summary["branches"]["covered"],
    )
    covered = summary["lines"]["covered"] + summary["branches"]["covered"]
    total = summary["lines"]["total"] + summary["branches"]["total"]
    assert measured.percent_covered == pytest.approx(100.0 * covered / total)
    # the same lines and the same branches, not only the same counts
    assert measured == file_coverage(data)[0]


@pytest.mark.parametrize("tests_name", ["test_branchy.js", "branchy.test.cjs"])
def test_commonjs_coverage_equals_c8s(
    run_js: RunJs, node_tools: Path, tmp_path: Path, tests_name: str
) -> None:
    summary, data, table = c8_report(
        node_tools, tmp_path / "c8", {"branchy.js": BRANCHY, tests_name: BRANCHY_TESTS}, tests_name
    )
    outcome = run_js(BRANCHY, BRANCHY_TESTS, module="branchy.js", tests=tests_name, reruns=1)
    assert_equals_c8(outcome, summary, data)
    print(f"\nc8 {summary}\n{table}adapter {outcome.coverage}")  # the figures, for the record
    assert result(outcome, "asserts nothing about the module").lines == ()
    zero = result(outcome, "zero")
    assert zero.lines == (5, 6, 8, 9)  # `return 'zero'` (9), not `return 'negative'` (7)
    executed = set(outcome.coverage.executed_lines) if outcome.coverage else set()
    for test in outcome.tests:
        assert set(test.lines) <= executed


def test_es_module_coverage_equals_c8s(run_js: RunJs, node_tools: Path, tmp_path: Path) -> None:
    summary, data, _ = c8_report(
        node_tools, tmp_path / "c8", {"counter.mjs": ESM, "counter.test.mjs": ESM_TESTS},
        "counter.test.mjs",
    )  # fmt: skip
    outcome = run_js(ESM, ESM_TESTS, module="counter.mjs", tests="counter.test.mjs", reruns=1)
    assert_equals_c8(outcome, summary, data)
    assert result(outcome, "twice").lines == (1,)
    assert 6 not in result(outcome, "picks").lines  # the throw never ran
    assert outcome.coverage is not None and 6 in outcome.coverage.missing_lines


def test_coverage_of_a_module_no_test_loads_is_none(run_js: RunJs) -> None:
    outcome = run_js("exports.f = () => 1;\n", "require('node:test')('alone', () => {});\n")
    assert outcome.coverage is None
    assert result(outcome, "alone").lines == ()


def test_file_coverage_reads_istanbul_data_as_c8_summarizes_it() -> None:
    def loc(line: int, start: int, end: int) -> dict[str, dict[str, int]]:
        return {"start": {"line": line, "column": start}, "end": {"line": line, "column": end}}

    data = {
        "statementMap": {"0": loc(1, 0, 9), "1": loc(2, 0, 9), "2": loc(3, 0, 9)},
        "s": {"0": 1, "1": 0, "2": 4},
        "branchMap": {
            "0": {"loc": loc(1, 0, 30), "locations": [loc(1, 0, 30)]},
            "1": {"loc": loc(3, 8, 9), "locations": [loc(3, 8, 9)]},
            "2": {"loc": loc(3, 2, 5), "locations": [loc(3, 2, 5)]},
        },
        "b": {"0": [1], "1": [0], "2": [3]},
    }
    measured, names = file_coverage(data)
    assert measured == FileCoverage(
        num_statements=3,
        covered_lines=2,
        num_branches=3,
        covered_branches=2,
        percent_covered=100.0 * 4 / 6,
        executed_lines=(1, 3),
        missing_lines=(2,),
        executed_branches=((1, 0), (3, 0)),
        missing_branches=((3, 1),),
    )
    # branches on one line are numbered by where they start
    assert names == {("0", 0): (1, 0), ("2", 0): (3, 0), ("1", 0): (3, 1)}
