"""The sandbox seam: run one command under limits and say what happened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed command.

    Attributes:
        wall_time_s: the command is killed after this many seconds.
        memory_mb: memory the whole process tree may use.
        max_pids: processes and threads the whole tree may have at once.
        output_bytes: stdout and stderr are each cut to this size.
        file_size_bytes: no file the tree writes may grow past this size.
        disk_bytes: what a sealed run may write in its workspace, all files together.
    """

    wall_time_s: float = 600.0
    memory_mb: int = 2048
    max_pids: int = 128
    output_bytes: int = 1 << 20
    file_size_bytes: int = 64 << 20
    disk_bytes: int = 256 << 20


@dataclass(frozen=True)
class Completed:
    """What a sandboxed command did.

    Attributes:
        returncode: the exit status (negative: killed by that signal).
        stdout: standard output, cut to the output limit.
        stderr: standard error, cut to the output limit.
        timed_out: the wall-time limit killed it.
        duration_s: wall time.
        notes: limits that were hit or could not be enforced, one line each.
    """

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    notes: tuple[str, ...] = field(default=())


@runtime_checkable
class Sandbox(Protocol):
    """Runs a command with `workdir` as the only writable place the command needs."""

    name: str

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
        """Run `cmd` in `workdir` with exactly `env`, seeing `readonly_paths` read-only.

        `sealed`: what `workdir` holds is read-only to the command, which writes new files on a
        private space of at most `limits.disk_bytes` that is gone when it ends (the command
        reports through its standard output). A sandbox that cannot seal says so in a note.
        """
        ...
