"""c8's figures for one file, from its istanbul data (what `c8 --reporter=json` writes per file).

Lines are counted as istanbul's `getLineCoverage` counts them (a line is covered when a statement
starting on it ran; v8-to-istanbul makes every line of the file a statement), branches as its
branch totals count them (v8-to-istanbul makes each V8 block range one branch with one location).

jest's and vitest's own V8 coverage are read the same way (jest's comes from v8-to-istanbul too;
vitest's names syntax nodes as statements and branches). istanbul writes an end column that runs
to the end of its line as `Infinity` (null in JSON), and vitest gives the missing `else` of an
`if` a location without a line: such a branch is located where its `if` is.

A branch is named `(line, index)`: the line its block starts on, and its position among the
branches starting on that line, ordered by where they start and end (0 first). V8 blocks are
ranges, not arcs between lines, so the second number is an index, not a target line.

`percent_covered` combines c8's line and branch figures as coverage.py combines its own:
(covered lines + covered branches) / (lines + branches), 100 when the file has neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentic_testgen.domain import FileCoverage

BranchRef = tuple[str, int]  # (istanbul branchMap key, location index)


def file_coverage(data: Mapping[str, Any]) -> tuple[FileCoverage, dict[BranchRef, tuple[int, int]]]:
    """The file's `FileCoverage`, and the `(line, index)` name of every branch location.

    Raises:
        KeyError, TypeError, ValueError: `data` is not istanbul file coverage.
    """
    line_hits: dict[int, int] = {}
    statements = data["statementMap"]
    for key, count in data["s"].items():
        location = statements.get(key)
        if location is None:
            continue
        line = int(location["start"]["line"])
        if line not in line_hits or line_hits[line] < int(count):
            line_hits[line] = int(count)
    located: list[tuple[tuple[int, int, int, int, int, int], BranchRef, int]] = []
    for order, (key, branch) in enumerate(data["branchMap"].items()):
        locations = branch.get("locations") or [branch["loc"]]
        for index, count in enumerate(data["b"][key]):
            loc = locations[index] if index < len(locations) else branch["loc"]
            if loc.get("start", {}).get("line") is None:
                loc = branch["loc"]
            start, end = loc["start"], loc["end"]
            where = (
                int(start["line"]),
                _column(start["column"]),
                int(end["line"]),
                _column(end["column"]),
            )
            located.append(((*where, order, index), (str(key), index), int(count)))
    located.sort(key=lambda item: item[0])
    names: dict[BranchRef, tuple[int, int]] = {}
    hits: dict[tuple[int, int], int] = {}
    per_line: dict[int, int] = {}
    for sort_key, ref, count in located:
        line = sort_key[0]
        name = (line, per_line.get(line, 0))
        per_line[line] = name[1] + 1
        names[ref] = name
        hits[name] = count
    executed_lines = tuple(sorted(line for line, count in line_hits.items() if count > 0))
    missing_lines = tuple(sorted(line for line, count in line_hits.items() if count <= 0))
    executed_branches = tuple(sorted(name for name, count in hits.items() if count > 0))
    missing_branches = tuple(sorted(name for name, count in hits.items() if count <= 0))
    measured = len(line_hits) + len(hits)
    covered = len(executed_lines) + len(executed_branches)
    coverage = FileCoverage(
        num_statements=len(line_hits),
        covered_lines=len(executed_lines),
        num_branches=len(hits),
        covered_branches=len(executed_branches),
        percent_covered=100.0 * covered / measured if measured else 100.0,
        executed_lines=executed_lines,
        missing_lines=missing_lines,
        executed_branches=executed_branches,
        missing_branches=missing_branches,
    )
    return coverage, names


def _column(column: Any) -> int:
    """A location's column; istanbul's `Infinity` (the end of the line, null in JSON) sorts last."""
    return _LINE_END if column is None else int(column)


_LINE_END = 1 << 30
