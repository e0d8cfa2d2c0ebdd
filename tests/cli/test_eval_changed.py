"""`atg eval changed`: the staged test files and modules of a commit, each pair evaluated once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from tests.conftest import WriteProject

PROJECT = {
    "pyproject.toml": "[project]\nname = 'calc'\n[tool.atg.run]\nreruns = 1\n",
    "src/calc/__init__.py": "",
    "src/calc/ops.py": "def add(a, b):\n    return a + b\n",
    "src/calc/lonely.py": "X = 1\n",
    "tests/test_ops.py": "from calc.ops import add\n\n\ndef test_add():\n    add(1, 2)\n",
    "README.md": "calc\n",
}


@pytest.mark.slow
def test_a_changed_module_and_its_test_file_are_one_evaluation(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(PROJECT)
    monkeypatch.chdir(root)
    outcome = CliRunner().invoke(
        app,
        ["eval", "changed", "src/calc/ops.py", "tests/test_ops.py", "src/calc/lonely.py",
         "README.md", "--no-mutation", "--json", "out.json", "--fail-under", "0.99"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert outcome.exit_code == 1, outcome.output  # an assertion-free test scores low
    assert outcome.output.count("evaluating tests/test_ops.py against calc.ops") == 1
    assert "warning: src/calc/lonely.py: no test file imports it; not evaluated" in outcome.output
    assert "is below --fail-under 0.99" in outcome.output
    document = json.loads(Path("out.json").read_text())
    (entry,) = document["evaluations"]
    assert (entry["tests"], entry["source"]) == ("tests/test_ops.py", "src/calc/ops.py")
    assert entry["coverage"] == 1.0 and entry["below_fail_under"] is True


def test_nothing_to_evaluate_is_said_and_succeeds(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project(PROJECT))
    outcome = CliRunner().invoke(app, ["eval", "changed", "README.md", "--fail-under", "0.9"])
    assert outcome.exit_code == 0
    assert "no changed test file or module to evaluate" in outcome.output
