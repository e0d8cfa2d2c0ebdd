"""`install_node_tools`: the pinned lock installed once into atg's cache; a clear error without."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentic_testgen.languages._tools import ToolsMissingError
from agentic_testgen.languages.javascript import (
    install_node_tools,
    node_tools_home,
    require_node_tools,
)
from agentic_testgen.languages.javascript._node_tools import TOOLS_DIR, lock_hash


def test_the_lock_pins_c8_12_and_v8_to_istanbul_9() -> None:
    lock = json.loads((TOOLS_DIR / "package-lock.json").read_text())
    packages = lock["packages"]
    assert packages["node_modules/c8"]["version"].startswith("12.")
    assert packages["node_modules/v8-to-istanbul"]["version"].startswith("9.")
    wanted = json.loads((TOOLS_DIR / "package.json").read_text())["dependencies"]
    assert packages[""]["dependencies"] == wanted


def test_the_home_is_named_by_the_lock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert node_tools_home() == tmp_path / "atg" / f"node-tools-{lock_hash()}"


def test_a_run_without_the_tools_says_how_to_set_them_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ToolsMissingError, match="run: atg setup javascript"):
        require_node_tools()


def test_install_into_a_fresh_home_then_nothing_to_do(tmp_path: Path) -> None:
    home = tmp_path / "node-tools"
    said: list[str] = []
    assert install_node_tools(home, say=said.append) == home
    assert (home / "node_modules" / ".bin" / "c8").exists()
    assert require_node_tools(home) == home
    assert not list(tmp_path.glob("*.partial-*"))
    said.clear()
    install_node_tools(home, say=said.append)
    assert said == [f"the JavaScript tools are already set up in {home}"]


def test_the_session_tools_are_the_default_home(node_tools: Path) -> None:
    assert node_tools == node_tools_home()
    assert require_node_tools() == node_tools


def test_atg_setup_javascript_installs_once(
    node_tools: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from agentic_testgen.cli import app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = CliRunner().invoke(app, ["setup", "javascript"], env={"COLUMNS": "300"})
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == f"JavaScript tools ready: {node_tools_home()}"
    again = CliRunner().invoke(app, ["setup", "javascript"], env={"COLUMNS": "300"})
    assert again.output.strip() == f"the JavaScript tools are already set up in {node_tools_home()}"
    assert require_node_tools() == tmp_path / "atg" / f"node-tools-{lock_hash()}"
