"""`atg ... | head`: a reader that stops early ends the command quietly, with status 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_a_closed_pipe_ends_the_command_quietly_with_status_0(tmp_path: Path) -> None:
    atg = Path(sys.executable).with_name("atg")
    process = subprocess.Popen(
        [str(atg), "eval", "setup", "--workspace", str(tmp_path / "evals")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before atg writes a line
    status = process.wait(timeout=120)
    errors = process.stderr.read().decode()
    assert status == 0, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_a_failed_gate_written_to_dev_null_still_fails(tmp_path: Path) -> None:
    (tmp_path / "calc.py").write_text("def double(x):\n    return 2 * x\n")
    weak = "from calc import double\n\ndef test_runs():\n    double(2)\n"
    (tmp_path / "test_calc.py").write_text(weak)
    atg = Path(sys.executable).with_name("atg")
    status = subprocess.run(
        [str(atg), "eval", "file", "--source", str(tmp_path / "calc.py"),
         "--tests", str(tmp_path / "test_calc.py"), "--reruns", "0", "--no-mutation",
         "--fail-under", "0.9"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300, check=False,
    ).returncode  # fmt: skip
    assert status == 1
