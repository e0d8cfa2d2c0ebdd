"""The GitHub Action, its example workflow and the pre-commit hook: their structure, and every
`atg ...` command in them a command of the CLI with options it has.

They also run: test_pre_commit_run.py runs the hook with real pre-commit, and
test_action_script.py runs the action's own step with bash (GitHub's steps cannot run here).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from agentic_testgen.cli import app

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def check_atg_command(words: list[str]) -> None:
    """`words` (after `atg`) name a command of the CLI and only options it has."""
    # typer vendors its own click: a group is a command with subcommands
    command: Any = typer.main.get_command(app)
    words = list(words)
    while hasattr(command, "commands") and words and not words[0].startswith("-"):
        name = words.pop(0)
        assert name in command.commands, f"atg has no command {name!r}"
        command = command.commands[name]
    assert not hasattr(command, "commands"), f"incomplete atg command: {words}"
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in known, f"atg {command.name} has no option {word}"


def atg_commands(script: str) -> list[list[str]]:
    """The words after `atg` of every line of a shell script that runs atg."""
    return [
        shlex.split(line.strip())[1:] for line in script.splitlines() if re.match(r"\s*atg\s", line)
    ]


def test_the_command_check_rejects_unknown_commands_and_options() -> None:
    check_atg_command(["eval", "file", "--source", "x", "--no-mutation"])
    with pytest.raises(AssertionError, match="no command 'fiel'"):
        check_atg_command(["eval", "fiel"])
    with pytest.raises(AssertionError, match="no option --sauce"):
        check_atg_command(["eval", "file", "--sauce", "x"])


def test_the_action_is_composite_with_its_documented_inputs() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "python-version", "source", "tests", "dataset", "fail-under", "args", "report-name",
    }  # fmt: skip
    for name, spec in action["inputs"].items():
        assert spec["description"], name
        assert spec["required"] is False and "default" in spec, name
    uses = [step["uses"].split("@")[0] for step in action["runs"]["steps"] if "uses" in step]
    assert uses == ["actions/setup-python", "actions/upload-artifact"]
    upload = action["runs"]["steps"][-1]
    assert upload["if"] == "always()"


def test_every_run_step_of_the_action_has_a_shell_and_runs_real_atg_commands() -> None:
    steps = load("action.yml")["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert all("shell" in step for step in steps if "run" in step)
    assert any("apt-get install -y -q bubblewrap" in script for script in scripts)
    assert any('pip install "$ACTION_PATH"' in script for script in scripts)
    commands = [words for script in scripts for words in atg_commands(script)]
    assert [words[:2] for words in commands] == [["eval", "run"], ["eval", "file"]]
    for words in commands:
        check_atg_command(words)


def test_inputs_reach_the_scripts_through_the_environment_only() -> None:
    """An input pasted into a script is a shell injection; through `env:` it is data."""
    for step in load("action.yml")["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_example_workflow_uses_the_action_with_inputs_it_has() -> None:
    inputs = set(load("action.yml")["inputs"])
    workflow = load("examples/github-workflow.yml")
    steps = workflow["jobs"]["atg"]["steps"]
    ours = [step for step in steps if "agentic-testgen" in step.get("uses", "")]
    assert ours, "the example does not use the action"
    for step in ours:
        assert set(step["with"]) <= inputs
        check_atg_command(["eval", "file", *shlex.split(step["with"].get("args", ""))])


def test_the_pre_commit_hooks_run_atg_eval_changed_and_atg_guard_scan() -> None:
    hooks = {hook["id"]: hook for hook in load(".pre-commit-hooks.yaml")}
    assert set(hooks) == {"atg-eval", "atg-guard"}
    hook = hooks["atg-eval"]
    assert hook["language"] == "python"
    assert hook["types"] == ["python"] and hook["pass_filenames"] is True
    entry = shlex.split(hook["entry"])
    assert entry[0] == "atg"
    check_atg_command([*entry[1:], *hook["args"]])
    guard = hooks["atg-guard"]
    assert guard["language"] == "python" and guard["pass_filenames"] is True
    assert shlex.split(guard["entry"])[:3] == ["atg", "guard", "scan"]
    check_atg_command(shlex.split(guard["entry"])[1:])
