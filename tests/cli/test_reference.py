"""docs/cli.md is the command reference as the CLI describes itself (`make docs` writes it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_reference_matches_the_cli() -> None:
    typer = Path(sys.executable).with_name("typer")
    done = subprocess.run(
        [str(typer), "agentic_testgen.cli._app", "utils", "docs", "--name", "atg",
         "--title", "atg command reference"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    # printed, the reference ends with one more newline than written
    assert done.stdout.strip() == written.strip(), "docs/cli.md is out of date: run `make docs`"


def test_every_option_shows_its_default_or_says_where_it_comes_from() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "[default: ATG_LOG_LEVEL, else WARNING]" in reference  # not eaten as markup
    assert "[default: cores]" in reference
