"""A real Prometheus scrapes the exporter: it accepts the exposition, and PromQL's
histogram_quantile agrees with the monitor's quantiles."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import generate_latest

from agentic_testgen.observability.collector import build_registry
from agentic_testgen.observability.exporter import start_exporter
from agentic_testgen.observability.monitor import Snapshot
from agentic_testgen.storage import ResultStore

LATENCIES = (0.05, 0.3, 0.3, 0.7, 1.1, 2.0, 2.5, 4.0, 9.0, 30.0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    store = ResultStore.for_workspace(tmp_path / "evals")
    store.add_llm_calls([
        {"agent": "coder", "provider": "openai", "model": "gpt-4o-mini", "input_tokens": 10 * i,
         "output_tokens": i, "cost_usd": 0.01, "latency_s": latency}
        for i, latency in enumerate(LATENCIES, start=1)
    ])  # fmt: skip
    return store


@pytest.fixture
def prometheus(store: ResultStore, tmp_path: Path) -> Iterator[str]:
    server, _ = start_exporter(store, port=0)
    port = free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: atg\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{server.server_port}']}}]\n"
    )
    process = subprocess.Popen(
        [shutil.which("prometheus") or "prometheus", f"--config.file={config}",
         f"--storage.tsdb.path={tmp_path / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        server.shutdown()
        server.server_close()


def query(base: str, promql: str) -> list[dict[str, Any]]:
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=10) as response:
        return list(json.load(response)["data"]["result"])


def wait_for_scrape(base: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if query(base, 'up{job="atg"} == 1') and query(base, "llm_calls_total"):
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.5)
    raise AssertionError("Prometheus never scraped the exporter")


def test_prometheus_scrapes_the_exporter_and_agrees_on_quantiles(
    store: ResultStore, prometheus: str
) -> None:
    wait_for_scrape(prometheus)
    [calls] = query(prometheus, "llm_calls_total")
    assert calls["metric"]["model"] == "gpt-4o-mini" and float(calls["value"][1]) == 10
    snapshot = Snapshot.parse(generate_latest(build_registry(store)).decode())
    for q in (0.5, 0.9, 0.99):
        [promql] = query(
            prometheus, f"histogram_quantile({q}, sum by (le) (llm_call_duration_seconds_bucket))"
        )
        assert float(promql["value"][1]) == pytest.approx(
            snapshot.quantile("llm_call_duration_seconds", q)
        )
    stored = {
        row["metric"]["__name__"] for row in query(prometheus, 'count by (__name__) ({job="atg"})')
    }
    own = {"up"} | {name for name in stored if name.startswith("scrape_")}
    assert stored - own == set(snapshot.samples)  # every series served was ingested
