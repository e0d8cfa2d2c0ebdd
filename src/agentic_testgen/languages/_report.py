"""The host's side of every language's in-sandbox harness: its limits, and reading what it
reports.

A harness reports on its standard output after a fresh key, which test code cannot write (see
`python/_runner.py`, `javascript/harness/channel.mjs`, `java/harness/AtgJUnitRunner.java`); the
host reads it from its own capture, never from a file in the workspace, so a planted FIFO, link
or huge file there cannot stall it or feed it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from typing import Any

from agentic_testgen.domain import Integrity, IntegrityFinding
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.sandbox import Completed, Limits

# The largest report a harness may print: per-test lines and branches of a big test file.
REPORT_LIMIT_BYTES = 64 << 20


def harness_limits(options: RunOptions, bound_s: float) -> Limits:
    """The run's limits, its wall time bounded by its own work, its report allowed to be large."""
    limits = options.limits
    return replace(
        limits,
        wall_time_s=min(limits.wall_time_s, bound_s),
        output_bytes=max(limits.output_bytes, REPORT_LIMIT_BYTES),
    )


def report_key() -> str:
    """A fresh key the harness prefixes its report with (given to it in its configuration)."""
    return secrets.token_hex(16)


def harness_report(completed: Completed, key: str) -> dict[str, Any] | None:
    """The JSON report the harness printed after `key`, or None when it printed none.

    Anything else on the harness's standard output came from code it ran: the report then
    carries a `channel` finding (the run is not trusted)."""
    text = completed.stdout
    start = text.find(key)
    if start < 0:
        return None
    try:
        report, end = json.JSONDecoder().raw_decode(text, start + len(key))
    except ValueError:
        return None
    if not isinstance(report, dict):
        return None
    if (text[:start] + text[end:]).strip() or key in text[end:]:
        report.setdefault("integrity", []).append(
            {"kind": "channel", "test": "", "detail": "the harness's report channel was written to"}
        )
    return report


def integrity_from(records: list[dict[str, Any]]) -> Integrity:
    """The harness's findings as the run's integrity verdict."""
    findings = tuple(
        IntegrityFinding(
            kind=str(record.get("kind", "")),
            test=str(record.get("test", "")),
            detail=str(record.get("detail", "")),
        )
        for record in records
    )
    return Integrity(ok=not findings, findings=findings)


def merge_integrity(*verdicts: Integrity) -> Integrity:
    """One verdict over several harness runs of the same tests."""
    findings = tuple(finding for verdict in verdicts for finding in verdict.findings)
    return Integrity(ok=all(verdict.ok for verdict in verdicts), findings=findings)
