"""The exporter's server as it was before the bounded server (atg's `observability/exporter.py`
on main until then), kept frozen so that `bench_exporter_load.py` measures the change: wsgiref's
`make_server` with `ThreadingMixIn` (listen backlog 5, one thread per connection, no timeout),
and an app that collects once per scrape.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app

from agentic_testgen.observability.collector import build_registry
from agentic_testgen.storage import ResultStore, StorageError

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

INDEX = b"agentic-testgen metrics exporter: /metrics, /healthz\n"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow scrape never keeps the process alive


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every few seconds would drown the terminal; errors still reach the client."""


def make_app(store: ResultStore, registry: CollectorRegistry | None = None) -> WSGIApp:
    """The exporter's WSGI application over `store`."""
    metrics = make_wsgi_app(registry or build_registry(store))

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/metrics":
            try:
                served: Iterable[bytes] = metrics(environ, start_response)
                return served
            except StorageError as error:
                return _text(start_response, "503 Service Unavailable", f"{error}\n")
        if path == "/healthz":
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
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]


def start_exporter(
    store: ResultStore,
    host: str = "127.0.0.1",
    port: int = 9090,
    registry: CollectorRegistry | None = None,
) -> tuple[WSGIServer, threading.Thread]:
    """Serve in a background thread; `port=0` picks a free port (read `server.server_port`).

    Raises:
        OSError: the address is in use or cannot be bound.
    """
    server = make_server(
        host,
        port,
        make_app(store, registry),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, name="atg-exporter", daemon=True)
    thread.start()
    return server, thread
