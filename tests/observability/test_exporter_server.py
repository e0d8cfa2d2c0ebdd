"""The exporter under load: bounded threads, deadlines on silent clients, shared collections."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily, Metric

from agentic_testgen.observability._server import RECEIVED_AT, ExporterServer
from agentic_testgen.observability.exporter import SharedScrapes, start_exporter
from agentic_testgen.storage import ResultStore

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
PATIENCE_S = 20.0  # how long a check waits for something that should happen much sooner


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello\n"]


@contextmanager
def serving(app: WSGIApp, **options: Any) -> Iterator[ExporterServer]:
    server = ExporterServer(("127.0.0.1", 0), **options)
    server.set_app(app)
    loop = threading.Thread(target=server.serve_forever, name="test-exporter-loop", daemon=True)
    loop.start()
    try:
        yield server
    finally:
        server.server_close()
        loop.join(PATIENCE_S)


def connect(server: ExporterServer) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", server.server_port), timeout=PATIENCE_S)
    return client


def get(server: ExporterServer, path: str = "/") -> bytes:
    """The raw answer to one request on a fresh connection."""
    with connect(server) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
        return read_all(client)


def read_all(client: socket.socket) -> bytes:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def test_a_silent_connection_is_closed_after_the_idle_timeout() -> None:
    with serving(hello, idle_timeout=0.2) as server:
        silent, trickling = connect(server), connect(server)
        trickling.sendall(b"GET / HTTP/1.1\r\n")  # a head that never ends
        with silent, trickling:
            assert silent.recv(1) == b""  # end of stream: the server closed it
            assert trickling.recv(1) == b""
        wait_until(lambda: server.open_connections == 0)
        assert get(server).endswith(b"hello\n")  # the server still answers


def test_server_threads_stay_within_the_bound_while_more_clients_connect() -> None:
    release, inside = threading.Event(), threading.Semaphore(0)

    def slow(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        inside.release()
        release.wait(PATIENCE_S)
        return hello(environ, start_response)

    before = set(threading.enumerate())
    with serving(slow, threads=2) as server, ThreadPoolExecutor(max_workers=12) as clients:
        answers = [clients.submit(get, server) for _ in range(12)]
        for _ in range(2):
            assert inside.acquire(timeout=PATIENCE_S)
        wait_until(lambda: server.open_connections == 12)
        started = [
            thread.name
            for thread in threading.enumerate()
            if thread not in before and not thread.name.startswith("ThreadPoolExecutor")
        ]
        assert not inside.acquire(timeout=0.2)  # no third request is being answered
        release.set()
        assert all(a.result().startswith(b"HTTP/1.0 200 OK") for a in answers)
    assert sorted(started) == [
        "atg-exporter-worker-1",
        "atg-exporter-worker-2",
        "test-exporter-loop",
    ]


def test_a_full_server_closes_its_oldest_silent_connection_to_admit_a_new_one() -> None:
    with serving(hello, max_connections=3, idle_timeout=60) as server:
        silent = [connect(server) for _ in range(3)]
        wait_until(lambda: server.open_connections == 3)
        assert get(server).endswith(b"hello\n")
        assert silent[0].recv(1) == b""  # evicted
        for client in silent:
            client.close()


def test_a_slow_client_does_not_block_others(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    server, _ = start_exporter(store, port=0, threads=1, idle_timeout=60)
    silent = [socket.create_connection(("127.0.0.1", server.server_port)) for _ in range(5)]
    for client in silent[:2]:
        client.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # never finished
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(base + "/healthz", timeout=PATIENCE_S) as response:
            assert response.read() == b"ok\n"
        with urllib.request.urlopen(base + "/metrics", timeout=PATIENCE_S) as response:
            assert b"llm_calls_total" in response.read()
    finally:
        for client in silent:
            client.close()
        server.shutdown()
        server.server_close()


def test_a_burst_of_clients_larger_than_the_pool_is_answered_whole() -> None:
    with serving(hello, threads=2) as server, ThreadPoolExecutor(max_workers=64) as clients:
        answers = list(clients.map(lambda _: get(server), range(300)))
    assert all(a.startswith(b"HTTP/1.0 200 OK") and a.endswith(b"hello\n") for a in answers)


class BlockingCollector:
    """Counts collections; each one waits for `release`."""

    def __init__(self) -> None:
        self.calls = 0
        self.entered = threading.Event()
        self.release = threading.Event()

    def collect(self) -> Iterator[Metric]:
        self.calls += 1
        self.entered.set()
        assert self.release.wait(PATIENCE_S)
        yield GaugeMetricFamily("collections", "Collections so far.", value=self.calls)


def shared_scrapes() -> tuple[SharedScrapes, BlockingCollector]:
    collector = BlockingCollector()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return SharedScrapes(make_wsgi_app(registry)), collector


def scrape(shared: SharedScrapes, received: float | None = None, accept: str = "") -> bytes:
    """The body; `received` is when the server had the request (default: now)."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "HTTP_ACCEPT": accept}
    if received is not None:
        environ[RECEIVED_AT] = received
    statuses: list[str] = []
    body = b"".join(shared(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"]
    return body


def test_concurrent_scrapes_share_one_collection() -> None:
    shared, collector = shared_scrapes()
    arrived = time.monotonic()  # eight scrapes arrive together, before any collection starts
    with ThreadPoolExecutor(max_workers=8) as scrapers:
        first = scrapers.submit(scrape, shared, arrived)
        assert collector.entered.wait(PATIENCE_S)
        others = [scrapers.submit(scrape, shared, arrived) for _ in range(7)]
        wait_until(lambda: shared.waiting == 7)
        collector.release.set()
        answers = {first.result(), *(other.result() for other in others)}
    assert collector.calls == 1
    assert answers == {b"# HELP collections Collections so far.\n"
                       b"# TYPE collections gauge\ncollections 1.0\n"}  # fmt: skip
    # a scrape that queued for a worker meanwhile takes the answer that began after it arrived
    assert scrape(shared, arrived).endswith(b"collections 1.0\n")
    assert collector.calls == 1
    # one sent later reads again; another format is another question
    assert scrape(shared).endswith(b"collections 2.0\n")
    assert scrape(shared, accept="application/openmetrics-text").endswith(b" 3.0\n# EOF\n")


def test_a_scrape_is_never_answered_by_a_collection_that_began_before_it_arrived() -> None:
    shared, collector = shared_scrapes()
    with ThreadPoolExecutor(max_workers=3) as scrapers:
        early = scrapers.submit(scrape, shared)
        assert collector.entered.wait(PATIENCE_S)
        late = [scrapers.submit(scrape, shared) for _ in range(2)]  # arrive during it
        wait_until(lambda: shared.waiting == 2)
        collector.release.set()
        assert early.result().endswith(b"collections 1.0\n")
        assert {answer.result() for answer in late} == {early.result().replace(b"1.0", b"2.0")}
    assert collector.calls == 2  # the two late ones shared the second


def test_healthz_and_metrics_fail_as_soon_as_the_database_is_gone(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    server, _ = start_exporter(store, port=0)
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        for path in ("/healthz", "/metrics"):
            urllib.request.urlopen(base + path, timeout=PATIENCE_S).read()
        with store.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE eval_suites")
            connection.exec_driver_sql("DROP TABLE metric_rollups")
        for path in ("/healthz", "/metrics"):  # no answer from before is served again
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(base + path, timeout=PATIENCE_S)
            assert error.value.code == 503
    finally:
        server.shutdown()
        server.server_close()
