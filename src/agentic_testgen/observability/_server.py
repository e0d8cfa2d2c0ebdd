"""The exporter's HTTP server: one accept loop, a fixed pool of workers, a deadline per connection.

wsgiref's `ThreadingMixIn` server (what `prometheus_client.start_http_server` uses) listens with a
backlog of 5 and starts a thread per connection that waits, with no timeout, for the request:
200 scrapes arriving together overflow the backlog (the dropped connects are retried by the
client's kernel after 1, 3, 7, 15 s...), and every silent connection holds a thread forever.

Here one thread accepts (backlog 1024) and reads request heads without blocking, for every
connection at once; a request is handed to one of `threads` workers only when its head is
complete, so a client that connects and sends nothing, or trickles bytes, costs a file descriptor
and never a worker. A connection whose request is not complete `idle_timeout` seconds after it was
accepted is closed; a worker writing the answer gives up after the same time, so a client that
stops reading holds a worker for at most that long. At most `max_connections` are open; past that
the oldest connection still waiting for its request is closed to admit the new one (a flood of
silent connections cannot lock the scraper out), and with none to close the loop stops accepting
until a worker finishes (new connects wait in the kernel's backlog).

The answer is written by the standard library's `WSGIRequestHandler` (one request per connection,
HTTP/1.0, as before); the server is a `WSGIServer`, so callers keep `server_port`, `shutdown()`
and `server_close()`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import queue
import selectors
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, cast
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

logger = logging.getLogger(__name__)

MAX_HEAD_BYTES = 64 * 1024  # a request line and headers; Prometheus sends a few hundred bytes
_READ_BYTES = 16 * 1024
_OUT_OF_DESCRIPTORS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
_LISTENER, _WAKEUP = "listener", "wakeup"
RECEIVED_AT = "atg.received_at"  # environ key: time.monotonic() when the request was whole


@dataclass(frozen=True)
class _Request:
    """A request head read whole, when it was, and the connection to answer on."""

    head: bytes
    received: float  # time.monotonic()
    connection: socket.socket


class _Pending:
    """A connection whose request head is still arriving."""

    __slots__ = ("address", "deadline", "head")

    def __init__(self, address: Any, deadline: float) -> None:
        self.address = address
        self.deadline = deadline
        self.head = bytearray()


class _BufferedRequestHandler(WSGIRequestHandler):
    """Answers one request whose head the accept loop has already read."""

    def setup(self) -> None:
        request: _Request = self.request
        self.connection = request.connection
        self.rfile = io.BytesIO(request.head)  # the routes take no body
        self.wfile = request.connection.makefile("wb")

    def get_environ(self) -> dict[str, Any]:
        environ = dict(super().get_environ())
        environ[RECEIVED_AT] = self.request.received
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every few seconds would drown the terminal; errors still reach the client."""


