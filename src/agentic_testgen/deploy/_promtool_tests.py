"""`promtool test rules` cases for every rendered alert: one where it fires, with its labels and
annotations, and one where it stays silent; for the SLOs, every burn-rate tier and the value of
each recording rule. The inputs are the exporter's own series; the expected annotations come from
the alert's own format strings (`AlertRule.annotations`), filled with the text Prometheus should
expand its templates to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentic_testgen.deploy._prometheus import (
    ALERTS_FILE,
    BUDGET_SERIES,
    HEADER,
    SLO_ALERT,
    SLO_FILE,
    AlertRule,
    alerts,
    error_series,
    slo_alerts,
)
from agentic_testgen.deploy._target import DeployTarget
from agentic_testgen.deploy._yaml import dump
from agentic_testgen.observability.slo import BURN_WINDOWS, Slo, objectives
from agentic_testgen.signals.definitions import GEN_AI_DURATION_BUCKETS

ALERT_TESTS_FILE = "prometheus/tests/atg-alerts.test.yml"
SLO_TESTS_FILE = "prometheus/tests/atg-slo.test.yml"
# events per minute of the SLO cases: generations, entries or attacks; kept tests for the cost
RATIO_EVENTS = 1000.0
COST_UNITS = 10.0


@dataclass(frozen=True)
class Fired:
    """An alert a case expects: its series labels and the text of its annotation fields."""

    rule: AlertRule
    labels: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """What a case shows (the test group's name), input series (promtool's expanding notation,
    one sample a minute), the time the alert is evaluated at, and what fires then (nothing: the
    alert stays silent)."""

    name: str
    alertname: str
    series: Mapping[str, str]
    at: str
    fired: Sequence[Fired] = ()
    # PromQL expression -> the labels and value of its one sample (recording rules' checks)
    samples: Mapping[str, tuple[str, float]] = field(default_factory=dict)


def counter(*segments: tuple[float, int]) -> str:
    """A counter from 0 rising `rate` a minute for `minutes`, segment after segment."""
    (rate, minutes), *rest = segments
    parts, value = [f"0+{_number(rate)}x{minutes}"], rate * minutes
    for rate, minutes in rest:
        parts.append(f"{_number(value + rate)}+{_number(rate)}x{minutes - 1}")
        value += rate * minutes
    return " ".join(parts)


def _number(value: float) -> str:
    return format(value, ".12g")


def _by_name(target: DeployTarget) -> dict[str, AlertRule]:
    return {rule.name: rule for rule in alerts(target)}


def _latest_quality_cases(rule: AlertRule, gauge: str, field_name: str) -> list[Case]:
    """Under the goal for 15 minutes fires; a dip shorter than `for`, or exactly the goal, not."""
    fires = Case(
        f"{rule.name}: under the goal for 15 minutes, and a shorter dip",
        rule.name,
        {f'{gauge}{{language="python"}}': "0.5x20", f'{gauge}{{language="java"}}': "0.95x14 0.5x6"},
        "15m",
        [Fired(rule, {"language": "python"}, {"language": "python", field_name: "50%"})],
    )
    silent = Case(
        f"{rule.name}: at the goal", rule.name, {f'{gauge}{{language="python"}}': "0.9x20"}, "15m"
    )
    return [fires, silent]


def _latency_buckets(top: float) -> dict[str, str]:
    """LLM calls, ten a minute, each between the bound under `top` and `top`."""
    series = {}
    for bound in (*GEN_AI_DURATION_BUCKETS, float("inf")):
        le = "+Inf" if bound == float("inf") else repr(float(bound))
        name = f'llm_call_duration_seconds_bucket{{provider="openai",model="m",le="{le}"}}'
        series[name] = counter((10, 30)) if bound >= top else "0x30"
    return series


def _budget_cases(rule: AlertRule, target: DeployTarget) -> list[Case]:
    """Spend over a budget fires; under it, or under a tag with no budget, does not. With no
    budget set, the case brings one of its own (the series a budget would record)."""
    tag, amount = next(iter(sorted(target.cost.budgets.items())), ("team=payments", 50.0))
    key, value = tag.split("=", 1)
    labels = {"tag": key, "value": value}
    spend = f'llm_cost_by_tag_total{{tag="{key}",value="{value}"}}'
    own = {} if target.cost.budgets else {
        f'{BUDGET_SERIES}{{tag="{key}",value="{value}"}}': f"{_number(amount)}x60"
    }  # fmt: skip
    spent = {"spent": f"{2 * amount:.2f}", "budget": f"{amount:.2f}"}
    fired = Fired(rule, labels, {**labels, **spent})
    unbudgeted = 'llm_cost_by_tag_total{tag="unbudgeted",value="x"}'
    # the spending takes an hour, or half the budget window when that is shorter
    window = round(target.cost.budget_window_days * 24 * 60)
    span = max(1, min(60, window // 2))
    return [
        Case(f"{rule.name}: twice the budget spent, and a tag without a budget", rule.name,
             {**own, spend: counter((2 * amount / span, span)),
              unbudgeted: counter((1000.0, span))}, f"{span}m", [fired]),
        Case(f"{rule.name}: half the budget spent", rule.name,
             {**own, spend: counter((amount / 2 / span, span))}, f"{span}m"),
    ]  # fmt: skip


def alert_cases(target: DeployTarget) -> list[Case]:
    rules = _by_name(target)
    errors, llm = rules["HighErrorRate"], rules["HighLLMLatency"]
    regression = rules["RegressionDetected"]
    generations = "test_generation_calls_total"
    return [
        *_latest_quality_cases(rules["LowTestCoverage"], "test_coverage_ratio", "coverage"),
        *_latest_quality_cases(rules["LowPassRate"], "test_pass_rate_ratio", "pass_rate"),
        Case(f"{errors.name}: 1 generation in 10 fails", errors.name,
             {f'{generations}{{status="error"}}': counter((1, 40)),
              f'{generations}{{status="success"}}': counter((9, 40))},
             "30m", [Fired(errors, {}, {"errors": "10%"})]),
        Case(f"{errors.name}: 1 generation in 100 fails", errors.name,
             {f'{generations}{{status="error"}}': counter((1, 40)),
              f'{generations}{{status="success"}}': counter((99, 40))}, "30m"),
        # every call between 40.96 and 81.92 s: p99 interpolates to 40.96 + 0.99 x 40.96
        Case(f"{llm.name}: calls of 41 to 82 s", llm.name, _latency_buckets(81.92), "20m",
             [Fired(llm, {}, {"p99": "81.5"})]),
        Case(f"{llm.name}: calls of about a second", llm.name, _latency_buckets(1.28), "20m"),
        *_budget_cases(rules["BudgetExceeded"], target),
        Case(f"{regression.name}: a check flags two values of one suite", regression.name,
             {'regression_detected{eval_name="nightly"}': "0x5 2x10",
              'regression_detected{eval_name="weekly"}': "0x15"}, "10m",
             [Fired(regression, {"eval_name": "nightly"},
                    {"eval_name": "nightly", "flagged": "2"})]),
        Case(f"{regression.name}: checks flag nothing", regression.name,
             {'regression_detected{eval_name="nightly"}': "0x15"}, "10m"),
    ]  # fmt: skip


def _slo_series(slo: Slo, target: DeployTarget, bad: str, good: str, total: str) -> dict[str, str]:
    """The exporter's counters that `slo` reads, given bad, good and all events (or spend)."""
    le = repr(float(target.slo.generation_latency_s))
    by_slo = {
        "generation_availability": {'test_generation_calls_total{status="error"}': bad,
                                    'test_generation_calls_total{status="success"}': good},
        "generation_latency": {"test_generation_duration_seconds_count": total,
                               f'test_generation_duration_seconds_bucket{{le="{le}"}}': good},
        "coverage_achievement": {'entries_at_goal_total{metric="coverage",result="missed"}': bad,
                                 'entries_at_goal_total{metric="coverage",result="met"}': good},
        "pass_rate_achievement": {
            'entries_at_goal_total{metric="pass_rate",result="missed"}': bad,
            'entries_at_goal_total{metric="pass_rate",result="met"}': good},
        "guardrail_effectiveness": {'redteam_attacks_total{result="passed"}': bad,
                                    'redteam_attacks_total{result="stopped"}': good},
        "cost_per_test": {"llm_cost_total": bad, 'generated_tests_total{status="kept"}': total},
    }  # fmt: skip
    return by_slo[slo.name]


