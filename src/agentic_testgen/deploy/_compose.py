"""docker-compose.yml: the exporter over the workspace database, Prometheus, Alertmanager and
Grafana, each reading its configuration from the rendered folder next to the file."""

from __future__ import annotations

from typing import Any

from agentic_testgen.deploy._alertmanager import SECRETS
from agentic_testgen.deploy._prometheus import retention
from agentic_testgen.deploy._target import DeployTarget
from agentic_testgen.deploy._yaml import dump

COMPOSE_FILE = "docker-compose.yml"
PROMETHEUS_IMAGE = "prom/prometheus:v2.53.2"
ALERTMANAGER_IMAGE = "prom/alertmanager:v0.27.0"
GRAFANA_IMAGE = "grafana/grafana-oss:11.2.2"
# where Grafana's image reads provisioning, and where the dashboard provider looks
GRAFANA_PROVISIONING = "/etc/grafana/provisioning"
GRAFANA_DASHBOARDS = "/var/lib/grafana/dashboards"
# the exporter's image: atg installed from the checkout (ATG_SOURCE, by default the parent of a
# `deploy/` folder at the repository's root); it runs as root so that it can write the SQLite
# database of a workspace mounted from the host, whoever owns it there
EXPORTER_DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .
ENTRYPOINT ["atg"]
"""


def port(address: str) -> str:
    return address.rsplit(":", 1)[1]


def _published(address: str) -> list[str]:
    # on the host's loopback only: the stack has no authentication of its own
    return [f"127.0.0.1:{port(address)}:{port(address)}"]


def services(target: DeployTarget) -> dict[str, Any]:
    exporter, prometheus, alertmanager = (
        port(target.exporter),
        port(target.prometheus),
        port(target.alertmanager),
    )
    return {
        "atg-exporter": {
            "build": {"context": "${ATG_SOURCE:-..}", "dockerfile_inline": EXPORTER_DOCKERFILE},
            "image": "agentic-testgen:local",
            "command": ["metrics", "serve", "--host", "0.0.0.0", "--port", exporter,
                        "--workspace", "/workspace"],
            # ATG_DB_URL, when set, names a shared database instead of the workspace's
            "environment": ["ATG_DB_URL"],
            "volumes": ["${ATG_WORKSPACE:-../evals}:/workspace"],
            "ports": _published(target.exporter),
            "restart": "unless-stopped",
        },
        "prometheus": {
            "image": PROMETHEUS_IMAGE,
            "command": [
                "--config.file=/etc/prometheus/prometheus.yml",
                "--storage.tsdb.path=/prometheus",
                f"--storage.tsdb.retention.time={retention(target)}",
                f"--web.listen-address=:{prometheus}",
            ],
            "volumes": ["./prometheus:/etc/prometheus:ro", "prometheus-data:/prometheus"],
            "ports": _published(target.prometheus),
            "depends_on": ["atg-exporter", "alertmanager"],
            "restart": "unless-stopped",
        },
        "alertmanager": {
            "image": ALERTMANAGER_IMAGE,
            "command": [
                "--config.file=/etc/alertmanager/alertmanager.yml",
                "--storage.path=/alertmanager",
                f"--web.listen-address=:{alertmanager}",
            ],
            "volumes": ["./alertmanager:/etc/alertmanager:ro", "alertmanager-data:/alertmanager"],
            "secrets": list(SECRETS),
            "ports": _published(target.alertmanager),
            "restart": "unless-stopped",
        },
        "grafana": {
            "image": GRAFANA_IMAGE,
            "volumes": [
                f"./grafana/provisioning:{GRAFANA_PROVISIONING}:ro",
                f"./grafana/dashboards:{GRAFANA_DASHBOARDS}:ro",
                "grafana-data:/var/lib/grafana",
            ],
            "ports": ["127.0.0.1:3000:3000"],
            "depends_on": ["prometheus"],
            "restart": "unless-stopped",
        },
    }  # fmt: skip


def files(target: DeployTarget) -> dict[str, str]:
    document = {
        "name": "atg",
        "services": services(target),
        "volumes": {"prometheus-data": {}, "alertmanager-data": {}, "grafana-data": {}},
        "secrets": {name: {"environment": variable} for name, variable in SECRETS.items()},
    }
    header = (
        "Rendered by `atg deploy render` (docs/deploy.md). Start it from this folder:\n"
        "  PAGERDUTY_ROUTING_KEY=... CHAT_WEBHOOK_URL=https://hooks.slack.com/... "
        "docker compose up -d\n"
        "ATG_WORKSPACE (default ../evals) is the workspace whose evals.db the exporter serves;\n"
        "ATG_SOURCE (default ..) the atg checkout its image is built from."
    )
    return {COMPOSE_FILE: dump(document, header)}
