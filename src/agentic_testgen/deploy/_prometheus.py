"""Prometheus: what it scrapes, atg's alerting rules, and the SLO recording rules with their
multiwindow, multi-burn-rate alerts — each SLO's expressions taken from `observability.slo`,
never written twice.

An alert's `summary` and `description` are format strings over named fields; the rules fill the
fields with the Go templates Prometheus expands, the promtool tests (`_promtool_tests`) with the
text they expect, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from agentic_testgen.deploy._target import DeployTarget
from agentic_testgen.deploy._yaml import dump
from agentic_testgen.domain import GOAL
from agentic_testgen.observability.slo import BURN_WINDOWS, Slo, objectives

Severity = Literal["critical", "warning"]

CONFIG_FILE = "prometheus/prometheus.yml"
ALERTS_FILE = "prometheus/rules/atg-alerts.yml"
SLO_FILE = "prometheus/rules/atg-slo.yml"
HEADER = (
    "Rendered by `atg deploy render` from atg's settings (docs/deploy.md): change the settings\n"
    "and render again rather than editing this file."
)
BUDGET_SERIES = "atg:llm_cost_budget_usd"
SLO_ALERT = "ErrorBudgetBurn"
# (burn rate, long window, short window) of the SRE workbook's alerts (chapter 5, table 5-8):
# a page spends 2 % of a 30-day budget in an hour or 5 % in six hours, a ticket 10 % in 3 days
PAGE_BURNS = ((14.4, "1h", "5m"), (6.0, "6h", "30m"))
TICKET_BURNS = ((1.0, "3d", "6h"),)

_VALUE_PERCENT = "{{ $value | humanizePercentage }}"


def error_series(window: str) -> str:
    """The recorded SLI error of every SLO over `window` (one series per `slo` label)."""
    return f"slo:sli_error:ratio_rate{window}"


@dataclass(frozen=True)
class AlertRule:
    """One alerting rule.

    Attributes:
        name: the alert's name (`alertname`), also the heading of its runbook section.
        expr: the PromQL condition.
        duration: how long the condition holds before the alert fires (`for`).
        severity: `critical` pages, `warning` goes to chat (alertmanager.yml routes on it).
        summary: a format string over `fields`.
        description: a format string over `fields`.
        fields: field name -> the Go template that fills it in the rule.
        anchor: the section of docs/runbooks.md the `runbook_url` points at.
        labels: static labels besides `severity`.
    """

    name: str
    expr: str
    duration: str
    severity: Severity
    summary: str
    description: str
    fields: Mapping[str, str] = field(default_factory=dict)
    anchor: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)

    def annotations(self, runbooks: str, values: Mapping[str, str] | None = None) -> dict[str, str]:
        """The annotations, with `values` (every field) in place of the templates if given."""
        filled = self.fields if values is None else values
        if set(filled) != set(self.fields):
            raise ValueError(f"{self.name}: annotation fields are {sorted(self.fields)}")
        return {
            "summary": self.summary.format(**filled),
            "description": self.description.format(**filled),
            "runbook_url": f"{runbooks}#{self.anchor or self.name.lower()}",
        }

    def all_labels(self) -> dict[str, str]:
        return {"severity": self.severity, **self.labels}

    def rule(self, runbooks: str) -> dict[str, Any]:
        rule: dict[str, Any] = {"alert": self.name, "expr": self.expr}
        if self.duration != "0s":
            rule["for"] = self.duration
        rule["labels"] = self.all_labels()
        rule["annotations"] = self.annotations(runbooks)
        return rule


def duration(days: float) -> str:
    """A PromQL duration of `days` (rounded to the minute): 30d, 36h, 90m."""
    minutes = max(1, round(days * 24 * 60))
    for unit, size in (("d", 24 * 60), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def budget_window(target: DeployTarget) -> str:
    return duration(target.cost.budget_window_days)


def alerts(target: DeployTarget) -> tuple[AlertRule, ...]:
    """atg's own alerts: quality under the goal, failing generations, slow models, spent
    budgets, regressions."""
    goal = f"{GOAL:.0%}"
    window = budget_window(target)
    budget_query = (
        f'{{{{ with printf "{BUDGET_SERIES}{{tag=%q,value=%q}}" $labels.tag $labels.value '
        '| query }}{{ . | first | value | printf "%.2f" }}{{ end }}'
    )
    return (
        AlertRule(
            "LowTestCoverage", f"test_coverage_ratio < {GOAL:g}", "10m", "warning",
            "Branch coverage of the latest {language} suite is under the " + goal + " goal",
            "The entries in {language} of the latest suite reach {coverage} branch coverage on "
            "average (goal " + goal + ").",
            {"language": "{{ $labels.language }}", "coverage": _VALUE_PERCENT},
        ),
        AlertRule(
            "LowPassRate", f"test_pass_rate_ratio < {GOAL:g}", "10m", "warning",
            "Pass rate of the latest {language} suite is under the " + goal + " goal",
            "The tests of the latest suite's entries in {language} pass {pass_rate} of the time "
            "on average (goal " + goal + ").",
            {"language": "{{ $labels.language }}", "pass_rate": _VALUE_PERCENT},
        ),
        AlertRule(
            "HighErrorRate",
            'sum(rate(test_generation_calls_total{status="error"}[15m]))\n'
            "  / sum(rate(test_generation_calls_total[15m]))\n> 0.05",
            "10m", "critical",
            "{errors} of test generations fail",
            "{errors} of the test generations of the last 15 minutes ended without a usable "
            "test file (more than 5 %).",
            {"errors": _VALUE_PERCENT},
        ),
        AlertRule(
            "HighLLMLatency",
            "histogram_quantile(0.99, sum by (le) (rate(llm_call_duration_seconds_bucket[5m])))"
            "\n> 30",
            "10m", "warning",
            "LLM calls are slow: p99 {p99} s",
            "The 99th percentile of LLM call latency over the last 5 minutes is {p99} s "
            "(more than 30 s).",
            {"p99": '{{ printf "%.1f" $value }}'},
        ),
        AlertRule(
            "BudgetExceeded",
            f"sum by (tag, value) (increase(llm_cost_by_tag_total[{window}]))\n"
            f">= on (tag, value) {BUDGET_SERIES}",
            "0s", "critical",
            "The {tag}={value} model budget is spent",
            "Runs tagged {tag}={value} spent ${spent} on models in the last " + window
            + ", at or over their ${budget} budget: atg stops such runs before their next entry "
            "(exit 3).",
            {"tag": "{{ $labels.tag }}", "value": "{{ $labels.value }}",
             "spent": '{{ printf "%.2f" $value }}', "budget": budget_query},
        ),
        AlertRule(
            "RegressionDetected", "regression_detected > 0", "0s", "warning",
            "Suite {eval_name} regressed against its baseline",
            "The latest regression check of suite {eval_name} flagged {flagged} value(s) (the "
            "score or a metric) below its baseline.",
            {"eval_name": "{{ $labels.eval_name }}", "flagged": '{{ printf "%.0f" $value }}'},
        ),
    )  # fmt: skip


def _reachable(slo: Slo, burn: float) -> bool:
    """A ratio's error is at most 1: a burn rate over 1 / allowed can never happen (a 90 %
    objective allows 0.1, so no 14.4x page), and its condition is left out."""
    return slo.kind == "ceiling" or burn * slo.allowed < 1


def _burn_condition(slo: Slo, burns: tuple[tuple[float, str, str], ...]) -> str:
    def over(window: str, burn: float) -> str:
        return f'{error_series(window)}{{slo="{slo.name}"}} / {slo.allowed:g} > {burn:g}'

    return "\nor\n".join(
        f"(\n  {over(long, burn)}\n  and\n  {over(short, burn)}\n)"
        for burn, long, short in burns
        if _reachable(slo, burn)
    )


def slo_alerts(target: DeployTarget, slo: Slo) -> tuple[AlertRule, ...]:
    """The page (critical) and the ticket (warning) of one SLO, where they can fire."""
    days = f"{target.slo.window_days:g}"
    fields = {"burn": '{{ printf "%.1f" $value }}'}
    tiers: tuple[tuple[Severity, tuple[tuple[float, str, str], ...], str, str], ...] = (
        ("critical", PAGE_BURNS, "fast", "2m"),
        ("warning", TICKET_BURNS, "steadily", "15m"),
    )
    found = []
    for severity, burns, pace, wait in tiers:
        condition = _burn_condition(slo, burns)
        if not condition:
            continue
        rule = AlertRule(
            SLO_ALERT, condition, wait, severity,
            f"{slo.title}: the error budget is burning {pace}",
            f"{slo.title} spends its {days}-day error budget {{burn}}x as fast as the objective "
            f"allows ({slo.good}: objective {_objective(slo)}).",
            fields, f"slo-{slo.name}", {"slo": slo.name},
        )  # fmt: skip
        found.append(rule)
    return tuple(found)


def _objective(slo: Slo) -> str:
    if slo.kind == "ratio":
        return f"{slo.objective * 100:g} %"
    return f"at most {slo.objective:g} {slo.unit}"


def recordings(slo: Slo) -> list[dict[str, Any]]:
    return [
        {"record": error_series(w), "expr": slo.error_promql(w), "labels": {"slo": slo.name}}
        for w in BURN_WINDOWS
    ]


def config(target: DeployTarget) -> str:
    document = {
        "global": {
            "scrape_interval": target.scrape_interval,
            "evaluation_interval": target.scrape_interval,
        },
        "rule_files": ["rules/*.yml"],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [target.alertmanager]}]}]},
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [address]}]}
            for job, address in (
                ("atg", target.exporter),
                ("prometheus", target.prometheus),
                ("alertmanager", target.alertmanager),
            )
        ],
    }
    return dump(document, HEADER)


def alert_rules(target: DeployTarget) -> str:
    budgets = [
        {"record": BUDGET_SERIES, "expr": f"vector({amount:g})",
         "labels": dict(zip(("tag", "value"), tag.split("=", 1), strict=True))}
        for tag, amount in sorted(target.cost.budgets.items())
    ]  # fmt: skip
    note = (
        f"\n\nBudgetExceeded compares each tag's model spend over the last "
        f"{budget_window(target)} (cost.budget_window_days) with its budget, recorded as "
        f"{BUDGET_SERIES}{{tag, value}} from [cost] budgets"
        + ("" if budgets else " (none are set, so it cannot fire)")
        + "."
    )
    document = {
        "groups": [
            {"name": "atg-cost-budgets", "rules": budgets},
            {"name": "atg", "rules": [alert.rule(target.runbooks) for alert in alerts(target)]},
        ]
    }
    return dump(document, HEADER + note)


def slo_rules(target: DeployTarget) -> str:
    groups = []
    for slo in objectives(target.slo):
        rules = recordings(slo) + [a.rule(target.runbooks) for a in slo_alerts(target, slo)]
        groups.append({"name": f"atg-slo-{slo.name}", "rules": rules})
    note = (
        "\n\nPer SLO: its error (bad / total, `observability/slo.py`) over each alert window, and "
        "the SRE\nworkbook's burn-rate alerts on them (burn rate = error / what the objective "
        "allows). A burn\nrate a ratio cannot reach (over 1 / allowed) is left out."
    )
    return dump({"groups": groups}, HEADER + note)


def retention(target: DeployTarget) -> str:
    """How long Prometheus keeps samples: the longest window a rule or an SLO reads, plus a
    week, so `increase(...[30d])` has its 30 days."""
    longest = max(target.slo.window_days, target.cost.budget_window_days, 3.0)
    return f"{math.ceil(longest) + 7}d"


def files(target: DeployTarget) -> dict[str, str]:
    return {
        CONFIG_FILE: config(target),
        ALERTS_FILE: alert_rules(target),
        SLO_FILE: slo_rules(target),
    }
