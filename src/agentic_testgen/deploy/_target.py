"""What the rendered ops stack points at: addresses, intervals and the settings it holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from agentic_testgen.config import CostSettings, SloSettings


@dataclass(frozen=True)
class DeployTarget:
    """What the rendered configuration points at.

    Attributes:
        exporter: host:port Prometheus scrapes for atg's metrics.
        prometheus: host:port of Prometheus (Grafana's datasource, Alertmanager's links).
        alertmanager: host:port Prometheus sends alerts to.
        slo: the objectives the SLO rules hold (`[slo]` settings).
        scrape_interval: how often Prometheus scrapes the exporter.
        cost: the spending budgets the BudgetExceeded alert holds (`[cost]` settings).
        runbooks: where people read docs/runbooks.md; each alert's `runbook_url` is an anchor
            of it.
    """

    exporter: str = "atg-exporter:9464"
    prometheus: str = "prometheus:9090"
    alertmanager: str = "alertmanager:9093"
    slo: SloSettings = field(default_factory=SloSettings)
    scrape_interval: str = "15s"
    cost: CostSettings = field(default_factory=CostSettings)
    runbooks: str = "docs/runbooks.md"
