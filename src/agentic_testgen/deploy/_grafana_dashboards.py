"""atg's five Grafana dashboards: the goal and quality at a glance, model calls and their cost,
guardrails and the red team, evaluations and regressions, and the SLOs' error budgets.

Counters are read through `rate` or `increase`, histograms through `histogram_quantile` over
`sum by (le)` of their bucket rates, gauges as they are. The SLO panels take their expressions
from `observability.slo`, so a burn rate here is the one `atg slo report` and the alerts hold.
"""

from __future__ import annotations

from grafana_foundation_sdk.builders.dashboard import Row
from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.models import dashboard as model

from agentic_testgen.deploy import DeployTarget
from agentic_testgen.deploy._grafana_panels import (
    Look,
    Query,
    bars,
    dashboard,
    gauge,
    green_from,
    red_from,
    stat,
    table,
    timeseries,
)
from agentic_testgen.domain import GOAL
from agentic_testgen.observability.slo import Slo, objectives

Parts = list[Builder[model.Panel] | Row]

# Grafana's own intervals: the rate window it fits to the scrape interval and the step, and the
# dashboard's time range (for "in the time range" totals)
RATE = "[$__rate_interval]"
RANGE = "[$__range]"
# the windows of the burn-rate panels: the fast and slow alerts' long windows and a longer one
BURN_PANEL_WINDOWS = ("1h", "6h", "3d")

SHARE = Look(unit="percentunit", low=0, high=1)
AT_GOAL = Look(unit="percentunit", low=0, high=1, steps=green_from(GOAL), width=8)
SECONDS = Look(unit="s")


def quantiles(histogram: str, by: str = "", qs: tuple[float, ...] = (0.5, 0.99)) -> list[Query]:
    """`histogram_quantile` of `histogram` at each of `qs`, over the rate window."""
    labels = f"le, {by}" if by else "le"
    suffix = f" {{{{{by}}}}}" if by else ""
    return [
        Query(
            f"histogram_quantile({q:g}, sum by ({labels}) (rate({histogram}_bucket{RATE})))",
            f"p{q * 100:g}{suffix}",
        )
        for q in qs
    ]


def overview() -> model.Dashboard:
    parts: Parts = [
        Row(f"The goal: coverage and pass rate of at least {GOAL:.0%}"),
        gauge("Coverage by language", "Branch coverage of the latest suite with entries in "
              "each language, mean over its entries.",
              Query("test_coverage_ratio", "{{language}}"), look=AT_GOAL),
        gauge("Pass rate by language", "Pass rate of the latest suite with entries in each "
              "language, mean over its entries.",
              Query("test_pass_rate_ratio", "{{language}}"), look=AT_GOAL),
        gauge("Entries at goal by language", "Share of those entries whose coverage and pass "
              f"rate are both at least {GOAL:.0%}.",
              Query("goal_achievement_ratio", "{{language}}"), look=AT_GOAL),
        timeseries("Coverage and pass rate against the goal", "The two gauges above over "
                   "time; the dashed line is the goal.",
                   Query("test_coverage_ratio", "coverage {{language}}"),
                   Query("test_pass_rate_ratio", "pass rate {{language}}"),
                   look=Look("percentunit", green_from(GOAL), 0, 1)),
        timeseries("Entries evaluated at goal", "Share of the entries evaluated in each rate "
                   "window whose coverage (pass rate) met the goal: the SLIs of the coverage "
                   "and pass-rate SLOs.",
                   Query('sum by (metric) (rate(entries_at_goal_total{result="met"}' + RATE
                         + ")) / sum by (metric) (rate(entries_at_goal_total" + RATE + "))",
                         "{{metric}}"),
                   look=Look("percentunit", green_from(GOAL), 0, 1)),
        Row("Quality"),
        stat("Test quality score", "Overall score of the latest test suite (0-1).",
             Query("test_quality_score", "quality"), look=Look("percentunit", low=0, high=1,
                                                               width=6)),
        gauge("Mutation score by language", "Share of mutants the latest suite's tests kill, "
              "per language.",
              Query("test_mutation_score_ratio", "{{language}}"),
              look=Look("percentunit", low=0, high=1, width=6)),
        bars("Score by evaluation level", "Mean overall score of the latest suites at each "
             "level (unit, agent, system...).",
             Query("eval_level_score", "{{level}}"), look=SHARE),
        stat("Bugs caught", "The latest suite's mutation score (mutants) and the share of bugs "
             "seeded into dataset modules that tests caught, over every run (seeded_bugs).",
             Query("bug_detection_rate", "{{source}}"), look=Look("percentunit", width=8)),
        stat("Developer time saved", "Estimate: kept generated tests x "
             "business.minutes_saved_per_test.",
             Query("developer_time_saved_seconds", "saved"), look=Look("s", width=8)),
        timeseries("Tests run by outcome", "Tests run per second, by the runner's verdict.",
                   Query("sum by (outcome) (rate(tests_executed_total" + RATE + "))",
                         "{{outcome}}"), look=Look("ops", width=8)),
    ]  # fmt: skip
    return dashboard("atg-overview", "atg / Overview", "Coverage and pass rate per language "
                     f"against the {GOAL:.2f} goal, quality, mutation score and scores by "
                     "level.", parts)  # fmt: skip


