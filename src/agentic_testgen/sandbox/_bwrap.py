"""The default sandbox: bubblewrap namespaces on top of the process sandbox's limits."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from agentic_testgen.sandbox._process import ProcessSandbox
from agentic_testgen.sandbox._protocol import Limits, SandboxUnavailableError

# System directories every interpreter needs; on merged-/usr systems the top-level ones are links.
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/alternatives")
_NOBODY = "65534"


def _system_binds() -> list[str]:
    args: list[str] = []
    for name in _SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", str(path.readlink()), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    return args


def interpreter_paths() -> list[Path]:
    """Directories the running interpreter and its installed packages live in (a venv, a pyenv
    build), and nothing else: not the current directory, PYTHONPATH or the home directory that
    happen to be on atg's own `sys.path`."""
    found = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        found.add(Path(sysconfig.get_paths()[key]).resolve())
    found.update(Path(entry).resolve() for entry in site.getsitepackages())
    existing = {path for path in found if path.is_dir()}
    # a directory inside another one already listed adds nothing
    return sorted(
        path
        for path in existing
        if not str(path).startswith("/usr/") and not any(p in path.parents for p in existing)
    )


class BubblewrapSandbox(ProcessSandbox):
    """No network, read-only system, only the workspace writable, no host users or home.

    The command runs as `nobody` in fresh user, pid, network, ipc and uts namespaces with a private
    /tmp; the process sandbox's cgroup adds the memory and process-count limits.
    """

    name = "bwrap"

    def __init__(self, executable: str | None = None) -> None:
        found = executable or shutil.which("bwrap")
        if found is None:
            raise SandboxUnavailableError(
                "bubblewrap (bwrap) is not installed: install the 'bubblewrap' package"
            )
        self.executable = found
        problem = _probe(found)
        if problem:
            raise SandboxUnavailableError(f"bubblewrap cannot create a sandbox here: {problem}")

    def command(
        self,
        cmd: Sequence[str],
        workdir: Path,
        readonly_paths: Sequence[Path],
        limits: Limits,
        *,
        sealed: bool,
    ) -> list[str]:
        args = [self.executable, *_base_args()]
        for path in readonly_paths:
            args += ["--ro-bind", str(path), str(path)]
        if sealed:
            # a size-capped private space at the workspace, its inputs bound read-only on top
            args += ["--size", str(limits.disk_bytes), "--tmpfs", str(workdir)]
            for entry in sorted(workdir.iterdir()):
                args += ["--ro-bind", str(entry), str(entry)]
        else:
            args += ["--bind", str(workdir), str(workdir)]
        args += ["--chdir", str(workdir), "--remount-ro", "/", "--"]
        return args + list(cmd)

    def seal_note(self) -> str:
        return ""


def _base_args() -> list[str]:
    return [
        "--unshare-all",
        "--unshare-user",
        "--uid",
        _NOBODY,
        "--gid",
        _NOBODY,
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        *_system_binds(),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--dir",
        "/var/tmp",
    ]


@cache
def _probe(executable: str) -> str | None:
    """Why bubblewrap cannot start a sandbox here, or None when it can."""
    try:
        completed = subprocess.run(
            [executable, *_base_args(), "--", "/bin/true"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if completed.returncode != 0:
        return completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "failed"
    return None
