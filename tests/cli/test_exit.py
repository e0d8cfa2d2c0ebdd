"""`atg` ends without the interpreter's teardown, but after its exit handlers and output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
from agentic_testgen.cli import main

marker = Path(sys.argv[1])
atexit.register(lambda: marker.write_text("exit handlers ran"))
if sys.argv[2] == "worker":  # a thread still at work: the ordinary exit waits for it
    late = marker.with_suffix(".thread")
    threading.Thread(target=lambda: (time.sleep(0.3), late.touch())).start()
sys.stdout.write("buffered, not yet flushed")
sys.argv = ["atg", *sys.argv[3:]]
main()
"""


def run(tmp_path: Path, mode: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "marker"), mode, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_command_ends_with_its_status_its_output_and_its_exit_handlers(tmp_path: Path) -> None:
    done = run(tmp_path, "alone", "--help")
    assert done.returncode == 0
    assert done.stdout.startswith("buffered, not yet flushed") and "Usage: atg" in done.stdout
    assert (tmp_path / "marker").read_text() == "exit handlers ran"
    failed = run(tmp_path, "alone", "eval", "file", "-s", "missing.py", "-t", "missing.py")
    assert failed.returncode == 2
    assert "missing.py" in failed.stderr


def test_a_thread_still_at_work_is_waited_for(tmp_path: Path) -> None:
    done = run(tmp_path, "worker", "--help")
    assert done.returncode == 0
    assert (tmp_path / "marker.thread").exists()
    assert (tmp_path / "marker").read_text() == "exit handlers ran"