def llm(target: DeployTarget) -> model.Dashboard:
    cost_limit = target.slo.cost_per_test_usd
    dollars = Look("currencyUSD", width=6, decimals=2)
    per_test = Look("currencyUSD", red_from(cost_limit), decimals=4)
    parts: Parts = [
        Row("Latency and volume"),
        timeseries("LLM call latency p50 / p99", "Model call latency over all providers and "
                   "models, from the llm_call_duration_seconds histogram.",
                   *quantiles("llm_call_duration_seconds"), look=SECONDS),
        timeseries("LLM call latency p99 by model", "The 99th percentile per model.",
                   *quantiles("llm_call_duration_seconds", "model", (0.99,)), look=SECONDS),
        timeseries("Calls per second", "Model calls per second, by provider and model.",
                   Query("sum by (provider, model) (rate(llm_calls_total" + RATE + "))",
                         "{{provider}} {{model}}"), look=Look("reqps")),
        timeseries("Tokens per second", "Tokens consumed per second, input and output.",
                   Query("sum by (provider, type) (rate(llm_tokens_total" + RATE + "))",
                         "{{provider}} {{type}}"), look=Look("short")),
        Row("Cost"),
        stat("Spend in the time range", "Model cost over the dashboard's time range.",
             Query("sum(increase(llm_cost_total" + RANGE + "))", "spend"), look=dollars),
        stat("Cost per kept test in the time range", "Model cost over kept generated tests; "
             f"red from the cost-per-test objective (${cost_limit:g}).",
             Query("sum(increase(llm_cost_total" + RANGE + ")) / sum(increase("
                   'generated_tests_total{status="kept"}' + RANGE + "))", "per test"),
             look=Look("currencyUSD", red_from(cost_limit), width=6, decimals=4)),
        timeseries("Spend per hour", "Model cost per hour, at the rate of each window.",
                   Query("sum(rate(llm_cost_total" + RATE + ")) * 3600", "$ per hour"),
                   look=Look("currencyUSD")),
        bars("Spend by tag in the time range", "Model cost under each tag of the runs that "
             "spent it (team, project, generator, model, prompt_version...).",
             Query("sum by (tag, value) (increase(llm_cost_by_tag_total" + RANGE + "))",
                   "{{tag}}={{value}}"), look=Look("currencyUSD", decimals=2)),
        bars("Cost per kept test by tag", "Model cost over kept generated tests, under each "
             "tag of their runs.",
             Query("sum by (tag, value) (increase(llm_cost_by_tag_total" + RANGE + ")) / "
                   "sum by (tag, value) (increase(generated_tests_by_tag_total" + RANGE + "))",
                   "{{tag}}={{value}}"), look=per_test),
        Row("Errors"),
        timeseries("Failed calls per second", "Model calls that failed, by provider and "
                   "status.",
                   Query("sum by (provider, status) (rate(llm_call_errors_total" + RATE + "))",
                         "{{provider}} {{status}}"), look=Look("reqps")),
        timeseries("Failed share of calls", "Failed calls over all calls, per provider.",
                   Query("sum by (provider) (rate(llm_call_errors_total" + RATE + ")) / "
                         "sum by (provider) (rate(llm_calls_total" + RATE + "))",
                         "{{provider}}"), look=Look("percentunit", low=0)),
    ]  # fmt: skip
    return dashboard(
        "atg-llm",
        "atg / LLM calls and cost",
        "Latency, tokens, spend and failures of the model calls made while generating tests.",
        parts,
    )


