"""docs/first-ten-minutes.md, run block by block as a new user would, in an empty directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "docs" / "first-ten-minutes.md"


def blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.slow
def test_every_block_of_the_walkthrough_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATG_", "OTEL_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    assert len(blocks()) >= 4
    for block in blocks():
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", block], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        shown = f"{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        assert done.returncode == 0, shown
    assert (tmp_path / "tests" / "test_calc.py").is_file()
    assert (tmp_path / "report" / "calc.html").is_file()
