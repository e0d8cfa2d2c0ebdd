"""The suite runner end to end: real entries, parallel workers, resume after SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from agentic_testgen.config import Settings
from agentic_testgen.evals.runner import EvalRunner
from agentic_testgen.storage import ResultStore
from tests.conftest import WriteProject

DATASET = """
name: tiny
entries:
  - id: tiny/double
    module_name: double
    source_code: |
      def double(x):
          return 2 * x
    reference_tests_code: |
      from double import double
      def test_double_of_two():
          assert double(2) == 4
  - id: tiny/negate
    module_name: negate
    source_code: |
      def negate(x):
          if x == 0:
              return 0
          return -x
    reference_tests_code: |
      from negate import negate
      def test_negate_positive_number():
          assert negate(3) == -3
  - id: tiny/untested
    module_name: untested
    source_code: |
      def nothing():
          return None
"""


def test_a_suite_stores_every_entry_and_records_failures(
    write_project: WriteProject, settings: Settings
) -> None:
    root = write_project({"tiny.yaml": DATASET})
    runner = EvalRunner(root / "evals", settings=settings)
    outcome = runner.run_full_evaluation(str(root / "tiny.yaml"), jobs=2, reports=False)
    results = {r.entry_id: r for r in outcome.results}
    assert set(results) == {"tiny/double", "tiny/negate", "tiny/untested"}
    assert results["tiny/double"].score is not None
    assert results["tiny/negate"].metrics["coverage"] < 1.0
    assert results["tiny/untested"].status == "failed"
    assert results["tiny/untested"].errors == ("tiny/untested: the entry has no reference tests",)
    suite = outcome.suite
    assert (suite.status, suite.total_evals, suite.failed_evals) == ("completed", 3, 1)
    assert suite.dataset_hash is not None and suite.dataset_hash.startswith("sha256:")
    assert runner.storage.count("test_outcomes") == 2


def test_resume_finishes_only_the_missing_entries(
    write_project: WriteProject, settings: Settings
) -> None:
    root = write_project({"tiny.yaml": DATASET})
    runner = EvalRunner(root / "evals", settings=settings)
    dataset = runner.load(str(root / "tiny.yaml"))
    # an interrupted suite: started, one entry stored, never finished
    first = runner.storage.start_suite(
        "test_quality", dataset="tiny", dataset_hash=dataset.content_hash, planned_entries=3
    )
    from agentic_testgen.evals.runner import evaluate_entry

    outcome = evaluate_entry(dataset.entries[0], settings, "reference")
    runner._store(first.id, outcome)
    suite, already = runner.run_suite(dataset, jobs=1, resume=True)
    assert suite.id == first.id
    assert already == 1
    assert suite.total_evals == 3
    assert runner.storage.count("suite_results") == 3


def _count(database: Path, suite_id: str | None = None) -> int:
    if not database.exists():
        return 0
    store = ResultStore(f"sqlite:///{database}")
    suites = store.suites(limit=1)
    return len(store.completed_entries(suite_id or suites[-1].id)) if suites else 0


@pytest.mark.slow
def test_a_suite_killed_halfway_and_resumed_ends_complete_without_duplicates(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "evals"
    command = [
        sys.executable, "-m", "agentic_testgen", "eval", "run", "--dataset", "synthetic-simple",
        "--workspace", str(workspace), "--jobs", "1", "--reruns", "1", "--no-reports",
        "--no-regression-check", "--no-mutation", "--evaluators", "none",
    ]  # fmt: skip
    env = {**os.environ, "COLUMNS": "120"}
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    database = workspace / "evals.db"
    deadline = time.monotonic() + 120
    while _count(database) < 4 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    interrupted = _count(database)
    assert 4 <= interrupted < 10
    resumed = subprocess.run(
        [*command, "--resume"], env=env, capture_output=True, text=True, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{interrupted} entries already done" in resumed.stderr
    store = ResultStore(f"sqlite:///{database}")
    (suite,) = store.suites()
    assert suite.status == "completed"
    assert suite.total_evals == 10
    assert store.count("suite_results") == 10
    assert store.count("eval_results") == 10


def test_the_agent_generator_stores_its_llm_calls_with_the_suite(
    write_project: WriteProject, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.generation.fake_provider import fake_provider, openai_reply

    dataset = (
        "entries:\n  - id: tiny/double\n    module_name: double\n    source_code: |\n"
        "      def double(x):\n          return 2 * x\n"
    )
    root = write_project({"tiny.yaml": dataset})
    answer = (
        "```python\nfrom double import double\n\ndef test_double():\n    assert double(2) == 4\n```"
    )
    with fake_provider(openai_reply(answer, tokens=(300, 40))) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("ATG_LLM_MODEL", "openai/gpt-4o-mini")
        runner = EvalRunner(root / "evals", settings=settings)
        outcome = runner.run_full_evaluation(
            str(root / "tiny.yaml"), generator="agent", jobs=1, reports=False
        )
    (result,) = outcome.results
    assert result.metrics["coverage"] == 1.0
    assert runner.storage.count("llm_calls") == 1
    assert result.metadata["agents"]["coder"]["iterations"] == 1
    assert result.metadata["tests_kept"] == 1
    with runner.storage.engine.connect() as connection:
        from sqlalchemy import text

        row = connection.execute(
            text("SELECT provider, model, input_tokens, output_tokens, cost_usd FROM llm_calls")
        ).one()
    assert tuple(row[:4]) == ("openai", "gpt-4o-mini", 300, 40)
    assert row[4] == pytest.approx((300 * 0.15 + 40 * 0.60) / 1e6)


class SpendThenFail:
    """A test source that spends on a model, then fails (a provider outage mid-generation)."""

    name = "spend-then-fail"

    def __init__(self, settings: Settings | None = None) -> None:
        self.last_calls: list[dict[str, object]] = []
        self.last_metadata: dict[str, object] = {}

    def tests_for(self, entry: object) -> object:
        self.last_metadata = {"generator": "agent"}
        self.last_calls = [{"agent": "coder", "provider": "openai", "model": "m",
                            "input_tokens": 500, "output_tokens": 0, "cost_usd": 0.2,
                            "latency_s": 3.0, "status": "error"}]  # fmt: skip
        raise RuntimeError("provider went away")


def test_what_a_failed_generation_spent_is_stored_and_counted(
    write_project: WriteProject, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentic_testgen.evals import _sources

    monkeypatch.setitem(_sources.TEST_SOURCES, "spend-then-fail", SpendThenFail)
    root = write_project({"tiny.yaml": DATASET})
    runner = EvalRunner(root / "evals", settings=settings)
    suite, _ = runner.run_suite(runner.load(str(root / "tiny.yaml")), generator="spend-then-fail",
                                jobs=1)  # fmt: skip
    assert suite.failed_evals == 3
    assert runner.storage.count("llm_calls") == 3
    sums = {(f, labels, field): v for f, labels, field, v in runner.storage.metric_rollups()}
    assert (
        sums[("llm_call_errors_total", (("provider", "openai"), ("status", "error")), "value")] == 3
    )
    assert sums[("test_generation_errors_total", (), "value")] == 3


def _descendants(pid: int) -> set[int]:
    listing = subprocess.run(["ps", "-eo", "pid,ppid"], capture_output=True, text=True, check=True)
    children: dict[int, list[int]] = {}
    for line in listing.stdout.splitlines()[1:]:
        child, parent = (int(field) for field in line.split())
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.slow
def test_killing_the_suite_process_with_sigkill_ends_its_workers_and_sandboxes(
    tmp_path: Path,
) -> None:
    command = [
        sys.executable, "-m", "agentic_testgen", "eval", "run", "--dataset", "synthetic-simple",
        "--workspace", str(tmp_path / "evals"), "--jobs", "2", "--reruns", "1", "--no-reports",
        "--no-regression-check",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    started: set[int] = set()
    while len(started) < 3 and time.monotonic() < deadline:  # workers and a sandbox
        started = _descendants(process.pid)
        time.sleep(0.1)
    assert len(started) >= 3, "the suite never started its workers"
    process.kill()  # SIGKILL to the suite process only, as `kill -9 PID` does
    process.wait()
    deadline = time.monotonic() + 15
    while _alive(started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(started) == set()


@pytest.mark.parametrize("guarded", [False, True])
def test_a_plain_script_runs_a_suite_with_or_without_a_main_guard(
    tmp_path: Path, guarded: bool
) -> None:
    (tmp_path / "tiny.yaml").write_text(DATASET)
    call = (
        "outcome = EvalRunner(Path('evals')).run_full_evaluation("
        "'tiny.yaml', jobs=2, reports=False)\nprint('score', outcome.suite.overall_score)\n"
    )
    body = "if __name__ == '__main__':\n    " + call.replace("\n", "\n    ") if guarded else call
    script = tmp_path / "run_suite.py"
    header = "from pathlib import Path\n\nfrom agentic_testgen import EvalRunner\n\n"
    script.write_text(header + body)
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
        timeout=300, check=False, env={**os.environ, "ATG_RUN__RERUNS": "0"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "score 1.0" in done.stdout or "score 0." in done.stdout
    assert ("one entry at a time" in done.stderr) is not guarded


def test_the_agents_final_measurement_is_stored_without_a_second_run(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from agentic_testgen.config import RunSettings
    from agentic_testgen.datasets import load_dataset
    from agentic_testgen.domain import GeneratedTests
    from agentic_testgen.evals import evaluate
    from agentic_testgen.languages.python._adapter import PythonAdapter
    from tests.generation.fake_provider import fake_provider, openai_reply

    measured: list[str] = []  # the test files run, in order
    real_run = PythonAdapter.run

    def counting_run(self: PythonAdapter, source: Any, tests: Any, *args: Any) -> Any:
        measured.append(tests.code)
        return real_run(self, source, tests, *args)

    monkeypatch.setattr(PythonAdapter, "run", counting_run)
    root = write_project({"tiny.yaml": DATASET.split("  - id: tiny/untested", maxsplit=1)[0]})
    answers = [
        "```python\nfrom double import double\n\n"
        "def test_double():\n    assert double(2) == 4\n```",
        "```python\nfrom negate import negate\n\n"
        "def test_negate_zero():\n    assert negate(0) == 0\n\n"
        "def test_negate_three():\n    assert negate(3) == -3\n```",
    ]
    settings = Settings(run=RunSettings(reruns=2, test_timeout_s=3.0, parallel=1, mutation=True))
    with fake_provider(*(openai_reply(answer) for answer in answers)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("ATG_LLM_MODEL", "openai/gpt-4o-mini")
        runner = EvalRunner(root / "evals", settings=settings)
        outcome = runner.run_full_evaluation(
            str(root / "tiny.yaml"), generator="agent", jobs=1, reports=False
        )
    monkeypatch.setattr(PythonAdapter, "run", real_run)
    entries = {entry.id: entry for entry in load_dataset(str(root / "tiny.yaml")).entries}
    assert len(outcome.results) == 2
    for stored in outcome.results:
        (written,) = [
            code for code in set(measured)
            if hashlib.sha256(code.encode()).hexdigest() == stored.metadata["tests_sha256"]
        ]  # fmt: skip
        # generation ends by measuring the file as written; the runner does not run it again
        assert measured.count(written) == 1
        assert stored.metadata["measured_by"] == "generator"
        source = entries[stored.entry_id].source
        tests = GeneratedTests(code=written, filename=f"test_{source.module_name}.py")
        alone = evaluate(source, tests, settings)
        assert stored.metrics == pytest.approx(
            {name: metric.value for name, metric in alone.metrics.items()}
        )
        assert stored.score == pytest.approx(alone.score)
