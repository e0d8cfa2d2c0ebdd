"""What both in-sandbox runners share: pytest's arguments, the warm-up, compiled patterns.

Executed inside the sandbox (standard library and pytest only), imported by `_runner.py` and
`_mutation_runner.py`.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import os
import re
from pathlib import Path
from typing import Any

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

# `re` keeps up to 512 compiled patterns; a longer pattern is left to be compiled where used
MAX_PATTERNS, MAX_PATTERN_CHARS = 512, 5000


# Installed plugins that act only for tests that name them (a marker, a fixture, an option),
# with the words that name them. pytest imports every installed plugin in every session:
# anyio's brings asyncio and more, Hypothesis' imports all of Hypothesis when the session
# ends (its terminal summary), together about 0.2 s of a run, and a bigger heap for every
# forked child to copy.
NAMED_PLUGINS = {
    "anyio": ("anyio",),  # @pytest.mark.anyio, the anyio_backend fixture
    "platformdirs": ("platformdirs_isolated",),  # its one fixture
    "xdist.looponfail": ("looponfail",),  # --looponfail
    # @given tests run without it, but it adds health checks (function-scoped fixtures) and
    # the --hypothesis-* options: kept wherever a test may use Hypothesis
    "hypothesispytest": ("hypothesis", "given"),
}


def project_plugin_args(config: dict[str, Any]) -> list[str]:
    """Arguments that keep a project's own pytest plugins out of the measurement: pytest-cov
    would replace the run's coverage tracer, pytest-xdist would run the tests in other
    processes (a project's `addopts` may ask for either). Plugins the tests do not name are
    not loaded (`NAMED_PLUGINS`)."""
    args = []
    if importlib.util.find_spec("pytest_cov") is not None:
        args.append("--no-cov")
    if importlib.util.find_spec("xdist") is not None:
        args += ["-n", "0"]
    return args + unnamed_plugin_args(config)


def unnamed_plugin_args(config: dict[str, Any]) -> list[str]:
    """`-p no:NAME` for each of `NAMED_PLUGINS` none of whose words appears in the test file,
    a conftest.py between it and the rootdir, the configuration file or the run's own pytest
    arguments (`--hypothesis-seed`)."""
    tests = Path(config["tests_file"]).resolve()
    root = Path(config["rootdir"]).resolve()
    files = [tests, Path(config["ini_file"])]
    files += [
        directory / "conftest.py"
        for directory in tests.parents
        if directory == root or root in directory.parents
    ]
    texts = [" ".join(config.get("extra_args", []))]
    for file in files:
        with contextlib.suppress(OSError):
            texts.append(file.read_text(encoding="utf-8", errors="replace"))
    return [
        arg
        for name, words in NAMED_PLUGINS.items()
        if not any(word in text for word in words for text in texts)
        for arg in ("-p", f"no:{name}")
    ]


def exit_descriptor(pid: int) -> int | None:
    """A descriptor that becomes readable when child `pid` ends (None where the kernel has none)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def warm_up(workdir: Path, plugin_args: list[str]) -> None:
    """Run an empty pytest session so every fork starts with pytest's lazy imports done."""
    empty = workdir / "warm-up"
    empty.mkdir()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        pytest.main([str(empty), *PYTEST_ARGS, *plugin_args, "--collect-only"])
    gc.collect()
    gc.freeze()  # keep the warm heap out of every child's garbage collections


def compiled_patterns() -> list[list[Any]]:
    """The regular expressions the tests compiled, oldest first, from `re`'s own cache (its
    keys are a pattern's type, text and flags): the instrumented run reports them for the
    mutation harness to compile before it forks (`warm_patterns`)."""
    try:
        keys = list(getattr(re, "_cache", {}))[-MAX_PATTERNS:]
    except Exception:  # test code replaced the cache: nothing to report
        return []
    found = []
    for key in keys:
        with contextlib.suppress(TypeError, ValueError):
            kind, pattern, flags = key
            if kind is str and len(pattern) <= MAX_PATTERN_CHARS:
                found.append([pattern, int(flags)])
    return found


def warm_patterns(patterns: list[Any]) -> None:
    """Compile `patterns` (from `compiled_patterns`) into `re`'s own cache, in the mutation
    harness before any child is forked.

    A pattern compiled where it is used (`re.search(rule, word)` over a table of rules) is
    otherwise compiled again in every child, for most of a short test's time in a library of
    rules. A compiled pattern is immutable and found by its text and flags alone, as in any
    long pytest session: having it ready changes no test's result."""
    for entry in patterns[:MAX_PATTERNS]:
        with contextlib.suppress(Exception):  # reported by test code: what fails is not warmed
            pattern, flags = entry
            if isinstance(pattern, str) and len(pattern) <= MAX_PATTERN_CHARS:
                re.compile(pattern, int(flags))
