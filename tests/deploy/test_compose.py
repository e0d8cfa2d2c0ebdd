"""docker-compose.yml, checked for its structure (Docker cannot run here): the services, the
folders they mount exist in the rendered tree, the ports follow the target, the secrets come from
the environment."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import yaml

from agentic_testgen.deploy import DeployTarget, render
from agentic_testgen.deploy._compose import GRAFANA_DASHBOARDS, GRAFANA_PROVISIONING

HAS_GRAFANA = importlib.util.find_spec("agentic_testgen.deploy._grafana") is not None


def compose(out: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((out / "docker-compose.yml").read_text())
    return document


def test_the_stack_has_its_four_services_and_mounts_what_was_rendered(rendered: Path) -> None:
    document = compose(rendered)
    services = document["services"]
    assert set(services) == {"atg-exporter", "prometheus", "alertmanager", "grafana"}
    named = set(document["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            # source:/path[:ro], where the source may be ${VARIABLE:-default}
            found = re.fullmatch(r"(.+?):(/[^:]*)(:ro)?", volume)
            assert found, volume
            source = found[1]
            if source in named:
                continue
            if source.startswith("${ATG_WORKSPACE"):  # the user's workspace, outside the tree
                assert name == "atg-exporter"
                continue
            if source.startswith("./grafana") and not HAS_GRAFANA:
                continue  # Grafana's files are rendered by its own part, absent from this build
            assert (rendered / source).is_dir(), f"{name} mounts {source}, not rendered"
        assert all(d in services for d in service.get("depends_on", [])), name
    exporter = services["atg-exporter"]
    assert exporter["command"][:6] == ["metrics", "serve", "--host", "0.0.0.0", "--port", "9464"]
    assert "--workspace" in exporter["command"]
    assert "atg" in exporter["build"]["dockerfile_inline"]
    prometheus = services["prometheus"]["command"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus
    # rule_files are relative to the configuration: the rules folder is mounted beside it
    assert "./prometheus:/etc/prometheus:ro" in services["prometheus"]["volumes"]
    assert any(flag.startswith("--storage.tsdb.retention.time=37d") for flag in prometheus)
    assert services["alertmanager"]["secrets"] == ["pagerduty_routing_key", "chat_webhook_url"]
    assert document["secrets"] == {
        "pagerduty_routing_key": {"environment": "PAGERDUTY_ROUTING_KEY"},
        "chat_webhook_url": {"environment": "CHAT_WEBHOOK_URL"},
    }
    ports = [p for service in services.values() for p in service["ports"]]
    assert all(p.startswith("127.0.0.1:") for p in ports)  # nothing beyond the host


def test_grafana_mounts_the_paths_its_provisioning_names() -> None:
    assert GRAFANA_PROVISIONING == "/etc/grafana/provisioning"
    assert GRAFANA_DASHBOARDS == "/var/lib/grafana/dashboards"
    if HAS_GRAFANA:
        from agentic_testgen.deploy import _grafana

        assert getattr(_grafana, "PROVISIONING_PATH", GRAFANA_PROVISIONING) == GRAFANA_PROVISIONING
        assert getattr(_grafana, "DASHBOARDS_PATH", GRAFANA_DASHBOARDS) == GRAFANA_DASHBOARDS


def test_ports_follow_the_target(tmp_path: Path) -> None:
    render(DeployTarget(exporter="atg-exporter:9100", alertmanager="alertmanager:9193"), tmp_path)
    services = compose(tmp_path)["services"]
    assert services["atg-exporter"]["command"][5] == "9100"
    assert services["atg-exporter"]["ports"] == ["127.0.0.1:9100:9100"]
    assert "--web.listen-address=:9193" in services["alertmanager"]["command"]
    prometheus = yaml.safe_load((tmp_path / "prometheus" / "prometheus.yml").read_text())
    targets = {job["job_name"]: job["static_configs"][0]["targets"]
               for job in prometheus["scrape_configs"]}  # fmt: skip
    assert targets == {"atg": ["atg-exporter:9100"], "prometheus": ["prometheus:9090"],
                       "alertmanager": ["alertmanager:9193"]}  # fmt: skip
