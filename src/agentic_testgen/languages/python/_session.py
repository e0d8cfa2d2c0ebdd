"""The pytest session both in-sandbox runners start: its arguments and its warm-up.

Executed inside the sandbox (standard library and pytest only), imported by `_runner.py` and
`_mutation_runner.py`.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import os
from pathlib import Path

import pytest

# The unraisable-exception plugin runs gc.collect five times per session: ~50 ms a run for a
# report these runs never show.
PYTEST_ARGS = [
    "-q",
    "--tb=short",
    "--show-capture=no",  # results come through the plugin; never echo a test's flood of output
    "-p",
    "no:cacheprovider",
    "-p",
    "no:unraisableexception",
    "-p",
    "no:atg",  # atg's own plugin (`pytest --atg`) has no business inside a measured run
]


def project_plugin_args() -> list[str]:
    """Arguments that keep a project's own pytest plugins out of the measurement: pytest-cov
    would replace the run's coverage tracer, pytest-xdist would run the tests in other
    processes (a project's `addopts` may ask for either)."""
    args = []
    if importlib.util.find_spec("pytest_cov") is not None:
        args.append("--no-cov")
    if importlib.util.find_spec("xdist") is not None:
        args += ["-n", "0"]
    return args


def warm_up(workdir: Path) -> None:
    """Run an empty pytest session so every fork starts with pytest's lazy imports done."""
    empty = workdir / "warm-up"
    empty.mkdir()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        pytest.main([str(empty), *PYTEST_ARGS, "--collect-only"])
    gc.collect()
    gc.freeze()  # keep the warm heap out of every child's garbage collections
