"""Suite report as Markdown: for pull requests, wikis and CI job summaries."""

from __future__ import annotations

from agentic_testgen.reports._suite import SuiteReport, format_ci, subject


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _tags_and_cost(report: SuiteReport) -> list[str]:
    tags = ", ".join(f"`{key}={value}`" for key, value in sorted(report.suite.tags.items()))
    lines = [f"tags: {tags}", ""] if tags else []
    if report.usage.calls:
        per_test = report.cost_per_test
        lines += [
            f"model cost: ${report.usage.cost_usd:.4f} in {report.usage.calls} calls"
            + (f", ${per_test:.4f} a kept test" if per_test is not None else ""),
            "",
        ]
    return lines


def render_markdown(report: SuiteReport) -> str:
    suite = report.suite
    lines = [
        f"# Suite `{suite.id}`",
        "",
        f"**{suite.name}** on dataset **{suite.dataset}** (`{suite.dataset_hash}`), "
        f"tests from **{suite.generator}**, level **{report.level}**",
        "",
        *_tags_and_cost(report),
        "| overall score | quality | entries | passed | failed | duration |",
        "|---:|:---|---:|---:|---:|---:|",
        f"| {_value(suite.overall_score)} | {suite.quality_level} | {suite.total_evals} "
        f"| {suite.passed_evals} | {suite.failed_evals} | {suite.duration_seconds or 0:.1f} s |",
        "",
        "## Goals",
        "",
        *[f"- {'✅' if met else '❌'} {goal}" for goal, met in report.goals.items()],
        "",
        "## Metrics (mean over entries)",
        "",
        "| metric | mean |",
        "|:---|---:|",
        *[f"| {name} | {report.metric_means[name]:.3f} |" for name in report.metric_names],
        "",
    ]
    if report.regressions:
        lines += [
            "## Regressions against the baseline",
            "",
            "| | value | of | baseline | current | delta | 95% CI |",
            "|:---|:---|:---|---:|---:|---:|:---|",
        ]
        for finding in report.regressions:
            ci = format_ci(finding.ci_low, finding.ci_high)
            mark = "🔴 regression" if finding.flagged else ""
            lines.append(
                f"| {mark} | {finding.metric} | {subject(finding)} "
                f"| {finding.baseline_value:.3f} | {finding.current_value:.3f} "
                f"| {finding.delta:+.3f} | {ci} |"
            )
        lines.append("")
    header = ["entry", "score", "quality", *report.metric_names]
    lines += [
        "## Entries",
        "",
        "| " + " | ".join(header) + " |",
        "|:---|---:|:---|" + "---:|" * len(report.metric_names),
    ]
    for result in report.results:
        cells = [f"`{result.entry_id}`", _value(result.score), result.quality_level or "failed"]
        cells += [_value(result.metrics.get(name)) for name in report.metric_names]
        lines.append("| " + " | ".join(cells) + " |")
        for error in result.errors:
            lines.append(f"| ↳ error: {error.replace('|', '/')} |" + " |" * (len(header) - 1))
    trend = report.trend
    lines += [
        "",
        "## Trend",
        "",
        f"Last {len(trend.points)} suites named `{trend.eval_name}`: `{trend.sparkline}` "
        f"({trend.direction}, slope {trend.slope:+.4f} per run)",
        "",
        *(f"- anomaly: {line}" for line in report.anomalies),
        *([""] if report.anomalies else []),
    ]
    return "\n".join(lines)
