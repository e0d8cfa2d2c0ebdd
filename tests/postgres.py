"""A throwaway PostgreSQL server from the Debian binaries, for tests that need the real thing.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found: `make test` installs them")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(args: list[str]) -> None:
    subprocess.run(args, check=True, capture_output=True, cwd="/")


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server on a free loopback port; yield a SQLAlchemy URL to a fresh database."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="atg-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    _run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "atg"]))
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    _run(_as_server_user([*pg_ctl, "-o", options, "-l", str(root / "log"), "-w", "start"]))
    try:
        psql = [str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "atg"]
        _run([*psql, "-d", "postgres", "-c", "CREATE DATABASE atg_test"])
        yield f"postgresql+psycopg://atg@127.0.0.1:{port}/atg_test"
    finally:
        subprocess.run(
            _as_server_user([*pg_ctl, "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
            cwd="/",
        )
        shutil.rmtree(root, ignore_errors=True)
