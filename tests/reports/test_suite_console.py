"""The suite on the console: a table that fits the terminal, plain full lines off a terminal."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from agentic_testgen.config import DEFAULT_WEIGHTS
from agentic_testgen.reports import SuiteReport, render_suite
from tests.conftest import make_result
from tests.reports.test_suite_reports import fixed_report


def test_off_a_terminal_the_suite_is_plain_lines_with_full_numbers() -> None:
    buffer = io.StringIO()
    render_suite(fixed_report(), Console(file=buffer, width=80, force_terminal=False))
    text = buffer.getvalue()
    assert "…" not in text and "┃" not in text and "│" not in text
    lines = text.splitlines()
    assert any(line.startswith("mean ") and "coverage=" in line for line in lines)
    assert any(len(line) > 80 for line in lines)  # not wrapped at the console's width


def all_metrics_report() -> SuiteReport:
    """The fixed report with every metric of the default score on each entry."""
    report = fixed_report()
    values = {name: 0.875 for name in DEFAULT_WEIGHTS}
    results = tuple(
        replace(r, metrics=values, result=make_result(r.score, values)) if r.result else r
        for r in report.results
    )
    return replace(report, results=results, metric_means=values)


@pytest.mark.parametrize("width", [80, 200])
def test_on_a_terminal_the_table_fits_its_width_without_cut_numbers(width: int) -> None:
    buffer = io.StringIO()
    render_suite(all_metrics_report(), Console(file=buffer, width=width, force_terminal=True,
                                               color_system=None))  # fmt: skip
    text = buffer.getvalue()
    table = [line for line in text.splitlines() if line.startswith(("┃", "│", "┏", "┡", "└"))]
    assert table and "…" not in "\n".join(table)
    assert max(len(line) for line in table) <= width
    assert ("metrics left out" in text) is (width == 80)
