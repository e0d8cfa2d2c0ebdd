"""The rendered Prometheus configuration and rules, checked by promtool: the configuration and
rules are valid, and the generated unit tests (each alert firing and silent, each SLO recording)
pass against the rules and fail when a rule is wrong."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from agentic_testgen.config import CostSettings, SloSettings
from agentic_testgen.deploy import DeployTarget, render
from agentic_testgen.deploy._prometheus import duration
from agentic_testgen.observability.slo import BURN_WINDOWS, objectives
from tests.deploy.conftest import run

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ("LowTestCoverage", "LowPassRate", "HighErrorRate", "HighLLMLatency",
          "BudgetExceeded", "RegressionDetected", "ErrorBudgetBurn")  # fmt: skip


def rules(out: Path, name: str) -> list[dict[str, Any]]:
    document = yaml.safe_load((out / "prometheus" / "rules" / name).read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def promtool_passes(out: Path) -> None:
    config = run("promtool", "check", "config", "prometheus/prometheus.yml", cwd=out)
    assert config.returncode == 0, config.stdout + config.stderr
    tested = run("promtool", "test", "rules", *sorted(
        str(p.relative_to(out)) for p in (out / "prometheus" / "tests").glob("*.yml")
    ), cwd=out)  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert tested.stdout.count("SUCCESS") == 2


def test_promtool_accepts_the_configuration_and_the_rules_pass_their_tests(rendered: Path) -> None:
    promtool_passes(rendered)  # `check config` checks the rule files it names too
    checked = run("promtool", "check", "rules", "prometheus/rules/atg-alerts.yml",
                  "prometheus/rules/atg-slo.yml", cwd=rendered)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_settings_change_the_rules_and_their_tests_still_pass(tmp_path: Path) -> None:
    """Budgets (so BudgetExceeded reads recorded ones), a tighter coverage objective, a 90-minute
    budget window and an 80 % objective that no page can reach (only a ticket)."""
    target = DeployTarget(
        slo=SloSettings(coverage_achievement=0.99, pass_rate_achievement=0.80),
        cost=CostSettings(budgets={"team=payments": 12.5, "model=gpt-4o": 3.0},
                          budget_window_days=1 / 16),
        scrape_interval="30s",
    )  # fmt: skip
    render(target, tmp_path)
    promtool_passes(tmp_path)
    alerts = rules(tmp_path, "atg-alerts.yml")
    budgets = {(r["labels"]["tag"], r["labels"]["value"]): r["expr"] for r in alerts
               if r.get("record") == "atg:llm_cost_budget_usd"}  # fmt: skip
    assert budgets == {("team", "payments"): "vector(12.5)", ("model", "gpt-4o"): "vector(3)"}
    [budget] = [r for r in alerts if r.get("alert") == "BudgetExceeded"]
    assert "[90m]" in budget["expr"]
    slo = rules(tmp_path, "atg-slo.yml")
    pass_rate = [r for r in slo if r.get("labels", {}).get("slo") == "pass_rate_achievement"
                 and "alert" in r]  # fmt: skip
    assert [r["labels"]["severity"] for r in pass_rate] == ["warning"]  # 6x needs > 120 % misses
    coverage_page = next(r for r in slo if r.get("alert") and r["labels"]["severity"] ==
                         "critical" and r["labels"]["slo"] == "coverage_achievement")  # fmt: skip
    assert "/ 0.01 > 14.4" in coverage_page["expr"]
    config = yaml.safe_load((tmp_path / "prometheus" / "prometheus.yml").read_text())
    assert config["global"] == {"scrape_interval": "30s", "evaluation_interval": "30s"}


def test_a_wrong_rule_fails_its_generated_tests(rendered: Path) -> None:
    alerts = rendered / "prometheus" / "rules" / "atg-alerts.yml"
    alerts.write_text(
        alerts.read_text().replace("regression_detected > 0", "regression_detected > 5")
    )
    slo = rendered / "prometheus" / "rules" / "atg-slo.yml"
    text = slo.read_text()
    # the coverage SLI counting met entries as bad over one window
    slo.write_text(text.replace('metric="coverage",result="missed"}[6h]',
                                'metric="coverage",result="met"}[6h]', 1))  # fmt: skip
    tested = run("promtool", "test", "rules", "prometheus/tests/atg-alerts.test.yml",
                 "prometheus/tests/atg-slo.test.yml", cwd=rendered)  # fmt: skip
    assert tested.returncode == 1
    failures = tested.stdout + tested.stderr
    assert "alertname: RegressionDetected" in failures
    assert 'ratio_rate6h{slo=\\"coverage_achievement\\"}' in failures


def test_every_alert_has_a_severity_a_summary_a_description_and_a_runbook_section(
    rendered: Path,
) -> None:
    anchors = {_anchor(h) for h in re.findall(r"^#+ (.+)$", (ROOT / "docs" / "runbooks.md")
               .read_text(), flags=re.MULTILINE)}  # fmt: skip
    found = [r for name in ("atg-alerts.yml", "atg-slo.yml") for r in rules(rendered, name)
             if "alert" in r]  # fmt: skip
    assert {r["alert"] for r in found} == set(ALERTS)
    for rule in found:
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert set(rule["annotations"]) == {"summary", "description", "runbook_url"}
        page, _, anchor = rule["annotations"]["runbook_url"].partition("#")
        assert page == "docs/runbooks.md" and anchor in anchors, rule["annotations"]


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_alert_fires_in_one_generated_case_and_stays_silent_in_another(
    rendered: Path,
) -> None:
    """Per alert (per SLO and severity for the burn-rate alerts): a case where it fires with
    its labels and annotations, and one where it does not."""
    outcomes: dict[str, set[bool]] = {}
    for name in ("atg-alerts.test.yml", "atg-slo.test.yml"):
        document = yaml.safe_load((rendered / "prometheus" / "tests" / name).read_text())
        for group in document["tests"]:
            [check] = group["alert_rule_test"]
            # "HighErrorRate: ..." or "ErrorBudgetBurn generation_latency: ..."
            alert = group["name"].split(":")[0]
            assert alert.split()[0] == check["alertname"]
            for severity in ("critical", "warning"):
                fired = [a for a in check["exp_alerts"] if a["exp_labels"]["severity"] == severity]
                assert all(a["exp_annotations"]["summary"] for a in fired)
                outcomes.setdefault(f"{alert} {severity}", set()).add(bool(fired))
    expected = {alert for alert in ALERTS if alert != "ErrorBudgetBurn"} | {
        f"ErrorBudgetBurn {slo.name}" for slo in objectives()
    }
    assert {name.rsplit(" ", 1)[0] for name in outcomes} == expected
    for alert in expected:
        assert any(outcomes[f"{alert} {s}"] == {True, False} for s in ("critical", "warning"))
    for slo in objectives():  # the defaults can page on every SLO, and ticket
        for severity in ("critical", "warning"):
            assert outcomes[f"ErrorBudgetBurn {slo.name} {severity}"] == {True, False}


def test_the_slo_recording_rules_are_the_slo_definitions(rendered: Path) -> None:
    """One definition of each SLI: the recorded expression is `Slo.error_promql`, verbatim."""
    recorded = {
        (r["labels"]["slo"], r["record"]): r["expr"]
        for r in rules(rendered, "atg-slo.yml") if "record" in r
    }  # fmt: skip
    assert recorded == {
        (slo.name, f"slo:sli_error:ratio_rate{w}"): slo.error_promql(w)
        for slo in objectives() for w in BURN_WINDOWS
    }  # fmt: skip
    page = next(
        r
        for r in rules(rendered, "atg-slo.yml")
        if r.get("alert")
        and r["labels"] == {"severity": "critical", "slo": "generation_availability"}
    )
    assert re.sub(r"\s+", " ", page["expr"]) == (
        '( slo:sli_error:ratio_rate1h{slo="generation_availability"} / 0.001 > 14.4 and '
        'slo:sli_error:ratio_rate5m{slo="generation_availability"} / 0.001 > 14.4 ) or '
        '( slo:sli_error:ratio_rate6h{slo="generation_availability"} / 0.001 > 6 and '
        'slo:sli_error:ratio_rate30m{slo="generation_availability"} / 0.001 > 6 )'
    )


def test_latency_is_read_through_a_quantile_and_errors_through_rates(rendered: Path) -> None:
    by_name = {r["alert"]: r["expr"] for r in rules(rendered, "atg-alerts.yml") if "alert" in r}
    assert by_name["HighLLMLatency"].startswith(
        "histogram_quantile(0.99, sum by (le) (rate(llm_call_duration_seconds_bucket[5m])))"
    )
    assert by_name["HighErrorRate"].count("rate(test_generation_calls_total") == 2


@pytest.mark.parametrize(("days", "promql"), [(30, "30d"), (1.5, "36h"), (1 / 16, "90m")])
def test_budget_windows_are_promql_durations(days: float, promql: str) -> None:
    assert duration(days) == promql
