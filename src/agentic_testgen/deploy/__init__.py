"""The ops stack atg ships: Prometheus scrape configuration, recording and alerting rules with
their promtool tests, Alertmanager routing, Grafana provisioning and dashboards, and a
docker-compose file for the whole stack — rendered from settings (`atg deploy render`), so a
team adapts it without editing YAML by hand. The committed `deploy/` folder is the rendering with
the default settings.

Each part is a module with `files(target) -> {relative path: text}`; `render` writes them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentic_testgen.config import SloSettings


@dataclass(frozen=True)
class DeployTarget:
    """What the rendered configuration points at.

    Attributes:
        exporter: host:port Prometheus scrapes for atg's metrics.
        prometheus: host:port of Prometheus (Grafana's datasource, Alertmanager's links).
        alertmanager: host:port Prometheus sends alerts to.
        slo: the objectives the SLO rules hold (`[slo]` settings).
        scrape_interval: how often Prometheus scrapes the exporter.
    """

    exporter: str = "atg-exporter:9464"
    prometheus: str = "prometheus:9090"
    alertmanager: str = "alertmanager:9093"
    slo: SloSettings = field(default_factory=SloSettings)
    scrape_interval: str = "15s"