def guardrails(target: DeployTarget) -> model.Dashboard:
    effectiveness = target.slo.guardrail_effectiveness
    parts: Parts = [
        Row("Guardrails"),
        gauge("Safety score", "Share of guardrail checks without a finding (1 when none ran).",
              Query("safety_score", "safety"), look=Look("percentunit", low=0, high=1,
                                                         width=6)),
        timeseries("Checks per second", "Guardrail invocations by type (secrets, pii, "
                   "injection, policy).",
                   Query("sum by (type) (rate(guardrails_checks_total" + RATE + "))",
                         "{{type}}"), look=Look("ops", width=9)),
        timeseries("Findings per second", "Guardrail findings by type and severity.",
                   Query("sum by (type, severity) (rate(guardrails_violations_total" + RATE
                         + "))", "{{type}} {{severity}}"), look=Look("ops", width=9)),
        timeseries("Blocked actions per second", "Actions a guardrail refused, by type.",
                   Query("sum by (type) (rate(guardrails_blocks_total" + RATE + "))",
                         "{{type}}"), look=Look("ops")),
        bars("Findings in the time range", "Guardrail findings over the dashboard's time "
             "range, by type.",
             Query("sum by (type) (increase(guardrails_violations_total" + RANGE + "))",
                   "{{type}}"), look=Look("short")),
        Row("Red team and the system-level evaluators"),
        stat("Attacks stopped in the time range", "Share of red-team attacks stopped; red "
             f"under the guardrail-effectiveness objective ({effectiveness:.0%}).",
             Query('sum(increase(redteam_attacks_total{result="stopped"}' + RANGE + ")) / "
                   "sum(increase(redteam_attacks_total" + RANGE + "))", "stopped"),
             look=Look("percentunit", green_from(effectiveness), 0, 1, width=6)),
        timeseries("Attacks per second", "Red-team attacks tried, stopped or passed.",
                   Query("sum by (result) (rate(redteam_attacks_total" + RATE + "))",
                         "{{result}}"), look=Look("ops", width=6)),
        bars("System-level scores", "Overall score of the latest safety and red-team suites.",
             Query('eval_score{level="system"}', "{{eval_name}}"),
             look=Look("percentunit", low=0, high=1, width=6)),
        bars("Attacks stopped by class", "Share of each attack class the latest red-team "
             "suite stopped.",
             Query('eval_metric_ratio{eval_name="red_team"}', "{{metric}}"),
             look=Look("percentunit", green_from(effectiveness), 0, 1, width=6)),
        table("Safety evaluator metrics", "Precision, recall and F1 of the guardrails on the "
              "labeled secret, PII and injection sets, from the latest safety suite.",
              Query('eval_metric_ratio{eval_name="safety"}'),
              look=Look("percentunit", width=24)),
    ]  # fmt: skip
    return dashboard("atg-guardrails", "atg / Guardrails and red team", "Guardrail checks, "
                     "findings and blocks, the safety score and the red team's attacks.",
                     parts)  # fmt: skip


