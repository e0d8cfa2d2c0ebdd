"""Structured logs: JSON lines with trace ids and scrubbed secrets; console lines on a terminal."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from agentic_testgen.guardrails import find, scrub
from agentic_testgen.observability import tracing
from agentic_testgen.observability.logs import configure_logging, get_logger
from tests.evals.test_runner import DATASET


@pytest.fixture
def json_logs(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    monkeypatch.setenv("ATG_LOG_LEVEL", "INFO")
    monkeypatch.setenv("ATG_LOG_FORMAT", "json")
    stream = io.StringIO()
    configure_logging(stream)
    return stream


def test_a_json_line_carries_the_trace_ids_and_no_secret(json_logs: io.StringIO) -> None:
    tracing.configure_tracing()
    with tracing.span("work") as current:
        get_logger("test").info(
            "calling with key sk-ant-api03-abcdefghijklmnopqrstuvwxyz for bob@northwind-mail.net",
            extra={"url": "postgresql://atg:hunter2secret@db/evals", "tokens": 12},
        )
        context = current.get_span_context()
    line = json.loads(json_logs.getvalue().splitlines()[-1])
    assert line["message"] == "calling with key [REDACTED:anthropic_key] for [REDACTED:email]"
    assert line["url"] == "postgresql://atg:[REDACTED:connection_string]@db/evals"
    assert line["tokens"] == 12
    assert (line["level"], line["logger"]) == ("info", "agentic_testgen.test")
    assert line["trace_id"] == f"{context.trace_id:032x}"
    assert line["span_id"] == f"{context.span_id:016x}"


def test_on_a_terminal_logs_are_console_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATG_LOG_LEVEL", "INFO")
    monkeypatch.setenv("ATG_LOG_FORMAT", "auto")
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as terminal:
        configure_logging(terminal)
        get_logger("test").info("suite finished for alice@contoso-mail.org")
        terminal.flush()
        shown = re.sub(r"\x1b\[[0-9;]*m", "", os.read(leader, 4096).decode())
    os.close(leader)
    assert "suite finished for [REDACTED:email]" in shown
    assert "{" not in shown and "INFO" in shown


def test_bad_log_settings_are_one_line_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATG_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="ATG_LOG_FORMAT='xml': use auto, json or console"):
        configure_logging(io.StringIO())


def test_worker_processes_log_json_lines_of_the_same_trace(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(DATASET)
    env = {**os.environ, "ATG_RUN__RERUNS": "1", "ATG_RUN__MUTATION": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "agentic_testgen", "--log-level", "INFO", "--log-format", "json",
         "eval", "run", "--dataset", str(tmp_path / "tiny.yaml"), "--workspace",
         str(tmp_path / "evals"), "--jobs", "2", "--no-reports"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert messages[0] == "suite started" and messages[-1] == "suite finished"
    assert messages.count("entry evaluated") == 2 and messages.count("entry failed") == 1
    assert len({line["trace_id"] for line in lines}) == 1


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("AKIAZ3MHQ7VR2KXPLW4D and ghp_" + "a1B2" * 9, ["aws_key", "github_token"]),
        ("AKIAIOSFODNN7EXAMPLE", []),  # the key AWS's documentation uses
        ("card 4111 1111 1111 1111, not 4111 1111 1111 1112", ["credit_card"]),
        ("ssn 123-45-6789, phone +1 415-555-2671", ["us_ssn", "phone"]),
        ('password = "hunter2Xq9!long"', ["password"]),
        ('password = "correct horse"', []),  # words: the value is judged, not the name
        ("token=abc", []),  # too short to be a secret
        ('api_key: "s3cr3t-value"', ["password"]),
        ("coverage 0.93 in 12.5 s, suite_20261126_182045_cc7317, 2026-11-26 18:20", []),
    ],
)
def test_scrubbers_find_secrets_and_pii_and_leave_figures_alone(
    text: str, names: list[str]
) -> None:
    assert [finding.kind for finding in find(text)] == names
    assert ("[REDACTED:" in scrub(text)) == bool(names)


def test_a_log_file_holds_only_json_lines_and_stderr_no_log_line(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(DATASET)
    log_file = tmp_path / "atg.jsonl"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ATG_LOG")}
    done = subprocess.run(
        [sys.executable, "-m", "agentic_testgen", "--log-level", "INFO", "--log-file",
         str(log_file), "eval", "run", "--dataset", str(tmp_path / "tiny.yaml"), "--workspace",
         str(tmp_path / "evals"), "--reruns", "0", "--no-mutation", "--no-reports", "--jobs", "2"],
        env=environment, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    messages = {record["message"] for record in records}
    assert {"suite started", "entry evaluated", "suite finished"} <= messages
    assert not any(line.startswith("{") for line in done.stderr.splitlines())
