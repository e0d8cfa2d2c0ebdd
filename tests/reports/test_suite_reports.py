"""Suite reports: golden files for every format, and the HTML rendered in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agentic_testgen.evals.anomaly import Anomaly
from agentic_testgen.evals.trends import Trend, TrendPoint
from agentic_testgen.reports import (
    SuiteReport,
    parse_formats,
    render_html,
    render_json,
    render_junit,
    render_markdown,
)
from agentic_testgen.storage import RegressionFinding, StoredResult, SuiteRecord
from tests.conftest import make_result

GOLD = Path(__file__).resolve().parents[1] / "gold"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def fixed_report() -> SuiteReport:
    """A suite with a passing entry, a failing one, a broken one and a flagged regression."""

    def stored(entry: str, score: float | None, errors: tuple[str, ...] = ()) -> StoredResult:
        result = None
        if score is not None:
            result = make_result(score, {"coverage": score, "pass_rate": 1.0}).model_copy(
                update={"created_at": WHEN, "atg_version": "0.0.0"}
            )
        return StoredResult(
            id=f"result_{entry}",
            eval_name=entry,
            status="completed" if result else "failed",
            score=score,
            quality_level=None
            if result is None
            else ("excellent" if score and score >= 0.9 else "poor"),
            passed=None if result is None else result.passed,
            metrics={n: m.value for n, m in result.metrics.items()} if result else {},
            created_at=WHEN,
            duration_seconds=1.25,
            entry_id=entry,
            errors=errors,
            result=result,
        )

    results = (
        stored("simple/clamp", 0.95),
        stored("medium/cart", 0.4),
        stored(
            "adversarial/broken", None, ("adversarial/broken: the entry has no reference tests",)
        ),
    )
    suite = SuiteRecord(
        id="suite_20260102_030405_abcdef",
        name="test_quality",
        status="completed",
        started_at=WHEN,
        dataset="mixed",
        dataset_hash="sha256:0123",
        generator="reference",
        overall_score=0.675,
        quality_level="fair",
        completed_at=WHEN,
        duration_seconds=12.5,
        total_evals=3,
        passed_evals=1,
        failed_evals=2,
        planned_entries=3,
    )
    regression = RegressionFinding(
        eval_name="test_quality", metric="score", baseline_value=0.9, current_value=0.675,
        delta=-0.225, flagged=True, ci_low=-0.5, ci_high=-0.05, paired_entries=2,
        baseline_suite_id="suite_20260101_000000_000000",
    )  # fmt: skip
    steady = replace(regression, metric="pass_rate", baseline_value=1.0, current_value=1.0,
                     delta=0.0, flagged=False)  # fmt: skip
    trend = Trend(
        eval_name="test_quality",
        kind="suite",
        points=(TrendPoint("suite_a", WHEN, 0.9), TrendPoint(suite.id, WHEN, 0.675)),
        moving_average=(0.9, 0.7875),
        slope=-0.225,
        direction="declining",
        sparkline="█▆",
        metric_anomalies={
            "coverage": Anomaly(
                flagged=True,
                kind="drift",
                direction="down",
                statistic=-3.1,
                threshold=2.58,
                points=12,
                reason="drift down over 12 runs",
            ),
            "pass_rate": Anomaly(
                flagged=False,
                kind=None,
                direction=None,
                statistic=0.2,
                threshold=3.5,
                points=12,
                reason="no anomaly",
            ),
        },
    )
    return SuiteReport(
        suite=suite,
        results=results,
        metric_means={"coverage": 0.675, "pass_rate": 1.0},
        regressions=(regression, steady),
        trend=trend,
    )


@pytest.mark.parametrize(
    ("name", "render"),
    [("suite.md", render_markdown), ("suite.json", render_json), ("suite.xml", render_junit),
     ("suite.html", render_html)],
)  # fmt: skip
def test_report_matches_its_golden_file(name: str, render: object) -> None:
    got = render(fixed_report())  # type: ignore[operator]
    gold = GOLD / name
    if os.environ.get("UPDATE_GOLD"):
        gold.write_text(got, encoding="utf-8")
    assert got == gold.read_text(encoding="utf-8")


def test_json_report_is_valid_json_with_every_entry() -> None:
    data = json.loads(render_json(fixed_report()))
    assert data["schema_version"] == 2
    assert [r["entry_id"] for r in data["results"]] == [
        "simple/clamp", "medium/cart", "adversarial/broken",
    ]  # fmt: skip
    assert data["regressions"][0]["flagged"] is True
    assert data["trend"]["anomalies"] == ["coverage: drift down over 12 runs"]


def test_junit_has_one_testcase_per_entry_failing_below_the_pass_line() -> None:
    root = ET.fromstring(render_junit(fixed_report()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["simple/clamp"].find("failure") is None
    assert cases["medium/cart"].find("failure") is not None
    assert cases["adversarial/broken"].find("error") is not None


def test_unknown_report_format_is_refused() -> None:
    assert parse_formats("html, md") == ["html", "md"]
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        parse_formats("html,pdf")


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_html_report_renders_in_headless_chromium_without_console_errors(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is installed by `make test`"
    page = tmp_path / "suite.html"
    page.write_text(render_html(fixed_report()), encoding="utf-8")
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
    ]  # fmt: skip
    shot = tmp_path / "shot.png"
    rendered = subprocess.run(
        [chromium, *flags, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert shot.exists(), rendered.stderr[-2000:]
    assert png_size(shot) == (1200, 1400)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "suite_20260102_030405_abcdef" in dom.stdout
    assert dom.stdout.count("<svg") == 2
    assert "regression" in dom.stdout
    console_errors = [
        line for line in (rendered.stderr + dom.stderr).splitlines()
        if "CONSOLE" in line or "Uncaught" in line
    ]  # fmt: skip
    assert console_errors == []