class ExporterServer(WSGIServer):
    """A WSGI server whose thread count is `threads` + 1 whatever the clients do.

    `serve_forever()` runs the accept loop (in the caller's thread); `shutdown()` stops it from
    another thread; `server_close()` closes every connection and stops the workers.
    """

    request_queue_size = 1024  # the listen backlog: 200+ simultaneous connects all get in

    def __init__(
        self,
        address: tuple[str, int],
        *,
        threads: int = 4,
        idle_timeout: float = 10.0,
        max_connections: int = 1024,
    ) -> None:
        if threads < 1 or idle_timeout <= 0 or max_connections < 1:
            raise ValueError("threads and max_connections must be >= 1, idle_timeout > 0")
        self.threads = threads
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self._selector = selectors.DefaultSelector()
        self._wakeup_reader, self._wakeup_writer = socket.socketpair()
        for end in (self._wakeup_reader, self._wakeup_writer):
            end.setblocking(False)
        self._selector.register(self._wakeup_reader, selectors.EVENT_READ, _WAKEUP)
        self._pending: dict[socket.socket, _Pending] = {}  # accept order = deadline order
        self._requests: queue.SimpleQueue[tuple[_Request, Any] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._open = 0  # accepted and not yet closed, in the loop or in a worker
        self._paused_until: float | None = None  # None: accepting; 0.0: until below the cap
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._workers: list[threading.Thread] = []
        super().__init__(address, _BufferedRequestHandler)  # binds; on failure, server_close()
        self.socket.setblocking(False)
        self._selector.register(self.socket, selectors.EVENT_READ, _LISTENER)
        self._workers += [
            threading.Thread(target=self._work, name=f"atg-exporter-worker-{n}", daemon=True)
            for n in range(1, threads + 1)
        ]
        for worker in self._workers:
            worker.start()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept and read requests until `shutdown()`; `poll_interval` is unused (the loop
        wakes for its deadlines and when told to stop)."""
        self._stopped.clear()
        try:
            while not self._stop.is_set():
                for key, _ in self._selector.select(self._next_timeout()):
                    if key.data == _LISTENER:
                        self._accept()
                    elif key.data == _WAKEUP:
                        self._drain_wakeups()
                    elif key.fileobj in self._pending:  # not evicted by an earlier event
                        self._receive(key.fileobj, key.data)
                self._close_expired()
                self._resume_accepting()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop `serve_forever()` and wait for it to return."""
        self._stop.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and every open connection; the workers finish their
        request and exit."""
        self.shutdown()
        for connection in list(self._pending):
            self._drop(connection)
        for _ in self._workers:
            self._requests.put(None)
        self._selector.close()
        self._wakeup_reader.close()
        self._wakeup_writer.close()
        super().server_close()

    @property
    def open_connections(self) -> int:
        """Connections accepted and not yet closed."""
        return self._open

    # the loop's side -------------------------------------------------------------------------

    def _next_timeout(self) -> float | None:
        deadlines = [next(iter(self._pending.values())).deadline] if self._pending else []
        if self._paused_until:  # out of descriptors: try again later
            deadlines.append(self._paused_until)
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _accept(self) -> None:
        while True:
            try:
                connection, address = self.socket.accept()
            except BlockingIOError:
                return
            except OSError as error:
                if error.errno in _OUT_OF_DESCRIPTORS and not self._evict_oldest():
                    self._pause_accepting(until=time.monotonic() + 0.1)
                    return
                continue  # a descriptor was freed, or the client gave up before we accepted
            connection.setblocking(False)
            self._pending[connection] = _Pending(address, time.monotonic() + self.idle_timeout)
            self._selector.register(connection, selectors.EVENT_READ, self._pending[connection])
            with self._lock:
                self._open += 1
            if self._open > self.max_connections and not self._evict_oldest(keep=connection):
                with self._lock:  # checked with the workers' release, so no wake-up is lost
                    if self._open > self.max_connections:
                        self._pause_accepting(until=0.0)  # a worker finishing wakes the loop
                        return

    def _pause_accepting(self, until: float) -> None:
        self._selector.unregister(self.socket)
        self._paused_until = until

    def _resume_accepting(self) -> None:
        if self._paused_until is None or self._open > self.max_connections:
            return
        if time.monotonic() >= self._paused_until:
            self._selector.register(self.socket, selectors.EVENT_READ, _LISTENER)
            self._paused_until = None

    def _evict_oldest(self, keep: socket.socket | None = None) -> bool:
        oldest = next(iter(self._pending), None)
        if oldest is None or oldest is keep:
            return False
        self._drop(oldest)
        return True

    def _receive(self, connection: socket.socket, pending: _Pending) -> None:
        try:
            chunk = connection.recv(_READ_BYTES)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client closed (or reset) before finishing its request
            self._drop(connection)
            return
        searched = max(0, len(pending.head) - 3)
        pending.head += chunk
        if (
            pending.head.find(b"\r\n\r\n", searched) >= 0
            or pending.head.find(b"\n\n", searched) >= 0
        ):
            self._selector.unregister(connection)
            del self._pending[connection]
            request = _Request(bytes(pending.head), time.monotonic(), connection)
            self._requests.put((request, pending.address))
        elif len(pending.head) > MAX_HEAD_BYTES:
            self._drop(connection)

    def _close_expired(self) -> None:
        now = time.monotonic()
        while self._pending:
            connection, pending = next(iter(self._pending.items()))
            if pending.deadline > now:
                return
            self._drop(connection)

    def _drop(self, connection: socket.socket) -> None:
        self._selector.unregister(connection)
        del self._pending[connection]
        self._close(connection)

    def _drain_wakeups(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._wakeup_reader.recv(4096):
                pass

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full (the loop will wake anyway) or closed
            self._wakeup_writer.send(b"\0")

    # the workers' side -----------------------------------------------------------------------

    def _work(self) -> None:
        while (item := self._requests.get()) is not None:
            request, address = item
            try:
                request.connection.settimeout(self.idle_timeout)  # blocking, with a deadline
                # socketserver types a request as a socket; this handler reads a _Request
                _BufferedRequestHandler(cast(Any, request), address, self)
            except OSError:
                pass  # the client went away or stopped reading: nothing to answer
            except Exception:
                logger.exception("the exporter failed to answer %s", address)
            finally:
                self._close(request.connection)

    def _close(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):  # a FIN after the answer, not a reset
            connection.shutdown(socket.SHUT_WR)
        connection.close()
        with self._lock:
            self._open -= 1
            wake = self._paused_until is not None
        if wake:
            self._wake()
