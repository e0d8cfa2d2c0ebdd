"""Hostile JavaScript tests are contained by bubblewrap and recorded; the other tests still run."""

from __future__ import annotations

import os
import time
import uuid
import warnings
from pathlib import Path

import pytest

from agentic_testgen.domain import TestOutcome
from agentic_testgen.sandbox import Limits, WeakSandboxWarning, get_sandbox
from tests.languages.javascript.conftest import RunJs, outcomes, result

MODULE = "exports.double = (x) => 2 * x;\n"
GOOD = """
const { test } = require('node:test');
const assert = require('node:assert');
const { double } = require('./calc');

test('doubles', () => assert.strictEqual(double(2), 4));
"""


def test_the_network_is_unreachable(run_js: RunJs) -> None:
    tests = (
        GOOD
        + """
    const net = require('node:net');
    test('connects out', async () => {
      await new Promise((resolve, reject) => {
        const socket = net.connect({ host: '1.1.1.1', port: 53 }, resolve);
        socket.on('error', reject);
      });
    });
    test('fetches', async () => { await fetch('https://example.com/'); });
    """
    )
    outcome = run_js(MODULE, tests)
    assert outcomes(outcome) == {
        "doubles": TestOutcome.PASSED,
        "connects out": TestOutcome.FAILED,
        "fetches": TestOutcome.FAILED,
    }
    assert "ENETUNREACH" in (result(outcome, "connects out").failure or "")
    assert "fetch failed" in (result(outcome, "fetches").failure or "")


def test_writes_outside_the_workspace_change_nothing_on_the_host(
    run_js: RunJs, tmp_path: Path
) -> None:
    in_tmp = Path("/tmp") / f"atg-escape-{uuid.uuid4().hex}"
    in_home = Path.home() / f"atg-escape-{uuid.uuid4().hex}"
    in_project = tmp_path / "outside.txt"
    tests = (
        GOOD
        + f"""
    const fs = require('node:fs');
    test('writes to /tmp', () => fs.writeFileSync({str(in_tmp)!r}, 'pwned'));
    test('writes to the home directory', () => fs.writeFileSync({str(in_home)!r}, 'pwned'));
    test('writes next to the project', () => fs.writeFileSync({str(in_project)!r}, 'pwned'));
    test('writes to /etc', () => fs.writeFileSync('/etc/atg-was-here', 'pwned'));
    test('writes to its module', () => fs.writeFileSync(require.resolve('./calc'), 'pwned'));
    """
    )
    outcome = run_js(MODULE, tests)
    got = outcomes(outcome)
    assert got["doubles"] == TestOutcome.PASSED
    # /tmp is the sandbox's own; the rest is out of reach (or read-only)
    assert got["writes to /tmp"] == TestOutcome.PASSED
    for name in ("home directory", "project", "/etc", "its module"):
        key = next(key for key in got if name in key)
        assert got[key] == TestOutcome.FAILED, key
    for path in (in_tmp, in_home, in_project, Path("/etc/atg-was-here")):
        assert not path.exists()
    assert outcome.coverage is not None and outcome.coverage.covered_lines == 1


