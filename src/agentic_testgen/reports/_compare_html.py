"""The A/B page of `atg eval compare --html`: two suites' metrics and entries side by side."""

from __future__ import annotations

from agentic_testgen.evals.compare import SuiteComparison
from agentic_testgen.reports._suite import format_ci
from agentic_testgen.reports._templates import render_template


def render_compare_html(comparison: SuiteComparison) -> str:
    """One self-contained page: the verdict, wins and losses, metric deltas with their paired
    intervals, and a sortable, filterable table of the shared entries."""
    verdict = comparison.verdict
    return render_template(
        "compare.html.j2",
        a=comparison.suite_a,
        b=comparison.suite_b,
        verdict=verdict,
        verdict_class="good" if verdict.startswith("B") else "poor" if verdict[0] == "A" else "",
        wins=comparison.wins,
        losses=comparison.losses,
        ties=comparison.ties,
        metrics=[
            {
                "name": m.name,
                "mean_a": m.mean_a,
                "mean_b": m.mean_b,
                "delta": m.delta,
                "significant": m.significant,
                "ci": format_ci(m.ci_low, m.ci_high, missing="too few pairs"),
            }
            for m in comparison.metrics
        ],
        entries=sorted(comparison.entries, key=lambda e: e.delta),
        only_a=comparison.only_a,
        only_b=comparison.only_b,
    )
