"""Suite report as JSON: the suite, every entry's full result, regressions and trend."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from agentic_testgen.reports._suite import SuiteReport

# 1: suite, results, metric_means, regressions, trend, goals
# 2: level, cost (model dollars, calls, kept tests, per test); the suite's tags; the trend's
#    anomalies
SUITE_SCHEMA_VERSION = 2


def suite_json(report: SuiteReport) -> dict[str, Any]:
    suite = asdict(report.suite)
    return {
        "schema_version": SUITE_SCHEMA_VERSION,
        "suite": suite,
        "level": report.level,
        "cost": {
            "usd": report.usage.cost_usd,
            "calls": report.usage.calls,
            "models": list(report.usage.models),
            "tests_kept": report.tests_kept,
            "per_test": report.cost_per_test,
        },
        "metric_means": report.metric_means,
        "goals": report.goals,
        "results": [
            {
                "entry_id": r.entry_id,
                "status": r.status,
                "score": r.score,
                "quality_level": r.quality_level,
                "passed": r.passed,
                "metrics": r.metrics,
                "errors": list(r.errors),
                "result": r.result.model_dump(mode="json") if r.result else None,
            }
            for r in report.results
        ],
        "regressions": [asdict(finding) for finding in report.regressions],
        "trend": {
            "eval_name": report.trend.eval_name,
            "scores": [p.value for p in report.trend.points],
            "suites": [p.id for p in report.trend.points],
            "slope": report.trend.slope,
            "direction": report.trend.direction,
            "sparkline": report.trend.sparkline,
            "anomalies": report.anomalies,
        },
    }


def render_json(report: SuiteReport) -> str:
    return json.dumps(suite_json(report), indent=2, default=str) + "\n"
