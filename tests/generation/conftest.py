"""The Pynguin this machine has, found before each test clears the ATG_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentic_testgen.generation.coders import find_pynguin

# read at collection, while ATG_PYNGUIN from the shell is still there
INSTALLED_PYNGUIN = find_pynguin()


@pytest.fixture
def pynguin() -> Path:
    """Pynguin's executable; set up by `make setup` (`atg setup pynguin`) or ATG_PYNGUIN."""
    if INSTALLED_PYNGUIN is None:
        pytest.fail("Pynguin is not set up: run `atg setup pynguin` or set ATG_PYNGUIN")
    return INSTALLED_PYNGUIN