def _burning(slo: Slo, target: DeployTarget, *segments: tuple[float, int]) -> dict[str, str]:
    """Counters burning the budget at each segment's rate (a burn rate, for so many minutes)."""
    events = RATIO_EVENTS if slo.kind == "ratio" else COST_UNITS
    bad = [(burn * slo.allowed * events, minutes) for burn, minutes in segments]
    good = [(events - rate, minutes) for rate, minutes in bad]
    total = [(events, minutes) for _, minutes in segments]
    return _slo_series(slo, target, counter(*bad), counter(*good), counter(*total))


def _page_burn(slo: Slo) -> float:
    """A burn rate that pages: 20x, or between 6x and the most a ratio can reach."""
    if slo.kind == "ceiling" or 20 * slo.allowed < 1:
        return 20.0
    return (6 + 1 / slo.allowed) / 2 if 6 * slo.allowed < 1 else (1 + 1 / slo.allowed) / 2


def slo_cases(target: DeployTarget, slo: Slo) -> list[Case]:
    """Fast burn: page and ticket; 3x: a ticket only; 0.5x: nothing; a fast burn that stopped an
    hour ago: the short windows are clean, so no page, but the ticket stays."""
    rules = {rule.severity: rule for rule in slo_alerts(target, slo)}
    page, ticket = rules.get("critical"), rules["warning"]
    labels = {"slo": slo.name}
    fast = _page_burn(slo)
    title = f"{SLO_ALERT} {slo.name}"

    def fired(*found: tuple[AlertRule | None, float]) -> list[Fired]:
        return [Fired(rule, labels, {"burn": f"{burn:.1f}"}) for rule, burn in found if rule]

    steady = 3.0
    # each window's recorded error is 3x what the objective allows (to a part in 10^9)
    series = f'{{slo="{slo.name}"}}'
    recorded = {
        f"abs({error_series(w)}{series} / {steady * slo.allowed:.12g} - 1) < bool 1e-9": (
            series, 1.0
        )
        for w in BURN_WINDOWS
    }  # fmt: skip
    return [
        Case(f"{title}: {fast:g}x burn, a page and a ticket", SLO_ALERT,
             _burning(slo, target, (fast, 200)), "2h", fired((page, fast), (ticket, fast))),
        Case(f"{title}: {steady:g}x burn, a ticket only; each window's recorded error", SLO_ALERT,
             _burning(slo, target, (steady, 200)), "2h", fired((ticket, steady)),
             samples=recorded),
        Case(f"{title}: 0.5x burn, within the budget", SLO_ALERT,
             _burning(slo, target, (0.5, 200)), "2h"),
        Case(f"{title}: {fast:g}x burn that stopped an hour ago, the ticket stays", SLO_ALERT,
             _burning(slo, target, (fast, 120), (0.0, 80)), "3h",
             fired((ticket, fast * 2 / 3))),
    ]  # fmt: skip


