"""What the rendered ops stack points at: addresses, intervals and the settings it holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentic_testgen.config import CostSettings, SloSettings


# the settings are read when a target is made: `atg deploy render --help` shows the defaults
# below without loading the settings' models
def _slo_settings() -> SloSettings:
    from agentic_testgen.config import SloSettings  # noqa: PLC0415

    return SloSettings()


def _cost_settings() -> CostSettings:
    from agentic_testgen.config import CostSettings  # noqa: PLC0415

    return CostSettings()


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
    slo: SloSettings = field(default_factory=_slo_settings)
    scrape_interval: str = "15s"
    cost: CostSettings = field(default_factory=_cost_settings)
    runbooks: str = "docs/runbooks.md"
