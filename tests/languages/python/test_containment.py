"""Hostile tests are contained by the sandbox and recorded; the other tests are still measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import EvalResult, TestOutcome
from tests.conftest import Evaluate

MODULE = "def double(x):\n    return 2 * x\n"
GOOD_TEST = """
from calc import double


def test_double_of_two():
    assert double(2) == 4
"""


def outcomes(result: EvalResult) -> dict[str, TestOutcome]:
    return {test.nodeid.split("::")[1]: test.outcome for test in result.tests}


def test_a_test_that_loops_forever_times_out_and_the_rest_is_measured(
    evaluate_project: Evaluate,
) -> None:
    tests = GOOD_TEST + "\n\ndef test_loops_forever():\n    while True:\n        pass\n"
    result = evaluate_project(MODULE, tests)
    assert outcomes(result) == {
        "test_double_of_two": TestOutcome.PASSED,
        "test_loops_forever": TestOutcome.TIMEOUT,
    }
    assert result.metrics["coverage"].value == 1.0
    assert not any(test.flaky for test in result.tests)


@pytest.mark.slow
def test_a_hang_the_alarm_cannot_interrupt_is_killed_by_the_watchdog(
    evaluate_project: Evaluate,
) -> None:
    tests = GOOD_TEST + (
        "\n\ndef test_blocks_every_signal():\n"
        "    import signal, time\n"
        "    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n"
        "    while True:\n"
        "        time.sleep(0.1)\n"
    )
    settings = Settings(run=RunSettings(reruns=1, test_timeout_s=1.0))
    result = evaluate_project(MODULE, tests, run_settings=settings)
    assert outcomes(result) == {
        "test_double_of_two": TestOutcome.PASSED,
        "test_blocks_every_signal": TestOutcome.TIMEOUT,
    }
    assert any("test_blocks_every_signal: timeout" in note for note in result.notes)


def test_a_fork_bomb_is_stopped_by_the_process_limit(evaluate_project: Evaluate) -> None:
    tests = GOOD_TEST + (
        "\n\ndef test_forks_without_end():\n"
        "    import os, time\n"
        "    while True:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(60)\n"
        "            os._exit(0)\n"
    )
    result = evaluate_project(MODULE, tests)
    got = outcomes(result)
    assert got["test_double_of_two"] == TestOutcome.PASSED
    assert got["test_forks_without_end"] == TestOutcome.FAILED
    fork_bomb = next(t for t in result.tests if t.nodeid.endswith("test_forks_without_end"))
    assert "BlockingIOError" in (fork_bomb.failure or "")
    assert any("process limit" in note for note in result.notes)


def test_unbounded_allocation_is_killed_at_the_memory_limit(evaluate_project: Evaluate) -> None:
    tests = GOOD_TEST + (
        "\n\ndef test_eats_memory():\n"
        "    hoard = []\n"
        "    while True:\n"
        "        hoard.append(bytearray(16 * 1024 * 1024))\n"
    )
    settings = Settings(run=RunSettings(reruns=1, test_timeout_s=20.0, memory_mb=300))
    result = evaluate_project(MODULE, tests, run_settings=settings)
    got = outcomes(result)
    assert got["test_double_of_two"] == TestOutcome.PASSED
    assert got["test_eats_memory"] in {TestOutcome.KILLED, TestOutcome.FAILED}
    assert any("memory limit" in note for note in result.notes)


def test_network_is_unreachable_from_a_test(evaluate_project: Evaluate) -> None:
    tests = GOOD_TEST + (
        "\n\ndef test_calls_out():\n"
        "    import socket\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
    )
    result = evaluate_project(MODULE, tests)
    calls_out = next(t for t in result.tests if t.nodeid.endswith("test_calls_out"))
    assert calls_out.outcome == TestOutcome.FAILED
    assert "unreachable" in (calls_out.failure or "").lower()
    network = [f for f in result.metrics["determinism"].details["static_findings"]]
    assert network == [
        {
            "test": "test_calls_out",
            "line": 10,
            "kind": "network",
            "call": "socket.create_connection",
        }
    ]


def test_writes_outside_the_workspace_fail_and_change_nothing(
    evaluate_project: Evaluate, tmp_path: Path
) -> None:
    target = tmp_path / "outside.txt"
    tests = GOOD_TEST + (
        "\n\ndef test_writes_to_the_host():\n"
        f"    open({str(target)!r}, 'w').write('pwned')\n"
        "\n\ndef test_writes_to_etc():\n"
        "    open('/etc/atg-was-here', 'w').write('pwned')\n"
    )
    result = evaluate_project(MODULE, tests)
    got = outcomes(result)
    assert got["test_writes_to_the_host"] == TestOutcome.FAILED
    assert got["test_writes_to_etc"] == TestOutcome.FAILED
    assert not target.exists()
    assert not Path("/etc/atg-was-here").exists()


def test_secrets_on_the_host_are_invisible_to_tests(
    evaluate_project: Evaluate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "dot-ssh" / "id_ed25519"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-for-tests")
    tests = GOOD_TEST + (
        "\n\ndef test_cannot_read_the_key_file():\n"
        "    import pathlib\n"
        f"    assert not pathlib.Path({str(secret)!r}).exists()\n"
        "    assert not pathlib.Path('~/.ssh').expanduser().exists()\n"
        "\n\ndef test_cannot_see_api_keys():\n"
        "    import os\n"
        "    assert 'OPENAI_API_KEY' not in os.environ\n"
    )
    result = evaluate_project(MODULE, tests)
    assert set(outcomes(result).values()) == {TestOutcome.PASSED}


def test_a_test_that_kills_its_own_process_is_recorded(evaluate_project: Evaluate) -> None:
    tests = GOOD_TEST + "\n\ndef test_exits_hard():\n    import os\n    os._exit(3)\n"
    result = evaluate_project(MODULE, tests)
    got = outcomes(result)
    assert got == {"test_double_of_two": TestOutcome.PASSED, "test_exits_hard": TestOutcome.KILLED}
    exits_hard = next(t for t in result.tests if t.nodeid.endswith("test_exits_hard"))
    assert "exited with status 3" in (exits_hard.failure or "")


def test_a_test_that_floods_its_output_fails_at_the_file_size_limit(
    evaluate_project: Evaluate,
) -> None:
    tests = GOOD_TEST + (
        "\n\ndef test_prints_forever():\n    while True:\n        print('spam' * 1000)\n"
    )
    result = evaluate_project(MODULE, tests)
    got = outcomes(result)
    assert got == {
        "test_double_of_two": TestOutcome.PASSED,
        "test_prints_forever": TestOutcome.FAILED,
    }
    flood = next(t for t in result.tests if t.nodeid.endswith("test_prints_forever"))
    assert "File too large" in (flood.failure or "")
