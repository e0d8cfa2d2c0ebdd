"""Suite report as one self-contained HTML file: inline CSS, SVG and script, works offline."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from agentic_testgen.domain import GOAL
from agentic_testgen.reports._charts import metric_bars, trend_chart
from agentic_testgen.reports._suite import SuiteReport, format_ci, subject
from agentic_testgen.reports._templates import render_template
from agentic_testgen.storage import RegressionFinding, StoredResult

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def entry_file_name(entry_id: str) -> str:
    """A file name for an entry's page: `simple/clamp` -> `simple__clamp-<hash>.html`.

    Any id that had to change gets a short hash of the original, so two ids never share a file
    (`a/b` and `a__b`), and a name never starts with a dot.
    """
    safe = _UNSAFE.sub("_", entry_id.replace("/", "__")) or "_"
    if safe.startswith("."):
        safe = "_" + safe
    if safe != entry_id:
        safe += "-" + hashlib.sha256(entry_id.encode()).hexdigest()[:8]
    return f"{safe}.html"


def entry_href(suite_id: str, entry_id: str) -> str:
    """Where the suite page links an entry: `<suite id>/<entry file>` next to the suite page."""
    return f"{suite_id}/{entry_file_name(entry_id)}"


@dataclass(frozen=True)
class MetricCell:
    value: float | None
    below: bool


@dataclass(frozen=True)
class EntryRow:
    """One line of the entries table; `error` is set when the evaluation itself failed."""

    entry_id: str
    href: str
    score: float | None
    quality_level: str | None
    cells: tuple[MetricCell, ...]
    error: str | None


@dataclass(frozen=True)
class RegressionRow:
    metric: str
    subject: str
    baseline_value: float
    current_value: float
    delta: float
    ci: str
    flagged: bool


def _entry_row(stored: StoredResult, suite_id: str, names: list[str]) -> EntryRow:
    entry_id = stored.entry_id or stored.eval_name
    if stored.status != "completed":
        return EntryRow(entry_id, "", None, None, (), "; ".join(stored.errors))
    cells = []
    for name in names:
        metric = stored.result.metrics.get(name) if stored.result else None
        cells.append(MetricCell(stored.metrics.get(name), metric is not None and not metric.passed))
    return EntryRow(
        entry_id=entry_id,
        href=entry_href(suite_id, entry_id),
        score=stored.score or 0.0,
        quality_level=stored.quality_level,
        cells=tuple(cells),
        error=None,
    )


def _regression_row(finding: RegressionFinding) -> RegressionRow:
    return RegressionRow(
        metric=finding.metric,
        subject=subject(finding),
        baseline_value=finding.baseline_value,
        current_value=finding.current_value,
        delta=finding.delta,
        ci=format_ci(finding.ci_low, finding.ci_high),
        flagged=finding.flagged,
    )


def render_html(report: SuiteReport) -> str:
    """The suite page: header, cards, goals, metric bars, regressions, trend, entries."""
    names = report.metric_names
    return render_template(
        "suite.html.j2",
        suite=report.suite,
        usage=report.usage,
        level=report.level,
        cost_per_test=report.cost_per_test,
        anomalies=report.anomalies,
        flagged=len(report.flagged),
        goals=report.goals,
        goal=GOAL,
        bars=metric_bars(report.metric_means, report.metric_thresholds, names),
        regressions=[_regression_row(finding) for finding in report.regressions],
        trend=report.trend,
        trend_chart=trend_chart(report.trend.points, GOAL),
        metric_names=names,
        entries=[_entry_row(stored, report.suite.id, names) for stored in report.results],
    )
