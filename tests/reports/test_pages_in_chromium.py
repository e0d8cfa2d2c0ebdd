"""The suite and entry pages in headless Chromium at a phone's and a laptop's width.

Headless Chromium will not make a window narrower than 500 px, so each page is shown in an
iframe of the width under test: the iframe is the page's viewport, and a frame of the same origin
(`--allow-file-access-from-files`) copies what the page's own script measured onto the outer
document, where `--dump-dom` can read it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from agentic_testgen.evals.compare import EntryComparison, MetricComparison, SuiteComparison
from agentic_testgen.reports import render_compare_html, render_entry_html, render_html
from tests.reports.test_entry_page import CODE, entry_result
from tests.reports.test_suite_reports import fixed_report, png_size

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0", "--allow-file-access-from-files",
]  # fmt: skip
HEIGHT = 2000


def ab_comparison() -> SuiteComparison:
    """Two suites, one metric significantly better in B, one entry with a long name."""
    a = fixed_report().suite
    return SuiteComparison(
        suite_a=a,
        suite_b=replace(a, id="suite_20260103_000000_b", overall_score=0.8),
        metrics=(
            MetricComparison("score", 0.675, 0.8, 0.125, 0.05, 0.2, significant=True),
            MetricComparison("coverage", 0.7, 0.72, 0.02, -0.01, 0.05, significant=False),
        ),
        entries=(
            EntryComparison("simple/clamp", 0.95, 0.97),
            EntryComparison("medium/" + "very_long_entry_name_" * 4, 0.4, 0.63),
        ),
        only_a=("adversarial/broken",),
        only_b=(),
    )


PAGES = {
    "compare": lambda: render_compare_html(ab_comparison()),
    "suite": lambda: render_html(fixed_report()),
    # a long line of code and a long test name: both must scroll inside their box, not the page
    "entry": lambda: render_entry_html(
        entry_result(), title="simple/clamp", module_code=CODE + "x = '" + "long " * 60 + "'\n"
    ),
}


def framed(page: Path, width: int) -> Path:
    """A page that shows `page` in a `width` x HEIGHT iframe at its top left corner."""
    frame = page.with_name(f"{page.stem}-in-{width}.html")
    frame.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe id="page" src="{page.name}" style="border:0;display:block;width:{width}px;'
        f'height:{HEIGHT}px"></iframe><script>'
        "document.getElementById('page').addEventListener('load', function () {"
        " var inner = this.contentDocument.documentElement;"
        " document.body.setAttribute('data-measured', inner.getAttribute('data-scroll-width')"
        " + ' ' + inner.getAttribute('data-viewport-width')); });"
        "</script></body></html>",
        encoding="utf-8",
    )
    return frame


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary, "chromium is installed by `make test`"
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def console_errors(*runs: subprocess.CompletedProcess[str]) -> list[str]:
    return [
        line for run in runs for line in run.stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line
    ]  # fmt: skip


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_the_viewport_without_console_errors(
    name: str, width: int, tmp_path: Path
) -> None:
    page = tmp_path / f"{name}.html"
    page.write_text(PAGES[name](), encoding="utf-8")
    frame = framed(page, width)
    shot = tmp_path / f"{name}-{width}.png"
    size = f"--window-size={width},{HEIGHT}"
    shown = chromium(tmp_path, size, f"--screenshot={shot}", frame.as_uri())
    assert shot.exists(), shown.stderr[-2000:]
    assert png_size(shot) == (width, HEIGHT)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    dom = chromium(tmp_path, size, "--dump-dom", frame.as_uri())
    # the page's own script records its widths on <html> once it has loaded
    widths = re.search(r'data-measured="(\d+) (\d+)"', dom.stdout)
    assert widths, dom.stdout[:500]
    assert (int(widths[1]), int(widths[2])) == (width, width)
    assert console_errors(shown, dom) == []


def test_wide_tables_scroll_inside_their_box_on_a_phone(tmp_path: Path) -> None:
    """The page fits at 390 px because the source box scrolls, not because nothing is wide."""
    page = tmp_path / "entry.html"
    page.write_text(PAGES["entry"](), encoding="utf-8")
    probe = (
        "<script>addEventListener('load', function () {"
        " var box = document.querySelector('.source');"
        " document.documentElement.setAttribute('data-scroll-width',"
        " box.scrollWidth + ' ' + box.clientWidth); });"
        "</script></body>"
    )
    page.write_text(page.read_text().replace("</body>", probe), encoding="utf-8")
    frame = framed(page, 390)
    dom = chromium(tmp_path, f"--window-size=390,{HEIGHT}", "--dump-dom", frame.as_uri())
    box = re.search(r'data-measured="(\d+) (\d+) ', dom.stdout)
    assert box, dom.stdout[:500]
    assert int(box[1]) > int(box[2]) > 0


def test_entries_sort_by_a_clicked_column_and_filter_by_text(tmp_path: Path) -> None:
    page = tmp_path / "suite.html"
    probe = (
        "<script>addEventListener('load', function () {"
        " var table = document.getElementById('entries');"
        " function order() { return Array.prototype.map.call(table.tBodies[0].rows,"
        "   function (row) { return row.hidden ? '-' : row.cells[0].textContent; }).join(','); }"
        " var score = table.tHead.rows[0].cells[1];"
        " score.click(); var up = order(); score.click(); var down = order();"
        " var box = document.querySelector('input[data-filter=entries]');"
        " box.value = 'CART'; box.dispatchEvent(new Event('input')); var filtered = order();"
        " document.documentElement.setAttribute('data-orders', [up, down, filtered].join('|'));"
        "});</script></body>"
    )
    page.write_text(render_html(fixed_report()).replace("</body>", probe), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    orders = re.search(r'data-orders="([^"]*)"', dom.stdout)
    assert orders, dom.stdout[:500]
    up, down, filtered = orders[1].split("|")
    assert up == "adversarial/broken,medium/cart,simple/clamp"  # the failed entry sorts as -1
    assert down == "simple/clamp,medium/cart,adversarial/broken"
    assert filtered == "-,medium/cart,-"
    assert console_errors(dom) == []