def evals() -> model.Dashboard:
    parts: Parts = [
        Row("Scores and baselines"),
        timeseries("Score against the baseline", "Overall score of the latest suite of each "
                   "name, and the score of the baseline it is compared with.",
                   Query("eval_score", "{{eval_name}} ({{level}})"),
                   Query("baseline_score", "{{eval_name}} baseline"), look=SHARE),
        bars("Agent evaluators", "Overall score of the latest planner, coder and critic "
             "evaluator suites.",
             Query('eval_score{level="agent"}', "{{eval_name}}"), look=SHARE),
        table("Metrics of the latest suites", "Each metric of the latest suite of each name, "
              "mean over its entries.",
              Query("eval_metric_ratio"), look=Look("percentunit", width=24)),
        Row("Regressions"),
        stat("Regressions in the latest check", "Findings flagged by the latest regression "
             "check of each suite name; red from one.",
             Query("regression_detected", "{{eval_name}}"),
             look=Look("short", red_from(1), width=8)),
        stat("Suite names regressed", "Share of suite names whose latest check flagged a "
             "regression.",
             Query("regression_rate", "regressed"), look=Look("percentunit", red_from(0.01),
                                                              width=4)),
        timeseries("Regressions flagged", "Regressions flagged in each rate window, by suite "
                   "name.",
                   Query("sum by (eval_name) (increase(regressions_detected_total" + RATE
                         + "))", "{{eval_name}}"), look=Look("short")),
        Row("Runs"),
        timeseries("Entry evaluation time", "Time to evaluate one entry, p50 / p90 / p99.",
                   *quantiles("eval_duration_seconds", qs=(0.5, 0.9, 0.99)), look=SECONDS),
        timeseries("Suite wall time p90", "Wall time of whole suite runs, by suite name.",
                   *quantiles("ci_pipeline_duration_seconds", "eval_name", (0.9,)),
                   look=SECONDS),
        timeseries("Entries evaluated per second", "Entries evaluated, completed or failed.",
                   Query("sum by (eval_name, status) (rate(eval_results_total" + RATE + "))",
                         "{{eval_name}} {{status}}"), look=Look("ops")),
        timeseries("Mutants by verdict", "Mutants run per second, killed, survived, timed out "
                   "or not covered.",
                   Query("sum by (status) (rate(mutants_total" + RATE + "))", "{{status}}"),
                   look=Look("ops", width=8)),
        stat("Mutants killed in the time range", "Killed mutants over all mutants run.",
             Query('sum(increase(mutants_total{status="killed"}' + RANGE + ")) / "
                   "sum(increase(mutants_total" + RANGE + "))", "killed"),
             look=Look("percentunit", width=4)),
    ]  # fmt: skip
    return dashboard(
        "atg-evals",
        "atg / Evaluations and regressions",
        "Suite scores against their baselines, regressions, evaluation time and mutants.",
        parts,
    )


def window(days: float) -> str:
    """A PromQL duration of `days` (whole hours when not whole days)."""
    return f"{days:g}d" if float(days).is_integer() else f"{round(days * 24)}h"


def _slo_panels(slo: Slo, budget_window: str) -> Parts:
    if slo.kind == "ratio":
        sli = Query(f"1 - ({slo.error_promql(budget_window)})", "good")
        sli_look = Look("percentunit", green_from(slo.objective), width=6, decimals=2)
        bar = f"objective {slo.objective:.2%}"
    else:
        sli = Query(slo.error_promql(budget_window), slo.unit)
        sli_look = Look("currencyUSD", red_from(slo.objective), width=6, decimals=4)
        bar = f"limit ${slo.objective:g}"
    return [
        Row(slo.title),
        timeseries(f"Burn rate: {slo.short}", f"Error over the allowed error ({bar}), over "
                   "the last 1h, 6h and 3d: 1 spends the budget exactly over the window.",
                   *(Query(slo.burn_rate_promql(w), w) for w in BURN_PANEL_WINDOWS),
                   look=Look("short", red_from(1), low=0)),
        stat(f"Budget left: {slo.short}", f"Share of the error budget of the last "
             f"{budget_window} not yet spent (negative: overspent).",
             Query(f"1 - ({slo.burn_rate_promql(budget_window)})", "left"),
             look=Look("percentunit", green_from(0), width=6, decimals=1)),
        stat(f"SLI: {slo.short}", f"Good: {slo.good}; over the last {budget_window}, {bar}.",
             sli, look=sli_look),
    ]  # fmt: skip


def slos(target: DeployTarget) -> model.Dashboard:
    budget_window = window(target.slo.window_days)
    parts: Parts = []
    for slo in objectives(target.slo):
        parts += _slo_panels(slo, budget_window)
    return dashboard("atg-slos", "atg / SLOs and error budgets", "Each SLO's burn rate over "
                     "three windows and the error budget left, from observability/slo.py.",
                     parts)  # fmt: skip


def dashboards(target: DeployTarget) -> list[model.Dashboard]:
    """The five dashboards, for the objectives and limits of `target`."""
    return [overview(), llm(target), guardrails(target), evals(), slos(target)]
