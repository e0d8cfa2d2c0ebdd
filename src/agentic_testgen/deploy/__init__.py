"""The ops stack atg ships: Prometheus scrape configuration, recording and alerting rules with
their promtool tests, Alertmanager routing, Grafana provisioning and dashboards, and a
docker-compose file for the whole stack — rendered from settings (`atg deploy render`), so a
team adapts it without editing YAML by hand. The committed `deploy/` folder is the rendering with
the default settings.

Each part is a module with `files(target) -> {relative path: text}`; `render` writes them all.
"""

from __future__ import annotations

from agentic_testgen.deploy._render import DeployError, render, rendered_files
from agentic_testgen.deploy._target import DeployTarget

__all__ = ["DeployError", "DeployTarget", "render", "rendered_files"]
