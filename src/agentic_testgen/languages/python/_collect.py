"""Collects a test file without running any test, inside the sandbox: how many tests, or why not.

This file is executed by path with the sandbox's interpreter and imports only the standard
library and pytest. It reads the configuration the adapter writes for `_runner.py` (the same
workspace, rootdir, configuration file and pytest arguments), so a file it collects is one the
runner can run. The report leaves through standard output after the report key, as JSON:
`{"exit_status": N, "collected": N, "errors": [{"nodeid": ..., "message": ...}], "skipped":
[why, ...], "output": ..., "session_error": ...}`.

Usage: python _collect.py CONFIG.json
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from _session import PYTEST_ARGS, project_plugin_args  # type: ignore[import-not-found]

OUTPUT_LIMIT = 2000


def reason(text: str) -> str:
    """The line that says why: pytest's last `E   ` line (the exception), else the last line."""
    lines = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    if lines:
        return lines[-1]
    rest = [line.strip() for line in text.splitlines() if line.strip()]
    return rest[-1] if rest else "collection failed"


def session_reason(output: str, rootdir: str) -> str:
    """Why the session could not start (a conftest that does not import, an unknown option in
    the project's `addopts`): pytest's last `E   ` line, naming the conftest when it was one,
    else its usage error."""
    usage = [line.split("error: ", 1)[1] for line in output.splitlines() if "error: " in line]
    has_exception = any(line.startswith("E ") for line in output.splitlines())
    text = reason(output) if has_exception or not usage else f"pytest: {usage[-1].strip()}"
    conftest = re.search(r"while loading conftest '([^']+)'", output)
    if conftest:
        path = Path(conftest.group(1))
        shown = path.relative_to(rootdir) if path.is_relative_to(rootdir) else path
        return f"{shown}: {text}"
    return text


class Collected:
    """A pytest plugin that keeps the count of collected tests and every collection error."""

    def __init__(self) -> None:
        self.count = 0
        self.errors: list[dict[str, str]] = []
        self.skips: list[str] = []

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.errors.append({"nodeid": report.nodeid, "message": reason(report.longreprtext)})
        elif report.skipped and isinstance(report.longrepr, tuple):
            self.skips.append(str(report.longrepr[-1]))  # (path, line, "Skipped: why")

    def pytest_collection_finish(self, session: Any) -> None:
        self.count = len(session.items)


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text())
    args = [config["tests_file"], *PYTEST_ARGS, *project_plugin_args(config), "--collect-only"]
    args += ["--rootdir", config["rootdir"], "-c", config["ini_file"]]
    plugin = Collected()
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        status = int(pytest.main(args, plugins=[plugin]))
    report = {
        "exit_status": status,
        "collected": plugin.count,
        "errors": plugin.errors,
        "skipped": plugin.skips,
        "output": output.getvalue()[-OUTPUT_LIMIT:],
        "session_error": session_reason(output.getvalue(), config["rootdir"]),
    }
    sys.stdout.write(config["report_key"] + json.dumps(report))


if __name__ == "__main__":
    main()
