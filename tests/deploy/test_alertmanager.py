"""The rendered Alertmanager configuration, checked by amtool: valid, critical alerts page,
warnings go to chat, a page silences the warning of the same alert and SLO, no secret inside."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.deploy.conftest import run


def test_amtool_accepts_the_configuration(rendered: Path) -> None:
    checked = run("amtool", "check-config", "alertmanager/alertmanager.yml", cwd=rendered)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS" in checked.stdout and "1 inhibit rules" in checked.stdout


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        (["alertname=HighErrorRate", "severity=critical"], "pager"),
        (["alertname=ErrorBudgetBurn", "slo=generation_latency", "severity=critical"], "pager"),
        (["alertname=RegressionDetected", "eval_name=nightly", "severity=warning"], "chat"),
        (["alertname=Watchdog"], "chat"),  # no severity: chat, not nowhere
    ],
)
def test_alerts_are_routed_by_severity(rendered: Path, labels: list[str], receiver: str) -> None:
    routed = run(
        "amtool", "config", "routes", "test", "--config.file=alertmanager/alertmanager.yml",
        *labels, cwd=rendered,
    )  # fmt: skip
    assert routed.returncode == 0, routed.stdout + routed.stderr
    assert routed.stdout.split() == [receiver]


def test_a_page_silences_the_warning_of_the_same_alert_and_slo_and_grouping_keeps_them_apart(
    rendered: Path,
) -> None:
    config = yaml.safe_load((rendered / "alertmanager" / "alertmanager.yml").read_text())
    assert config["inhibit_rules"] == [{
        "source_matchers": ['severity="critical"'],
        "target_matchers": ['severity="warning"'],
        "equal": ["alertname", "slo"],
    }]  # fmt: skip
    assert {"alertname", "slo", "language"} <= set(config["route"]["group_by"])


def test_receivers_read_their_secrets_from_files_and_none_is_written(rendered: Path) -> None:
    config = yaml.safe_load((rendered / "alertmanager" / "alertmanager.yml").read_text())
    receivers = {r["name"]: r for r in config["receivers"]}
    [pager] = receivers["pager"]["pagerduty_configs"]
    [chat] = receivers["chat"]["slack_configs"]
    assert pager["routing_key_file"] == "/run/secrets/pagerduty_routing_key"
    assert chat["api_url_file"] == "/run/secrets/chat_webhook_url"
    assert not {"routing_key", "service_key"} & set(pager) and "api_url" not in chat
