"""Memory and process-count limits for a process tree through cgroups (v1 or v2).

RLIMIT_NPROC is not enforced for root and RLIMIT_AS breaks some runtimes, so a cgroup is the
limit we trust; when none is writable the caller falls back to rlimits and says so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

_ROOT = Path("/sys/fs/cgroup")


def _own_path(controller: str) -> str:
    """This process's cgroup path for `controller` ('' for the v2 unified hierarchy)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return "/"
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path
    return "/"


class CgroupLimits:
    """A throwaway cgroup holding one process tree; use as a context manager.

    `attach()` is called in the child between fork and exec; on exit every process still in the
    group is killed and the group removed.
    """

    def __init__(self, memory_bytes: int, max_pids: int) -> None:
        self.memory_bytes = memory_bytes
        self.max_pids = max_pids
        self.dirs: list[Path] = []
        self.version = 0

    def __enter__(self) -> CgroupLimits:
        name = f"atg-{uuid.uuid4().hex[:12]}"
        try:
            if (_ROOT / "cgroup.controllers").exists():
                self._make_v2(name)
            else:
                self._make_v1(name)
        except OSError:
            self._remove()
            self.dirs = []
        return self

    @property
    def active(self) -> bool:
        return bool(self.dirs)

    def _parent(self, controller: str) -> Path:
        own = _ROOT / controller / _own_path(controller).lstrip("/")
        return own if own.is_dir() and os.access(own, os.W_OK) else _ROOT / controller

    def _make_v1(self, name: str) -> None:
        memory = self._parent("memory") / name
        memory.mkdir()
        self.dirs.append(memory)
        (memory / "memory.limit_in_bytes").write_text(str(self.memory_bytes))
        with contextlib.suppress(OSError):  # absent when swap accounting is off
            (memory / "memory.memsw.limit_in_bytes").write_text(str(self.memory_bytes))
        pids = self._parent("pids") / name
        pids.mkdir()
        self.dirs.append(pids)
        (pids / "pids.max").write_text(str(self.max_pids))
        self.version = 1

    def _make_v2(self, name: str) -> None:
        own = _ROOT / _own_path("").lstrip("/")
        group = own / name
        group.mkdir()
        self.dirs.append(group)
        (group / "memory.max").write_text(str(self.memory_bytes))
        with contextlib.suppress(OSError):
            (group / "memory.swap.max").write_text("0")
        (group / "pids.max").write_text(str(self.max_pids))
        self.version = 2

    def attach(self) -> None:
        """Move the calling process into the group (runs in the child before exec)."""
        for directory in self.dirs:
            (directory / "cgroup.procs").write_text(str(os.getpid()))

    def events(self) -> list[str]:
        """Limits the tree ran into, as short phrases."""
        found: list[str] = []
        for directory in self.dirs:
            with contextlib.suppress(OSError):
                if self.version == 1 and (directory / "memory.oom_control").exists():
                    counts = dict(
                        line.split()
                        for line in (directory / "memory.oom_control").read_text().splitlines()
                    )
                    failures = sum(
                        int((directory / name).read_text())
                        for name in ("memory.failcnt", "memory.memsw.failcnt")
                        if (directory / name).exists()
                    )
                    if failures > 0 or int(counts.get("oom_kill", "0")) > 0:
                        found.append(f"memory limit of {self.memory_bytes >> 20} MiB reached")
                elif self.version == 2 and (directory / "memory.events").exists():
                    counts = dict(
                        line.split()
                        for line in (directory / "memory.events").read_text().splitlines()
                    )
                    if int(counts.get("max", "0")) > 0 or int(counts.get("oom_kill", "0")) > 0:
                        found.append(f"memory limit of {self.memory_bytes >> 20} MiB reached")
                if (directory / "pids.events").exists():
                    _, count = (directory / "pids.events").read_text().split()
                    if int(count) > 0:
                        found.append(f"process limit of {self.max_pids} reached")
        return found

    def kill_all(self) -> None:
        for directory in self.dirs:
            with contextlib.suppress(OSError, ValueError):
                for pid in (directory / "cgroup.procs").read_text().split():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGKILL)

    def _remove(self) -> None:
        """Remove the cgroups once their last process is gone: a process that has just ended
        may still hold one for a millisecond or two, so the waits start short (1, 2, 4 ms ...)
        and give up after about a second."""
        for directory in self.dirs:
            pause = 0.001
            deadline = time.monotonic() + 1.0
            while True:
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    self.kill_all()
                    time.sleep(pause)
                    pause = min(2 * pause, 0.05)

    def __exit__(self, *exc: object) -> None:
        self.kill_all()
        self._remove()
