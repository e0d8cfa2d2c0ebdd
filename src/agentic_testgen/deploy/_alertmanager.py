"""Alertmanager: critical alerts page (PagerDuty), warnings go to chat (a Slack-compatible
incoming webhook), a page silences the warning of the same alert and SLO.

The secrets stay out of the rendered files, which are committed: Alertmanager reads the
PagerDuty routing key and the chat webhook URL from files (`routing_key_file`, `api_url_file`,
re-read at each notification), and docker-compose.yml mounts them as secrets made from the
`PAGERDUTY_ROUTING_KEY` and `CHAT_WEBHOOK_URL` variables of the shell that starts the stack.
"""

from __future__ import annotations

from typing import Any

from agentic_testgen.deploy._target import DeployTarget
from agentic_testgen.deploy._yaml import dump

CONFIG_FILE = "alertmanager/alertmanager.yml"
SECRETS_DIR = "/run/secrets"
# secret name (the file under /run/secrets) -> the environment variable compose reads it from
SECRETS = {"pagerduty_routing_key": "PAGERDUTY_ROUTING_KEY", "chat_webhook_url": "CHAT_WEBHOOK_URL"}
PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
GROUP_BY = ["alertname", "slo", "language", "eval_name", "tag", "value"]

_TITLE = (
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] '
    "{{ .CommonLabels.alertname }}{{ with .CommonLabels.slo }} ({{ . }}){{ end }}"
)
_TEXT = (
    "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n"
    "Runbook: {{ .Annotations.runbook_url }}\n{{ end }}"
)


def config(target: DeployTarget) -> dict[str, Any]:
    """The configuration as a mapping (what alertmanager.yml holds)."""
    del target  # the same routing for every target; the receivers' secrets are files
    return {
        "route": {
            "receiver": "chat",
            "group_by": GROUP_BY,
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
            "routes": [
                {"matchers": ['severity="critical"'], "receiver": "pager", "repeat_interval": "1h"},
                {"matchers": ['severity="warning"'], "receiver": "chat"},
            ],
        },
        "inhibit_rules": [
            {
                "source_matchers": ['severity="critical"'],
                "target_matchers": ['severity="warning"'],
                "equal": ["alertname", "slo"],
            }
        ],
        "receivers": [
            {
                "name": "pager",
                "pagerduty_configs": [
                    {
                        "routing_key_file": f"{SECRETS_DIR}/pagerduty_routing_key",
                        "url": PAGERDUTY_EVENTS_URL,
                        "send_resolved": True,
                        "severity": "critical",
                        "description": "{{ .CommonLabels.alertname }}: "
                        "{{ .CommonAnnotations.summary }}",
                        "links": [
                            {"href": "{{ .CommonAnnotations.runbook_url }}", "text": "runbook"}
                        ],
                    }
                ],
            },
            {
                "name": "chat",
                "slack_configs": [
                    {
                        "api_url_file": f"{SECRETS_DIR}/chat_webhook_url",
                        "send_resolved": True,
                        "title": _TITLE,
                        "text": _TEXT,
                    }
                ],
            },
        ],
    }


def files(target: DeployTarget) -> dict[str, str]:
    header = (
        "Rendered by `atg deploy render` (docs/deploy.md): critical -> pager, warning -> chat.\n"
        f"The receivers read their secrets from {SECRETS_DIR}/<name>, which docker-compose.yml\n"
        f"mounts from the {' and '.join(SECRETS.values())} variables: nothing secret is here."
    )
    return {CONFIG_FILE: dump(config(target), header)}
