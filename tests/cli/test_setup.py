"""`atg setup pynguin`: idempotent, and a failed install is one line and not trusted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.generation.coders import find_pynguin, pynguin_home


def test_setup_pynguin_does_nothing_when_the_environment_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    home = pynguin_home()
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "pynguin").write_text("#!/bin/sh\n")
    (home / ".installed").write_text("pynguin==0.48.0\n")
    result = CliRunner().invoke(app, ["setup", "pynguin"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Pynguin 0.48.0 is already set up in {home}"
    assert home == tmp_path / "atg" / "pynguin-0.48.0"


def test_a_failed_install_is_one_line_and_leaves_no_usable_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = os.environ["PATH"].split(os.pathsep)  # keep bwrap and the rest, not a pynguin
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in path if not Path(p, "pynguin").exists()))
    # pip without an index cannot find Pynguin: the real failure path, with no network
    result = CliRunner().invoke(
        app, ["setup", "pynguin"], env={"COLUMNS": "300", "PIP_NO_INDEX": "1"}
    )
    assert result.exit_code == 2
    assert "creating an environment for Pynguin in" in result.output
    error = result.output.splitlines()[-1]
    assert error.startswith("error: setting up Pynguin: pip install failed")
    assert "pynguin==0.48.0" in error
    assert find_pynguin() is None


def test_setup_at_another_path_says_how_to_point_atg_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    elsewhere = tmp_path / "pynguin-env"
    (elsewhere / "bin").mkdir(parents=True)
    (elsewhere / "bin" / "pynguin").write_text("#!/bin/sh\n")
    (elsewhere / ".installed").write_text("pynguin==0.48.0\n")
    result = CliRunner().invoke(
        app, ["setup", "pynguin", "--path", str(elsewhere)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output
    assert f"export ATG_PYNGUIN={elsewhere}" in result.output


@pytest.mark.slow
def test_setup_pynguin_installs_a_pynguin_that_is_then_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["setup", "pynguin"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert find_pynguin() == pynguin_home() / "bin" / "pynguin"
