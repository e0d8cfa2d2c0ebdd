"""Real node, c8 and bubblewrap; the tools are installed once a session if the cache lacks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentic_testgen.languages.javascript import install_node_tools


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """The tool home `atg setup javascript` makes (installed now when the cache lacks it)."""
    return install_node_tools(say=lambda _: None)
