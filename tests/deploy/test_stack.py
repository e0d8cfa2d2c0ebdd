"""The rendered stack, running for real on loopback: `atg metrics serve` over a seeded workspace,
Prometheus with the rendered configuration and rules, Alertmanager with the rendered routing, and
a webhook server standing in for PagerDuty and the chat. A bad run (failed generations, a flagged
regression) must reach the pager and the chat through Alertmanager, and every SLO recording rule
must hold the SLI of the stored records.

The test's copy of the rendering differs from `atg deploy render` in what makes it wait or reach
the outside, and nothing else: the stack is rendered with a 1 s scrape and evaluation interval;
the alerts lose their `for` (10 minutes would outlast the test); Alertmanager's `group_wait` and
`group_interval` become 1 s; the receivers' secret files are written to the test's folder (the
chat webhook URL and a routing key), and the PagerDuty events URL points at the webhook server.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from agentic_testgen.deploy import DeployTarget, render
from agentic_testgen.observability.slo import BURN_WINDOWS, objectives
from agentic_testgen.storage import RegressionFinding, ResultStore
from tests.deploy.conftest import tool
from tests.observability.test_prometheus import free_port, query
from tests.observability.test_slo import HAND, seed

pytestmark = pytest.mark.slow

T = TypeVar("T")
ROUTING_KEY = "routing-key-from-the-secret-file"
REGRESSED_SUITE = "payments-nightly"


@dataclass
class Webhook:
    """What the receivers posted: (path, JSON body), in arrival order."""

    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self, path: str) -> list[dict[str, Any]]:
        with self.lock:
            return [body for at, body in self.posts if at == path]


def serve_webhook(webhook: Webhook) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with webhook.lock:
                webhook.posts.append((self.path, json.loads(body)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Stack:
    prometheus: str
    alertmanager: str
    webhook: Webhook
    logs: Path
    # seconds from the bad run being stored to each receiver's first post
    arrived: dict[str, float] = field(default_factory=dict)

    def log_tails(self) -> str:
        return "\n".join(
            f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-15:])
            for path in sorted(self.logs.glob("*.log"))
        )


def wait_for(what: str, probe: Callable[[], T | None], stack: Stack, timeout_s: float = 120) -> T:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = probe()
        except OSError:
            found = None  # not listening yet
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}\n{stack.log_tails()}")


def without_waiting(out: Path, webhook_url: str, secrets: Path) -> None:
    """The test's copy: no `for`, 1 s grouping, secrets and the pager URL on loopback."""
    for rules in (out / "prometheus" / "rules").glob("*.yml"):
        document = yaml.safe_load(rules.read_text())
        for group in document["groups"]:
            for rule in group["rules"]:
                rule.pop("for", None)
        rules.write_text(yaml.safe_dump(document, sort_keys=False))
    secrets.mkdir()
    (secrets / "pagerduty_routing_key").write_text(ROUTING_KEY)
    (secrets / "chat_webhook_url").write_text(f"{webhook_url}/chat")
    path = out / "alertmanager" / "alertmanager.yml"
    config = yaml.safe_load(path.read_text())
    config["route"].update(group_wait="1s", group_interval="1s")
    receivers = {receiver["name"]: receiver for receiver in config["receivers"]}
    [pager] = receivers["pager"]["pagerduty_configs"]
    pager.update(
        url=f"{webhook_url}/pager", routing_key_file=str(secrets / "pagerduty_routing_key")
    )
    [chat] = receivers["chat"]["slack_configs"]
    chat["api_url_file"] = str(secrets / "chat_webhook_url")
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def bad_run(store: ResultStore) -> None:
    """The seeded work once more (a failed generation in four, entries under the goal), and a
    suite whose regression check flags its score."""
    seed(store)
    suite = store.start_suite(REGRESSED_SUITE)
    store.finish_suite(suite.id)
    store.add_regressions(suite.id, [
        RegressionFinding(REGRESSED_SUITE, "score", 0.9, 0.7, -0.2, flagged=True),
    ])  # fmt: skip


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The stack up, the seeded work scraped, then a bad run stored and seen by both receivers."""
    root = tmp_path_factory.mktemp("stack")
    store = ResultStore.for_workspace(root / "evals")
    seed(store)
    exporter, prometheus, alertmanager = free_port(), free_port(), free_port()
    webhook = Webhook()
    server = serve_webhook(webhook)
    out = root / "deploy"
    target = DeployTarget(
        exporter=f"127.0.0.1:{exporter}",
        prometheus=f"127.0.0.1:{prometheus}",
        alertmanager=f"127.0.0.1:{alertmanager}",
        scrape_interval="1s",
    )
    render(target, out)
    without_waiting(out, f"http://127.0.0.1:{server.server_port}", root / "secrets")
    logs = root / "logs"
    logs.mkdir()
    commands = {
        "exporter": [sys.executable, "-c", "from agentic_testgen.cli import main; main()",
                     "metrics", "serve", "--host", "127.0.0.1", "--port", str(exporter),
                     "--workspace", str(root / "evals")],
        "prometheus": [tool("prometheus"), f"--config.file={out / 'prometheus/prometheus.yml'}",
                       f"--storage.tsdb.path={root / 'tsdb'}",
                       f"--web.listen-address=127.0.0.1:{prometheus}"],
        "alertmanager": [tool("prometheus-alertmanager"),
                         f"--config.file={out / 'alertmanager/alertmanager.yml'}",
                         f"--storage.path={root / 'alertmanager'}",
                         f"--web.listen-address=127.0.0.1:{alertmanager}",
                         "--cluster.listen-address="],  # no gossip port: one instance
    }  # fmt: skip
    processes = []
    running = Stack(f"http://127.0.0.1:{prometheus}", f"http://127.0.0.1:{alertmanager}",
                    webhook, logs)  # fmt: skip
    try:
        for name, command in commands.items():
            with (logs / f"{name}.log").open("w") as log:
                processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))
        # two scrapes of the seeded work: the counters' rates start from there
        baseline = 'count_over_time(test_generation_calls_total{status="success"}[1m]) >= 2'
        wait_for("two scrapes of the seeded work", lambda: query(running.prometheus, baseline),
                 running)  # fmt: skip
        bad_run(store)
        stored = time.monotonic()
        for path in ("/chat", "/pager"):
            wait_for(f"a post to {path}", lambda path=path: webhook.received(path), running)
            running.arrived[path] = time.monotonic() - stored
        yield running
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        server.shutdown()


def posted(stack: Stack, path: str, *needles: str) -> dict[str, Any]:
    """The first post to `path` whose text holds every needle (waiting for it)."""

    def find() -> dict[str, Any] | None:
        for body in stack.webhook.received(path):
            if all(needle in json.dumps(body) for needle in needles):
                return body
        return None

    return wait_for(f"a post to {path} with {needles}", find, stack)


def test_a_regression_reaches_chat_and_failing_generations_page_through_alertmanager(
    stack: Stack,
) -> None:
    chat = posted(stack, "/chat", "RegressionDetected", REGRESSED_SUITE)
    [attachment] = chat["attachments"]
    assert attachment["title"] == "[FIRING:1] RegressionDetected"
    assert f"Suite {REGRESSED_SUITE} regressed against its baseline" in attachment["text"]
    assert "flagged 1 value(s)" in attachment["text"]
    assert "Runbook: docs/runbooks.md#regressiondetected" in attachment["text"]
    # one generation in four failed: far over HighErrorRate's 5 %, a page
    pager = posted(stack, "/pager", "HighErrorRate")
    assert pager["routing_key"] == ROUTING_KEY  # read from the secret file
    assert pager["event_action"] == "trigger"
    assert pager["payload"]["summary"] == "HighErrorRate: 25% of test generations fail"
    assert pager["links"] == [{"href": "docs/runbooks.md#higherrorrate", "text": "runbook"}]
    for body in stack.webhook.received("/pager"):  # warnings never page
        assert "RegressionDetected" not in json.dumps(body)
    print(f"first posts after the bad run was stored: {stack.arrived}")


def test_a_page_silences_the_ticket_of_the_same_slo(stack: Stack) -> None:
    """Availability burns at 250x: both its page and its ticket fire in Prometheus, and
    Alertmanager holds the ticket back while the page is active."""

    def both() -> list[dict[str, Any]] | None:
        selector = urllib.parse.urlencode(
            {"filter": ['alertname="ErrorBudgetBurn"', 'slo="generation_availability"']},
            doseq=True,
        )
        with urllib.request.urlopen(f"{stack.alertmanager}/api/v2/alerts?{selector}") as answer:
            alerts: list[dict[str, Any]] = json.load(answer)
        states = {a["labels"]["severity"]: a["status"]["state"] for a in alerts}
        return alerts if states == {"critical": "active", "warning": "suppressed"} else None

    alerts = wait_for("the ticket suppressed under the page", both, stack)
    ticket = next(a for a in alerts if a["labels"]["severity"] == "warning")
    assert ticket["status"]["inhibitedBy"]
    assert ticket["annotations"]["runbook_url"] == "docs/runbooks.md#slo-generation_availability"


def test_every_slo_recording_rule_holds_the_sli_of_the_stored_records(stack: Stack) -> None:
    """Each SLO over each window: the recorded error is bad / total of the records, counted by
    hand in tests/observability/test_slo.py (the bad run repeats the seeded work, so the
    increase in every window has the same proportions)."""
    for slo in objectives():
        bad, total = HAND[slo.name]
        for window in BURN_WINDOWS:
            promql = f'slo:sli_error:ratio_rate{window}{{slo="{slo.name}"}}'

            def recorded(promql: str = promql) -> float | None:
                samples = query(stack.prometheus, promql)
                value = float(samples[0]["value"][1]) if samples else math.nan
                return value if math.isfinite(value) else None

            value = wait_for(promql, recorded, stack, timeout_s=30)
            assert value == pytest.approx(bad / total, rel=1e-6), promql
