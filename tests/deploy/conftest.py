"""The rendered stack in a temporary folder, and the real tools that check and run it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from agentic_testgen.deploy import DeployTarget, render

# tool -> the Debian package `make test` installs it from
PACKAGES = {
    "promtool": "prometheus",
    "prometheus": "prometheus",
    "amtool": "prometheus-alertmanager",
    "prometheus-alertmanager": "prometheus-alertmanager",
}


def tool(name: str) -> str:
    """The path of a real tool; a missing one fails the test (it is never skipped)."""
    found = shutil.which(name)
    assert found, f"{name} is not installed: apt-get install {PACKAGES[name]} (`make test` does)"
    return found


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool(command[0]), *command[1:]],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    """The stack rendered with the default settings."""
    out = tmp_path / "deploy"
    render(DeployTarget(), out)
    return out
