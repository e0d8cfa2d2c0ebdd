"""Grafana: the Prometheus datasource, the dashboard provider and atg's five dashboards.

The dashboards are built with Grafana's Foundation SDK (`grafana-foundation-sdk`, the Grafana
11.6 build): typed builders for the dashboard JSON model, so a panel option or a query field is
checked by mypy instead of typed into JSON by hand. Grafana 12 reads the same model.

The compose file mounts `grafana/provisioning` at `PROVISIONING_PATH` and `grafana/dashboards`
at `DASHBOARDS_PATH`.
"""

from __future__ import annotations

from typing import Any

import yaml

from agentic_testgen.deploy import DeployTarget
from agentic_testgen.deploy._grafana_dashboards import dashboards
from agentic_testgen.deploy._grafana_panels import DATASOURCE_UID, TAG, encode

# where Grafana's image reads provisioning, and where the provider below finds the dashboards
PROVISIONING_PATH = "/etc/grafana/provisioning"
DASHBOARDS_PATH = "/var/lib/grafana/dashboards"


def _yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, default_flow_style=False)


def datasource(target: DeployTarget) -> str:
    """The Prometheus datasource every panel names by its uid."""
    return _yaml({
        "apiVersion": 1,
        "datasources": [{
            "name": "Prometheus (atg)",
            "uid": DATASOURCE_UID,
            "type": "prometheus",
            "access": "proxy",
            "url": f"http://{target.prometheus}",
            "isDefault": True,
            "editable": False,
            # Grafana's $__rate_interval is at least four scrape intervals
            "jsonData": {"timeInterval": target.scrape_interval, "httpMethod": "POST"},
        }],
    })  # fmt: skip


def provider() -> str:
    """The file provider that loads the dashboards into a folder `atg`, read-only: they are
    rendered from code, so a change made in the UI would be lost at the next render."""
    return _yaml({
        "apiVersion": 1,
        "providers": [{
            "name": TAG,
            "orgId": 1,
            "folder": TAG,
            "type": "file",
            "disableDeletion": True,
            "allowUiUpdates": False,
            "updateIntervalSeconds": 60,
            "options": {"path": DASHBOARDS_PATH, "foldersFromFilesStructure": False},
        }],
    })  # fmt: skip


def files(target: DeployTarget) -> dict[str, str]:
    """Grafana's provisioning and dashboards, by path under the rendered folder."""
    out = {
        "grafana/provisioning/datasources/atg.yml": datasource(target),
        "grafana/provisioning/dashboards/atg.yml": provider(),
    }
    for board in dashboards(target):
        out[f"grafana/dashboards/{board.uid}.json"] = encode(board)
    return out
