"""Suite report as one self-contained HTML file: inline CSS and SVG, no script, works offline."""

from __future__ import annotations

from html import escape

from agentic_testgen.reports._suite import SuiteReport, format_ci, subject

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.muted { color: #59636e; } code { font-size: .9em; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.card { border: 1px solid #d1d9e0; border-radius: 8px; padding: .6rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.4rem; }
.excellent { color: #1a7f37; } .good { color: #2da44e; } .fair { color: #9a6700; }
.poor, .failed { color: #cf222e; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
th, td { border-bottom: 1px solid #d1d9e0; padding: .3rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.regression td { background: #ffebe9; } tr.error td { background: #fff8c5; }
td.below { color: #cf222e; font-weight: 600; }
.goal-met { color: #1a7f37; } .goal-missed { color: #cf222e; }
"""
BAR_WIDTH = 360
BAR_HEIGHT = 22
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 180, 30


def _level_class(level: str | None) -> str:
    return escape(level or "failed")


def metric_bars(means: dict[str, float], names: list[str]) -> str:
    """Horizontal bars, one per metric mean, on a 0..1 scale with a 0.9 goal line."""
    height = BAR_HEIGHT * len(names) + 10
    label_width = 120
    parts = [
        f'<svg role="img" aria-label="metric means" width="{label_width + BAR_WIDTH + 60}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, name in enumerate(names):
        value = max(0.0, min(1.0, means[name]))
        y = index * BAR_HEIGHT + 4
        colour = "#2da44e" if value >= 0.9 else "#d4a72c" if value >= 0.6 else "#cf222e"
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="12">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT - 6}" '
            f'fill="#eef1f4"/>'
            f'<rect x="{label_width}" y="{y}" width="{value * BAR_WIDTH:.1f}" '
            f'height="{BAR_HEIGHT - 6}" fill="{colour}"/>'
            f'<text x="{label_width + BAR_WIDTH + 6}" y="{y + 14}" font-size="12">'
            f"{value:.3f}</text>"
        )
    goal_x = label_width + 0.9 * BAR_WIDTH
    parts.append(
        f'<line x1="{goal_x:.1f}" y1="0" x2="{goal_x:.1f}" y2="{height}" stroke="#1f2328" '
        f'stroke-dasharray="3,3"/></svg>'
    )
    return "".join(parts)


def trend_chart(values: list[float], labels: list[str]) -> str:
    """A line chart of suite scores, oldest to newest, on a fixed 0..1 scale."""
    if not values:
        return '<p class="muted">No completed suites yet.</p>'
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
    step = inner_w / max(len(values) - 1, 1)
    points = [
        (CHART_PAD + i * step, CHART_PAD + (1 - max(0.0, min(1.0, v))) * inner_h)
        for i, v in enumerate(values)
    ]
    polyline = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts = [
        f'<svg role="img" aria-label="score trend" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in (0.0, 0.5, 0.9, 1.0):
        y = CHART_PAD + (1 - tick) * inner_h
        parts.append(
            f'<line x1="{CHART_PAD}" y1="{y:.1f}" x2="{CHART_WIDTH - CHART_PAD}" y2="{y:.1f}" '
            f'stroke="#d1d9e0"/><text x="2" y="{y + 4:.1f}" font-size="10">{tick:.1f}</text>'
        )
    parts.append(f'<polyline points="{polyline}" fill="none" stroke="#0969da" stroke-width="2"/>')
    for (x, y), value, label in zip(points, values, labels, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#0969da">'
            f"<title>{escape(label)}: {value:.3f}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _regressions(report: SuiteReport) -> str:
    if not report.regressions:
        return '<p class="muted">No baseline comparison for this suite.</p>'
    rows = []
    for finding in report.regressions:
        ci = format_ci(finding.ci_low, finding.ci_high)
        css = ' class="regression"' if finding.flagged else ""
        rows.append(
            f"<tr{css}><td>{escape(finding.metric)}{' — regression' if finding.flagged else ''}"
            f"</td><td>{escape(subject(finding))}</td><td>{finding.baseline_value:.3f}</td>"
            f"<td>{finding.current_value:.3f}</td><td>{finding.delta:+.3f}</td><td>{ci}</td></tr>"
        )
    return (
        "<table><tr><th>value</th><th>of</th><th>baseline</th><th>current</th><th>delta</th>"
        "<th>95% CI</th></tr>" + "".join(rows) + "</table>"
    )


def _entries(report: SuiteReport) -> str:
    names = report.metric_names
    head = "".join(f"<th>{escape(n)}</th>" for n in ["entry", "score", "quality", *names])
    rows = []
    for result in report.results:
        if result.status != "completed":
            message = escape("; ".join(result.errors))
            rows.append(
                f'<tr class="error"><td><code>{escape(result.entry_id or "")}</code></td>'
                f'<td colspan="{len(names) + 2}">evaluation failed: {message}</td></tr>'
            )
            continue
        cells = []
        for name in names:
            value = result.metrics.get(name)
            metric = result.result.metrics.get(name) if result.result else None
            below = ' class="below"' if metric is not None and not metric.passed else ""
            cells.append(f"<td{below}>{'—' if value is None else f'{value:.3f}'}</td>")
        rows.append(
            f"<tr><td><code>{escape(result.entry_id or '')}</code></td>"
            f"<td>{(result.score or 0):.3f}</td>"
            f'<td class="{_level_class(result.quality_level)}">{escape(result.quality_level or "")}'
            f"</td>{''.join(cells)}</tr>"
        )
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _cards(report: SuiteReport) -> str:
    suite = report.suite
    level = _level_class(suite.quality_level)
    flagged = len(report.flagged)
    score = f"{(suite.overall_score or 0):.3f}"
    cards = [
        ("overall score", f'<b class="{level}">{score}</b>{escape(suite.quality_level or "")}'),
        ("entries", f"<b>{suite.total_evals}</b>{suite.passed_evals} passed, "
                    f"{suite.failed_evals} failed"),
        ("regressions", f'<b class="{"poor" if flagged else "good"}">{flagged}</b>flagged'),
        ("duration", f"<b>{(suite.duration_seconds or 0):.1f} s</b>"
                     f"{escape(suite.generator or '')} tests"),
    ]  # fmt: skip
    return "".join(f'<div class="card">{label}{body}</div>' for label, body in cards)


def _goals(report: SuiteReport) -> str:
    items = []
    for goal, met in report.goals.items():
        css, mark = ("goal-met", "✔") if met else ("goal-missed", "✘")
        items.append(f'<li class="{css}">{mark} {escape(goal)}</li>')
    return "".join(items)


def render_html(report: SuiteReport) -> str:
    suite = report.suite
    trend = report.trend
    started = escape(suite.started_at.isoformat())
    trend_note = f"{len(trend.points)} suites, {escape(trend.direction)}, slope {trend.slope:+.4f}"
    chart = trend_chart([p.value for p in trend.points], [p.id for p in trend.points])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>atg suite {escape(suite.id)}</title><style>{CSS}</style></head>
<body>
<h1>Suite <code>{escape(suite.id)}</code></h1>
<p class="muted">{escape(suite.name)} on <b>{escape(suite.dataset or "")}</b>
(<code>{escape(suite.dataset_hash or "")}</code>), started {started}</p>
<div class="cards">{_cards(report)}</div>
<h2>Goals</h2><ul>{_goals(report)}</ul>
<h2>Metrics (mean over entries)</h2>
{metric_bars(report.metric_means, report.metric_names)}
<h2>Regressions against the baseline</h2>
{_regressions(report)}
<h2>Trend of <code>{escape(trend.eval_name)}</code></h2>
<p class="muted">{trend_note} per run</p>
{chart}
<h2>Entries</h2>
{_entries(report)}
</body></html>
"""
