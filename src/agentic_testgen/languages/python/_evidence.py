"""What a run's evidence is made of: coverage.py's report with the lines of each test, and
the check of reported verdicts against the ledger written as each test ended.

Executed inside the sandbox (standard library and coverage.py only), imported by `_runner.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def coverage_payload(cov: Any, module_file: str, workdir: Path, index: int) -> dict[str, Any]:
    """coverage.py's own report for the module, plus the lines and branches of each test."""
    report_path = workdir / f"coverage-{index}.json"
    cov.json_report(morfs=[module_file], outfile=str(report_path))
    files = json.loads(report_path.read_text())["files"]
    (entry,) = files.values()
    summary = entry["summary"]
    branch_arcs = {tuple(arc) for arc in entry["executed_branches"] + entry["missing_branches"]}
    data = cov.get_data()
    target = os.path.realpath(module_file)
    measured = [name for name in data.measured_files() if os.path.realpath(name) == target]
    with open(module_file, "rb") as handle:
        last_line = handle.read().count(b"\n") + 1
    impossible = sum(
        1 for name in measured for arc in data.arcs(name) or () if not _possible(arc, last_line)
    )
    try:
        per_test = _per_test(data.data_filename(), measured, branch_arcs)
    except sqlite3.Error:  # a data file laid out otherwise: ask coverage.py context by context
        per_test = _per_test_by_query(data, measured, branch_arcs)
    return {
        "file": {
            "num_statements": summary["num_statements"],
            "covered_lines": summary["covered_lines"],
            "num_branches": summary.get("num_branches", 0),
            "covered_branches": summary.get("covered_branches", 0),
            "percent_covered": summary["percent_covered"],
            "executed_lines": entry["executed_lines"],
            "missing_lines": entry["missing_lines"],
            "executed_branches": entry["executed_branches"],
            "missing_branches": entry["missing_branches"],
        },
        "per_test": per_test,
        "impossible_arcs": impossible,
    }


def _per_test(
    data_file: str, measured: list[str], branch_arcs: set[tuple[int, int]]
) -> dict[str, dict[str, list[Any]]]:
    """The lines and branches each test (each dynamic context) ran, in one read of the data
    file's arcs. Asking coverage.py context by context matches every context's name against
    each query: quadratic in the tests, 0.4 s for a file of 455."""
    found: dict[str, tuple[set[int], set[tuple[int, int]]]] = {}
    marks = ",".join("?" * len(measured))
    query = (
        "select context.context, arc.fromno, arc.tono from arc"
        " join context on context.id = arc.context_id join file on file.id = arc.file_id"
        f" where file.path in ({marks})"
    )
    with contextlib.closing(sqlite3.connect(f"file:{data_file}?mode=ro", uri=True)) as db:
        for context, start, end in db.execute(query, measured):
            if not context:
                continue
            lines, branches = found.setdefault(context, (set(), set()))
            lines.update(n for n in (start, end) if n > 0)
            if (start, end) in branch_arcs:
                branches.add((start, end))
    return {
        context: {"lines": sorted(lines), "branches": sorted(branches)}
        for context, (lines, branches) in found.items()
    }


def _per_test_by_query(
    data: Any, measured: list[str], branch_arcs: set[tuple[int, int]]
) -> dict[str, dict[str, list[Any]]]:
    per_test: dict[str, dict[str, list[Any]]] = {}
    for name in measured:
        for context in sorted(data.measured_contexts()):
            if not context:
                continue
            data.set_query_contexts(["^" + re.escape(context) + "$"])
            record = per_test.setdefault(context, {"lines": [], "branches": []})
            record["lines"] = sorted(set(record["lines"]) | set(data.lines(name) or ()))
            arcs = {arc for arc in data.arcs(name) or () if arc in branch_arcs}
            record["branches"] = sorted({tuple(arc) for arc in record["branches"]} | arcs)
        data.set_query_contexts(None)
    return per_test


def _possible(arc: tuple[int, int], last_line: int) -> bool:
    """Whether the tracer can have recorded `arc`: both ends within the file, and at most one
    negative (a negative end is a code object's entry or exit; no arc goes from one to another)."""
    start, end = arc
    within = 0 < abs(start) <= last_line and 0 < abs(end) <= last_line
    return within and not (start < 0 and end < 0)


def ledger_findings(
    ledger: Path, runs: Iterable[tuple[int, int, dict[str, Any]]]
) -> list[dict[str, str]]:
    """Verdicts that differ from the ledger's, or that the ledger holds twice, in any run
    (`runs`: each run's index, its last attempt and its reported result; an attempt a test
    ended by killing its process is superseded by the next one)."""
    findings: list[dict[str, str]] = []
    first: dict[tuple[int, int, str], Any] = {}
    for line in ledger.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
            key = (int(entry["run"]), int(entry["attempt"]), str(entry["test"]))
        except (ValueError, KeyError, TypeError):
            findings.append({"kind": "channel", "test": "", "detail": "the ledger was written to"})
            continue
        if key in first:
            detail = f"run {key[0]}: the verdict was recorded twice"
            findings.append({"kind": "results-altered", "test": key[2], "detail": detail})
            continue
        first[key] = entry.get("outcome")
    for index, attempt, result in runs:
        for nodeid, record in result.get("tests", {}).items():
            logged = first.get((index, attempt, nodeid), record.get("outcome"))
            if logged != record.get("outcome"):
                detail = f"run {index}: ledger says {logged}, result says {record['outcome']}"
                findings.append({"kind": "results-altered", "test": nodeid, "detail": detail})
    return findings