def test_secrets_of_the_host_are_invisible(
    run_js: RunJs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "id_ed25519"
    secret.write_text("PRIVATE KEY")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-for-tests")
    tests = (
        GOOD
        + f"""
    const fs = require('node:fs');
    test('cannot read the key file', () => assert.ok(!fs.existsSync({str(secret)!r})));
    test('cannot see api keys', () => assert.ok(!('OPENAI_API_KEY' in process.env)));
    test('runs as nobody', () => assert.strictEqual(process.getuid(), 65534));
    """
    )
    assert set(outcomes(run_js(MODULE, tests)).values()) == {TestOutcome.PASSED}


def test_a_shell_runs_only_inside_the_sandbox(run_js: RunJs, tmp_path: Path) -> None:
    target = tmp_path / "from-shell.txt"
    tests = (
        GOOD
        + f"""
    const {{ spawnSync }} = require('node:child_process');
    test('shells out', () => {{
      const done = spawnSync('sh', ['-c', 'echo pwned > {target} && echo wrote; id -u'], {{
        encoding: 'utf8',
      }});
      assert.strictEqual(done.stdout.trim(), '65534');  // nobody, and the write failed
    }});
    """
    )
    outcome = run_js(MODULE, tests)
    assert outcomes(outcome) == {"doubles": TestOutcome.PASSED, "shells out": TestOutcome.PASSED}
    assert not target.exists()


def test_a_fork_bomb_is_stopped_by_the_process_limit(run_js: RunJs) -> None:
    tests = (
        GOOD
        + """
    const { spawnSync } = require('node:child_process');
    test('forks without end', () => {
      spawnSync('sh', ['-c', 'bomb() { bomb | bomb & }; bomb; sleep 2'], { timeout: 4000 });
    });
    test('still doubles', () => assert.strictEqual(double(3), 6));
    """
    )
    outcome = run_js(MODULE, tests, timeout=8.0, limits=Limits(max_pids=64))
    got = outcomes(outcome)
    assert got["doubles"] == TestOutcome.PASSED
    assert got["still doubles"] == TestOutcome.PASSED
    assert got["forks without end"] in {TestOutcome.PASSED, TestOutcome.TIMEOUT}
    assert any("process limit" in note for note in outcome.notes), outcome.notes


def test_an_infinite_loop_is_stopped_and_the_rest_is_measured(run_js: RunJs) -> None:
    tests = GOOD + "\ntest('spins', () => { for (;;) {} });\n"
    outcome = run_js(MODULE, tests, timeout=1.0, reruns=1)
    assert outcomes(outcome) == {"doubles": TestOutcome.PASSED, "spins": TestOutcome.TIMEOUT}
    assert outcome.reruns == (
        {"test_calc.js::doubles": TestOutcome.PASSED, "test_calc.js::spins": TestOutcome.TIMEOUT},
    )
    assert outcome.coverage is not None and outcome.coverage.covered_lines == 1


def test_unbounded_allocation_is_recorded_against_its_test(run_js: RunJs) -> None:
    tests = (
        GOOD
        + """
    test('eats memory', () => {
      const hoard = [];
      for (;;) hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));
    });
    test('after the feast', () => assert.strictEqual(double(5), 10));
    """
    )
    outcome = run_js(MODULE, tests, timeout=20.0, limits=Limits(memory_mb=400))
    got = outcomes(outcome)
    assert got["doubles"] == TestOutcome.PASSED and got["after the feast"] == TestOutcome.PASSED
    assert got["eats memory"] in {TestOutcome.KILLED, TestOutcome.FAILED}


def test_a_test_that_ends_its_process_is_recorded_and_the_rest_run(run_js: RunJs) -> None:
    tests = (
        GOOD
        + """
    test('exits', () => process.exit(3));
    test('after the exit', () => assert.strictEqual(double(1), 2));
    """
    )
    outcome = run_js(MODULE, tests)
    assert outcomes(outcome) == {
        "doubles": TestOutcome.PASSED,
        "exits": TestOutcome.KILLED,
        "after the exit": TestOutcome.PASSED,
    }
    assert "exit status 3" in (result(outcome, "exits").failure or "")


def test_writing_the_report_channel_is_flagged(run_js: RunJs) -> None:
    tests = (
        GOOD
        + """
    const fs = require('node:fs');
    test('writes where the harness reports', () => {
      fs.writeFileSync(`/proc/${process.ppid}/fd/1`, 'all tests passed\\n');
    });
    """
    )
    outcome = run_js(MODULE, tests)
    assert not outcome.integrity.ok
    assert {finding.kind for finding in outcome.integrity.findings} == {"channel"}


def test_forged_coverage_is_flagged(run_js: RunJs) -> None:
    tests = (
        GOOD
        + """
    const fs = require('node:fs');
    test('claims more coverage', () => {
      const functions = [{ functionName: '', isBlockCoverage: true,
        ranges: [{ startOffset: 0, endOffset: 100000, count: 1 }] }];
      const forged = { type: 'window', id: 'doubles', ids: ['doubles'], functions };
      fs.writeSync(3, JSON.stringify(forged) + '\\n');
    });
    """
    )
    outcome = run_js(MODULE, tests)
    assert not outcome.integrity.ok
    assert [finding.kind for finding in outcome.integrity.findings] == ["coverage-forged"]


def test_the_hosts_node_options_do_not_reach_the_tests(
    run_js: RunJs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Even without a sandbox (`none` passes the host's environment on)."""
    monkeypatch.setenv("NODE_OPTIONS", "--require /nonexistent/hook.js")
    monkeypatch.setenv("NODE_V8_COVERAGE", str(tmp_path / "stray"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakSandboxWarning)
        unsandboxed = get_sandbox("none")
    tests = GOOD + "test('sees no options', () => assert.ok(!process.env.NODE_OPTIONS));\n"
    outcome = run_js(MODULE, tests, using=unsandboxed)
    assert set(outcomes(outcome).values()) == {TestOutcome.PASSED}
    assert outcome.coverage is not None
    assert not (tmp_path / "stray").exists()
    assert os.environ["NODE_OPTIONS"]  # the host's own environment is untouched


@pytest.mark.slow
def test_a_test_file_that_hangs_while_loading_is_stopped(run_js: RunJs) -> None:
    tests = "const { test } = require('node:test');\ntest('never runs', () => {});\nfor (;;) {}\n"
    start = time.monotonic()
    outcome = run_js(MODULE, tests, timeout=1.0, reruns=3)
    assert time.monotonic() - start < 20  # stopped once, not again in every later run
    assert outcome.tests == () and outcome.coverage is None
    (error,) = outcome.collection_errors
    assert "without progress outside any test" in error.message
    assert any("later runs" in note for note in outcome.notes)
