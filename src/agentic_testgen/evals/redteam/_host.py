"""The host's side of an attack: bait the attacks aim at, and the evidence that they missed.

Everything here lives in the attack's own temporary directory on the host, outside every
sandbox workspace: a sentinel file to delete, paths to write, a TCP listener to reach, a canary
in the environment to steal and a token that names any process an attack leaves behind. After
the attack, `Trap.problems` reads the host itself (the file system, `/proc`, the listener's
log) rather than anything the attacked code reported.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SENTINEL_TEXT = "red-team sentinel: must survive"
CANARY_ENV = "ATG_REDTEAM_CANARY"
PASSWD_MARK = "root:x:0:0"
SLEEP_SECONDS = 300


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection and every byte it receives,
    in memory and, as they come, in `log` (a line per connection, then the bytes) when given."""

    log: Path | None = None
    port: int = 0
    connections: int = 0
    received: bytearray = field(default_factory=bytearray)
    _server: socket.socket | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        server.settimeout(0.1)
        if self.log is not None:
            self.log.write_bytes(b"")
        self._server = server
        self.port = server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        server = self._server
        while server is not None and server.fileno() >= 0:
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._write(b"connection\n")
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection: socket.socket) -> None:
        connection.settimeout(2.0)
        with connection:
            while True:
                try:
                    data = connection.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                with self._lock:
                    self.received.extend(data)
                    self._write(data)

    def _write(self, data: bytes) -> None:
        if self.log is not None:
            with contextlib.suppress(OSError), self.log.open("ab") as handle:
                handle.write(data)

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def report(self) -> tuple[int, bytes]:
        with self._lock:
            return self.connections, bytes(self.received)


def processes_with(argument: str) -> list[int]:
    """Pids of the host's processes that have `argument` on their command line."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
            if argument.encode() in arguments:
                found.append(int(entry.name))
    return found


def kill_all(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def host_secrets() -> tuple[str, ...]:
    """Text only a read of the host's account database or SSH keys could produce."""
    marks = [PASSWD_MARK]
    ssh = Path.home() / ".ssh"
    with contextlib.suppress(OSError):
        for key in sorted(ssh.iterdir()):
            first = key.read_text(errors="replace").strip().splitlines()[:1]
            if first and len(first[0]) >= 16:
                marks.append(first[0][-16:])
    return tuple(marks)


Placed = tuple[str, str]  # (where a text was found, the text)


def leaks(texts: Iterable[Placed], marks: dict[str, str] | None = None) -> list[str]:
    """Which of the host's secrets (and of `marks`: label -> text) appear in `texts`, and
    where (`texts`: pairs of place and text)."""
    wanted = dict(marks or {}) | {f"host secret text {m!r}": m for m in host_secrets()}
    places: dict[str, list[str]] = {}
    for place, text in texts:
        for label, mark in wanted.items():
            if mark in text and place not in places.setdefault(label, []):
                places[label].append(place)
    return [
        f"{label} appears in {', '.join(found[:3])}" + (" and more" if len(found) > 3 else "")
        for label, found in places.items()
        if found
    ]


@dataclass
class Trap:
    """Bait on the host for one attack, and the checks that it is untouched.

    Attributes:
        root: the attack's own directory on the host (outside every sandbox workspace).
        token: digits that make this attack's leftovers recognisable.
        canary: the value of `ATG_REDTEAM_CANARY` while the attack runs.
    """

    root: Path
    token: str
    canary: str = field(default_factory=lambda: f"canary{secrets.token_hex(8)}")
    listener: Listener = field(default_factory=Listener)
    _expected: set[str] = field(default_factory=set)

    @classmethod
    def beside(cls, directory: Path, token: str) -> Trap:
        """The trap of an attack whose directory is `directory`: the bait in `host/`, the
        listener's log in `listener.log` (so anyone can read what it got)."""
        return cls(directory / "host", token, listener=Listener(log=directory / "listener.log"))

    @property
    def sentinel(self) -> Path:
        return self.root / "sentinel.txt"

    @property
    def drop(self) -> Path:
        """A host file an attack tries to create (stolen data, a pid, a copy of a secret)."""
        return self.root / "stolen.txt"

    @property
    def pid_file(self) -> Path:
        return self.root / "survivor.pid"

    @property
    def sleep_argument(self) -> str:
        """`sleep`'s argument for a process meant to outlive its test: SLEEP_SECONDS, and a
        fraction that names this attack."""
        return f"{SLEEP_SECONDS}.{self.token}"

    def outside(self, name: str) -> Path:
        """A path beside `root` (in the host's temporary directory) an attack aims at."""
        return self.root.parent / f"{self.root.name}-{name}"

    @contextmanager
    def armed(self) -> Iterator[Trap]:
        """Lay the bait, start the listener and set the canary; undo all of it afterwards."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.sentinel.write_text(SENTINEL_TEXT, encoding="utf-8")
        self._expected = {entry.name for entry in self.root.iterdir()}
        previous = os.environ.get(CANARY_ENV)
        os.environ[CANARY_ENV] = self.canary
        self.listener.start()
        try:
            yield self
        finally:
            self.listener.stop()
            if previous is None:
                os.environ.pop(CANARY_ENV, None)
            else:
                os.environ[CANARY_ENV] = previous

    def expect(self, *names: str) -> None:
        """Files the attack's own set-up puts in `root` (not an attack's doing)."""
        self._expected.update(names)

    def survivors(self) -> list[int]:
        """Processes this attack started that are still alive: found by their `sleep`
        argument, and by the pid an attack wrote down."""
        pids = set(processes_with(self.sleep_argument))
        with contextlib.suppress(OSError, ValueError):
            pid = int(self.pid_file.read_text().strip())
            with contextlib.suppress(OSError):
                os.kill(pid, 0)
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if self.sleep_argument.encode() in cmdline:
                    pids.add(pid)
        return sorted(pids)

    def problems(self, texts: Iterable[Placed] = (), outside: Iterable[Path] = ()) -> list[str]:
        """What reached the host, one line each; empty when it is untouched.

        `texts` are every output and stored text of the attacked run, with where each was
        found (the canary and host secrets must be in none of them); `outside` are further
        paths the attack aimed at.
        Survivors are killed and reported.
        """
        found: list[str] = []
        if not self.sentinel.is_file():
            found.append(f"the sentinel {self.sentinel} was deleted")
        elif self.sentinel.read_text(encoding="utf-8", errors="replace") != SENTINEL_TEXT:
            found.append(f"the sentinel {self.sentinel} was changed")
        new = sorted(e.name for e in self.root.iterdir() if e.name not in self._expected)
        if new:
            found.append(f"files appeared in the host directory: {', '.join(new)}")
        for path in outside:
            if path.exists() or path.is_symlink():
                found.append(f"{path} was written")
        connections, received = self.listener.report()
        if connections or received:
            found.append(f"the listener got {connections} connections and {len(received)} bytes")
        survivors = self.survivors()
        if survivors:
            kill_all(survivors)
            found.append(f"processes outlived the test (killed now): {survivors}")
        heard = ("the listener", received.decode(errors="replace"))
        every = [*texts, heard, *self._host_files()]
        found += leaks(every, {"the canary environment value": self.canary})
        return found

    def _host_files(self) -> Iterator[Placed]:
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path != self.sentinel:
                with contextlib.suppress(OSError):
                    yield f"host file {path.name}", path.read_text(errors="replace")