def _group(case: Case, runbooks: str) -> dict[str, Any]:
    group: dict[str, Any] = {
        "name": case.name,
        "interval": "1m",
        "input_series": [{"series": name, "values": values}
                         for name, values in case.series.items()],
        "alert_rule_test": [{
            "eval_time": case.at,
            "alertname": case.alertname,
            "exp_alerts": [
                {"exp_labels": {**fired.labels, **fired.rule.all_labels()},
                 "exp_annotations": fired.rule.annotations(runbooks, fired.values)}
                for fired in case.fired
            ],
        }],
    }  # fmt: skip
    if case.samples:
        group["promql_expr_test"] = [
            {"expr": expr, "eval_time": case.at,
             "exp_samples": [{"labels": labels, "value": value}]}
            for expr, (labels, value) in case.samples.items()
        ]  # fmt: skip
    return group


def _document(
    rule_file: str, cases: list[Case], runbooks: str, every: str = "1m"
) -> dict[str, Any]:
    return {
        "rule_files": [f"../rules/{rule_file.rsplit('/', 1)[1]}"],
        "evaluation_interval": every,
        "tests": [_group(case, runbooks) for case in cases],
    }


def files(target: DeployTarget) -> dict[str, str]:
    note = "\n\nRun: promtool test rules prometheus/tests/*.yml"
    slo = [case for slo in objectives(target.slo) for case in slo_cases(target, slo)]
    return {
        ALERT_TESTS_FILE: dump(
            _document(ALERTS_FILE, alert_cases(target), target.runbooks), HEADER + note
        ),
        # every 5 minutes: the 3-day windows make each evaluation slow, and the `for` of the
        # burn-rate alerts (2m, 15m) still holds at that step
        SLO_TESTS_FILE: dump(_document(SLO_FILE, slo, target.runbooks, "5m"), HEADER + note),
    }
