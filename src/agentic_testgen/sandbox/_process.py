"""Sandboxes built on a plain child process: the shared launcher, `process` and `none`."""

from __future__ import annotations

import contextlib
import os
import resource
import select
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from agentic_testgen.errors import SandboxUnavailableError
from agentic_testgen.sandbox._cgroup import CgroupLimits
from agentic_testgen.sandbox._protocol import Completed, Limits


def _read_capped(handle: BinaryIO, limit: int) -> str:
    handle.seek(0)
    data = handle.read(limit + 1)
    text = data[:limit].decode("utf-8", errors="replace")
    return text + "\n[output cut]" if len(data) > limit else text


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _wait(process: subprocess.Popen[bytes], timeout_s: float) -> int:
    """`process.wait(timeout_s)`, woken by the child's end rather than by polling (the standard
    library polls with sleeps of up to 50 ms, each run's end waiting on average half of that).

    Raises:
        subprocess.TimeoutExpired: the process still runs after `timeout_s`.
    """
    try:
        reaper = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # no pidfd on this kernel: the standard library's wait
        return process.wait(timeout=timeout_s)
    try:
        ended, _, _ = select.select([reaper], [], [], timeout_s)
    finally:
        os.close(reaper)
    if not ended:
        raise subprocess.TimeoutExpired(process.args, timeout_s)
    return process.wait()


NOBODY = 65534


def _reachable_by_others(path: Path) -> bool:
    """Whether an unprivileged user can reach `path` (every directory above it searchable)."""
    return all(directory.stat().st_mode & stat.S_IXOTH for directory in path.resolve().parents)


def _hand_to_nobody(workdir: Path) -> None:
    """Make the workspace nobody's, or say in one line why the process sandbox cannot run."""
    interpreter = Path(sys.executable)
    if not _reachable_by_others(interpreter):
        raise SandboxUnavailableError(
            f"the process sandbox runs tests as nobody when atg runs as root, and nobody cannot "
            f"reach the interpreter {interpreter}: install bubblewrap, or choose --sandbox none"
        )
    for path in (workdir, *workdir.rglob("*")):
        os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


class ProcessSandbox:
    """A child process in its own session and cgroup, with a cleared environment.

    Contains time, memory, process count, file size and output, but not the filesystem or the
    network: it is the weaker mode used when bubblewrap cannot run. As root, the tests run as
    `nobody`, so they cannot write root's cgroup files, read atg's /proc entries (its
    environment: API keys) or signal atg; when nobody cannot reach the interpreter it refuses.
    """

    name = "process"
    contain = True

    def __init__(self, *, as_nobody: bool = True) -> None:
        """`as_nobody`: when atg runs as root, run the command as nobody (the default); False
        keeps root, for a caller that contains the command by other means."""
        self.drop_root = as_nobody

    def command(
        self,
        cmd: Sequence[str],
        workdir: Path,
        readonly_paths: Sequence[Path],
        limits: Limits,
        *,
        sealed: bool,
    ) -> list[str]:
        """The command line actually launched (a wrapper may prefix `cmd`)."""
        return list(cmd)

    def seal_note(self) -> str:
        """What a sealed run lacks here (empty when the sandbox seals for real)."""
        return (
            f"the {self.name} sandbox cannot seal the workspace: test code can change the "
            "module and tests it is measured with, and fill the disk"
        )

    def environment(self, env: Mapping[str, str], workdir: Path) -> dict[str, str]:
        base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8"}
        return {**base, **env}

    def execute(
        self,
        cmd: Sequence[str],
        workdir: Path,
        limits: Limits,
        *,
        env: Mapping[str, str],
        readonly_paths: Sequence[Path] = (),
        sealed: bool = False,
    ) -> Completed:
        # OpenTelemetry only once something runs: `atg --help` lists the sandboxes
        from agentic_testgen.observability.tracing import span  # noqa: PLC0415

        with span(f"sandbox {self.name}", {"atg.sandbox.backend": self.name}) as current:
            completed = self._execute(
                cmd, workdir, limits, env=env, readonly_paths=readonly_paths, sealed=sealed
            )
            current.set_attributes({
                "process.exit.code": completed.returncode,
                "atg.sandbox.timed_out": completed.timed_out,
                "atg.sandbox.notes": list(completed.notes),
            })  # fmt: skip
            return completed

    def _execute(
        self,
        cmd: Sequence[str],
        workdir: Path,
        limits: Limits,
        *,
        env: Mapping[str, str],
        readonly_paths: Sequence[Path],
        sealed: bool,
    ) -> Completed:
        notes: list[str] = []
        if sealed and self.seal_note():
            notes.append(self.seal_note())
        memory_bytes = limits.memory_mb << 20
        with (
            CgroupLimits(memory_bytes, limits.max_pids) as cgroup,
            tempfile.TemporaryFile() as out,
            tempfile.TemporaryFile() as err,
        ):
            if self.contain and not cgroup.active:
                notes.append(
                    "no writable cgroup: memory limited by RLIMIT_AS, process count not limited"
                )
            contain = self.contain
            file_size = limits.file_size_bytes
            as_nobody = contain and self.drop_root and os.getuid() == 0
            if as_nobody:
                _hand_to_nobody(workdir)

            def prepare_child() -> None:  # runs between fork and exec
                resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
                if not contain:
                    return
                if cgroup.active:
                    cgroup.attach()
                else:
                    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
                if as_nobody:  # out of root's cgroup files, /proc entries and signals
                    os.setgroups([])
                    os.setgid(NOBODY)
                    os.setuid(NOBODY)

            start = time.monotonic()
            # preexec_fn is the one place a child can join the cgroup before it runs anything
            process = subprocess.Popen(
                self.command(cmd, workdir, readonly_paths, limits, sealed=sealed),
                cwd=workdir,
                env=self.environment(env, workdir),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
                preexec_fn=prepare_child,  # noqa: PLW1509
            )
            timed_out = False
            try:
                returncode = _wait(process, limits.wall_time_s)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(process)
                returncode = process.wait()
                notes.append(f"wall-time limit of {limits.wall_time_s:g} s reached: killed")
            _kill_group(process)
            duration = time.monotonic() - start
            notes.extend(cgroup.events())
            return Completed(
                returncode=returncode,
                stdout=_read_capped(out, limits.output_bytes),
                stderr=_read_capped(err, limits.output_bytes),
                timed_out=timed_out,
                duration_s=duration,
                notes=tuple(notes),
            )


class UnsandboxedProcess(ProcessSandbox):
    """No containment beyond wall time and output size: the tests see the user's environment.

    Only ever used when asked for by name (`--sandbox none`).
    """

    name = "none"
    contain = False

    def environment(self, env: Mapping[str, str], workdir: Path) -> dict[str, str]:
        return {**os.environ, **env}
