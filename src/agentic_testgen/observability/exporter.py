"""The metrics endpoint: `/metrics` (Prometheus text format) and `/healthz`, over WSGI.

prometheus_client's own `start_http_server` serves only metrics; a health check that proves the
database answers needs its own route, so the two share one small WSGI server (`_server.py`: one
accept loop, a fixed pool of workers, a deadline per connection). It stays on the standard
library: the exporter needs a bounded pool and a timeout, not a general-purpose server, and a
new runtime dependency would be installed by everyone who never serves metrics.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, make_wsgi_app

from agentic_testgen.observability._server import RECEIVED_AT, ExporterServer
from agentic_testgen.observability.collector import build_registry
from agentic_testgen.storage import ResultStore, StorageError

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

INDEX = b"agentic-testgen metrics exporter: /metrics, /healthz\n"

Response = tuple[str, list[tuple[str, str]], bytes]  # status, headers, body


@dataclass
class _Collection:
    started: float  # time.monotonic()
    done: threading.Event = field(default_factory=threading.Event)
    response: Response | None = None
    error: BaseException | None = None


class SharedScrapes:
    """Wraps the metrics app so that scrapes arriving together share one collection.

    A scrape costs one read of the database and ~60 kB of rendering; 200 scrapes arriving
    together would make 200 identical reads, one after another on the same GIL. The rule that
    lets them share without ever serving stale numbers: a scrape may be answered by any
    collection that *began after the scrape arrived* (so it reflects every write committed before
    the scrape was sent), finished or still running. A scrape finds the latest collection for
    its question (method, Accept, Accept-Encoding, query: all the answer depends on); if that one
    began after the scrape arrived it waits for it or takes its bytes, otherwise it starts a new
    one (or, while an older one runs, waits for it to end and looks again). In a burst, the
    scrapes that arrived before a collection began, then queued for a worker while it ran, take
    its answer instead of each reading again (200 scrapes: a few reads). Unlike a time-to-live
    cache, a scrape never sees an answer from before a write it knows of (e.g. right after
    `atg eval run` returns).

    The arrival time is the server's `environ["atg.received_at"]` (monotonic seconds, when the
    request was whole); without it, the time of the call.
    """

    max_questions = 16  # finished answers kept: one per distinct question, a few in practice

    def __init__(self, metrics: WSGIApp) -> None:
        self._metrics = metrics
        self._lock = threading.Lock()
        self._latest: dict[tuple[str, ...], _Collection] = {}
        self._waiting = 0

    @property
    def waiting(self) -> int:
        """Scrapes waiting for a collection another scrape started."""
        return self._waiting

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        received = float(environ.get(RECEIVED_AT) or time.monotonic())
        question = tuple(
            str(environ.get(name, ""))
            for name in ("REQUEST_METHOD", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "QUERY_STRING")
        )
        while True:
            with self._lock:
                collection = self._latest.get(question)
                leader = collection is None or (
                    collection.done.is_set() and collection.started < received
                )
                if leader:
                    collection = self._start(question)
                else:
                    self._waiting += 1
            assert collection is not None
            if leader:
                self._run(collection, environ)
                break
            collection.done.wait()
            with self._lock:
                self._waiting -= 1
            if collection.started >= received:
                break
            # it began before this scrape arrived: look again (a newer one may be running)
        if collection.error is not None:
            if leader:
                raise collection.error
            raise RuntimeError("the shared metrics collection failed") from collection.error
        assert collection.response is not None
        status, headers, body = collection.response
        start_response(status, headers)
        return [body]

    def _start(self, question: tuple[str, ...]) -> _Collection:
        collection = self._latest[question] = _Collection(time.monotonic())
        if len(self._latest) > self.max_questions:  # forget the oldest finished answers
            finished = sorted((c.started, q) for q, c in self._latest.items() if c.done.is_set())
            for _, old in finished[: len(self._latest) - self.max_questions]:
                del self._latest[old]
        return collection

    def _run(self, collection: _Collection, environ: dict[str, Any]) -> None:
        try:
            collection.response = self._collect(environ)
        except BaseException as error:
            collection.error = error
        finally:
            collection.done.set()

    def _collect(self, environ: dict[str, Any]) -> Response:
        answer: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            answer[:] = [status, headers]

        try:
            body = b"".join(self._metrics(environ, capture))
        except StorageError as error:
            data = f"{error}\n".encode()
            return "503 Service Unavailable", _text_headers(data), data
        return answer[0], answer[1], body


def make_app(store: ResultStore, registry: CollectorRegistry | None = None) -> WSGIApp:
    """The exporter's WSGI application over `store`."""
    metrics = SharedScrapes(make_wsgi_app(registry or build_registry(store)))

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/metrics":
            return metrics(environ, start_response)
        if path == "/healthz":  # never shared: each check proves the database answers now
            try:
                store.ping()
            except StorageError as error:
                return _text(start_response, "503 Service Unavailable", f"{error}\n")
            return _text(start_response, "200 OK", "ok\n")
        if path == "/":
            return _text(start_response, "200 OK", INDEX.decode())
        return _text(start_response, "404 Not Found", "not found: try /metrics or /healthz\n")

    return app


def _text(start_response: StartResponse, status: str, body: str) -> Iterable[bytes]:
    data = body.encode()
    start_response(status, _text_headers(data))
    return [data]


def _text_headers(data: bytes) -> list[tuple[str, str]]:
    return [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]


def start_exporter(
    store: ResultStore,
    host: str = "127.0.0.1",
    port: int = 9090,
    registry: CollectorRegistry | None = None,
    *,
    threads: int = 4,
    idle_timeout: float = 10.0,
) -> tuple[ExporterServer, threading.Thread]:
    """Serve in a background thread; `port=0` picks a free port (read `server.server_port`).

    `threads` requests are answered at a time (the process runs `threads` + 1 server threads
    whatever the clients do); a connection that has not sent its request `idle_timeout` seconds
    after connecting is closed.

    Raises:
        OSError: the address is in use or cannot be bound.
    """
    server = ExporterServer((host, port), threads=threads, idle_timeout=idle_timeout)
    server.set_app(make_app(store, registry))
    thread = threading.Thread(target=server.serve_forever, name="atg-exporter", daemon=True)
    thread.start()
    return server, thread
