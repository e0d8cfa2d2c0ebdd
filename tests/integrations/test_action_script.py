"""The GitHub Action's own `Run atg` step, run here with bash as the runner would run it (the
other steps are GitHub's: setting up Python, apt, uploading), on real files and a real dataset."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.integrations.calc_project import MODULE, STRONG, WEAK

ROOT = Path(__file__).resolve().parents[2]


def run_step(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The step's script with its `env:` filled from `inputs` as GitHub would."""
    steps: list[dict[str, Any]] = yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
    (step,) = [s for s in steps if s.get("id") == "atg"]
    assert step["shell"] == "bash"
    output = tmp_path / "github_output"
    values = {"fail-under": "0.7", "args": "", "source": "", "tests": "", "dataset": ""}
    values.update({key.replace("_", "-"): value for key, value in inputs.items()})
    env = {**os.environ, "GITHUB_OUTPUT": str(output),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}  # fmt: skip
    for name, expression in step["env"].items():
        key = expression.removeprefix("${{ ").removesuffix(" }}")
        env[name] = (
            str(tmp_path / "runner-temp" / "atg-report")
            if name == "REPORT_DIR"
            else values[key.removeprefix("inputs.")]
        )
    completed = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    return completed, Path(env["REPORT_DIR"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "calc.py").write_text(MODULE)
    (tmp_path / "test_strong.py").write_text(STRONG)
    (tmp_path / "test_weak.py").write_text(WEAK)
    return tmp_path


def test_one_file_passes_the_gate_and_leaves_its_json_report(project: Path) -> None:
    done, reports = run_step(project, source="calc.py", tests="test_strong.py",
                             args="--reruns 0 --no-mutation")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (reports / "result.json").is_file()
    assert (project / "github_output").read_text() == f"report-dir={reports}\n"


def test_weak_tests_fail_the_gate(project: Path) -> None:
    done, _ = run_step(project, source="calc.py", tests="test_weak.py",
                       args="--reruns 0 --no-mutation")  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "below --fail-under 0.7" in done.stdout + done.stderr


def test_without_inputs_the_step_says_what_to_give(project: Path) -> None:
    done, _ = run_step(project)
    assert done.returncode == 2
    assert "::error::atg action: give either dataset, or both source and tests" in done.stdout


@pytest.mark.slow
def test_a_dataset_runs_as_a_suite_and_its_html_report_is_collected(project: Path) -> None:
    done, reports = run_step(project, dataset="synthetic-simple", fail_under="",
                             args="--reruns 0 --no-mutation --jobs 2")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted({p.suffix for p in reports.iterdir() if p.is_file()}) == [".html", ".json"]
