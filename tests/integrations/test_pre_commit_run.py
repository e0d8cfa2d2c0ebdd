"""The pre-commit hook as a user runs it: real pre-commit installs atg from this checkout into
its own environment and runs the hook on a repository's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integrations.calc_project import MODULE, STRONG, WEAK

ROOT = Path(__file__).resolve().parents[2]


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.mark.slow
def test_the_hook_passes_strong_tests_and_fails_weak_ones(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit is a dev dependency: `make setup` installs it"
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    (repo / "calc.py").write_text(MODULE)
    git(repo, "init", "-q")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def hook(tests: str) -> subprocess.CompletedProcess[str]:
        (repo / "tests" / "test_calc.py").write_text(tests)
        git(repo, "add", "-A")
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), "atg-eval", "--verbose",
             "--files", "calc.py", "tests/test_calc.py"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip

    strong = hook(STRONG)
    assert strong.returncode == 0, strong.stdout + strong.stderr
    assert "evaluating tests/test_calc.py against calc" in strong.stdout
    weak = hook(WEAK)
    assert weak.returncode == 1, weak.stdout + weak.stderr
    assert "of test_calc.py (calc) is below --fail-under 0.7" in weak.stdout
