"""The default sandbox: bubblewrap namespaces on top of the process sandbox's limits."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from agentic_testgen.errors import SandboxUnavailableError
from agentic_testgen.sandbox._process import ProcessSandbox
from agentic_testgen.sandbox._protocol import Limits

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


# Asked of another interpreter: where it lives and where its packages are (.pth entries included).
_ASK_PATHS = (
    "import json, site, sys; "
    "print(json.dumps([sys.prefix, sys.base_prefix, *site.getsitepackages(), *sys.path]))"
)


def _own_paths() -> list[str]:
    paths = [sys.prefix, sys.base_prefix, *site.getsitepackages()]
    paths += [sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    return paths


def interpreter_paths(python: Path | str | None = None) -> list[Path]:
    """Directories an interpreter and its installed packages live in (a venv, a pyenv build),
    and nothing else: not the current directory, PYTHONPATH or the home directory that happen
    to be on atg's own `sys.path`.

    Without `python`, those of the running interpreter; with it, that interpreter is asked for
    its `sys.prefix`, `sys.base_prefix`, site directories and `sys.path` in isolated mode (no
    PYTHONPATH, no current directory, no user site). Directories under /usr are left out (the
    sandbox binds /usr).

    Raises:
        OSError: `python` cannot be run or does not answer.
    """
    entries = _own_paths() if python is None else _ask(str(python))
    found: set[Path] = set()
    for entry in entries:
        if entry and Path(entry).is_dir():
            found.update({Path(entry).absolute(), Path(entry).resolve()})
    return sorted(path for path in found if not str(path).startswith("/usr/"))


@cache
def _ask(python: str) -> tuple[str, ...]:
    """The interpreter's answer to `_ASK_PATHS`. It is remembered in the user's cache with the
    state of what decides it (the interpreter, its directories, their .pth files): asking
    starts an interpreter, which every `atg eval file` of a project would otherwise wait for."""
    remembered = _remembered(python)
    if remembered is not None:
        return remembered
    try:
        completed = subprocess.run(
            [python, "-I", "-c", _ASK_PATHS], capture_output=True, text=True, timeout=30, check=True
        )
        answer = tuple(str(entry) for entry in json.loads(completed.stdout))
    except (subprocess.SubprocessError, ValueError, TypeError) as error:
        raise OSError(f"{python} did not say where its packages are: {error}") from None
    with contextlib.suppress(OSError, RuntimeError):  # no cache to write to: ask each time
        file = _answer_file(python)
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_suffix(f".{os.getpid()}")
        partial.write_text(json.dumps({"answer": answer, "state": _state(python, answer)}))
        partial.replace(file)
    return answer


def _remembered(python: str) -> tuple[str, ...] | None:
    """The answer remembered for `python`, if nothing it depends on changed since."""
    try:
        stored = json.loads(_answer_file(python).read_text())
        answer = tuple(str(entry) for entry in stored["answer"])
        if stored["state"] == _state(python, answer):
            return answer
    except (OSError, RuntimeError, ValueError, KeyError, TypeError):
        pass  # none, unreadable or from another layout: ask
    return None


def _state(python: str, answer: Sequence[str]) -> list[list[object]]:
    """What the answer depends on, as (path, modification time): the interpreter, its
    environment's pyvenv.cfg, every directory it named (an install or removal changes one)
    and the .pth files and sitecustomize.py in them (an edit changes only the file)."""
    binary = Path(python).resolve()
    paths = [binary, Path(python).absolute().parent.parent / "pyvenv.cfg"]
    for entry in sorted(set(answer)):
        directory = Path(entry)
        paths.append(directory)
        if directory.is_dir():
            paths += [*sorted(directory.glob("*.pth")), directory / "sitecustomize.py"]
    state: list[list[object]] = []
    for path in paths:
        try:
            state.append([str(path), path.stat().st_mtime_ns])
        except OSError:
            state.append([str(path), None])
    return state


def _answer_file(python: str) -> Path:
    import hashlib  # noqa: PLC0415 - OpenSSL's load is a cost of `atg --help` otherwise

    digest = hashlib.sha256(str(Path(python).absolute()).encode()).hexdigest()[:32]
    return _cache_dir() / "interpreters" / f"{digest}.json"


def _cache_dir() -> Path:
    """atg's cache, as for its tools (`languages._tools.tool_home`, which imports languages).

    Raises:
        RuntimeError: there is no home directory to be found.
    """
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser() / "atg"


class BubblewrapSandbox(ProcessSandbox):
    """No network, read-only system, only the workspace writable, no host users or home.

    The command runs as `nobody` in fresh user, pid, network, ipc and uts namespaces with a private
    /tmp; the process sandbox's cgroup adds the memory and process-count limits.
    """

    name = "bwrap"

    def __init__(self, executable: str | None = None) -> None:
        super().__init__(as_nobody=False)  # it runs as nobody in its own user namespace
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
    """Why bubblewrap cannot start a sandbox here, or None when it can.

    A success is remembered in the user's cache, for this bwrap binary (path, size, mtime), this
    boot, these namespaces and these arguments: the probe is a process of its own, which every
    `atg eval file` would otherwise wait for before its run. A failure is never remembered."""
    remembered = _probe_marker(executable)
    if remembered is not None and remembered.is_file():
        return None
    problem = _run_probe(executable)
    if problem is None and remembered is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written: probe each time
            remembered.parent.mkdir(parents=True, exist_ok=True)
            remembered.touch()
    return problem


def _probe_marker(executable: str) -> Path | None:
    """The file that says a probe of `executable` succeeded in these conditions (None: they
    cannot be told, so nothing is remembered)."""
    import hashlib  # noqa: PLC0415 - OpenSSL's load is a cost of `atg --help` otherwise

    try:
        binary = Path(executable).resolve(strict=True)
        found = binary.stat()
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        # another container or namespace on the same boot may forbid what this one allows
        namespaces = [os.readlink(f"/proc/self/ns/{kind}") for kind in ("user", "mnt", "pid")]
        cache = _cache_dir()
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    facts = [str(binary), str(found.st_size), str(found.st_mtime_ns), boot, *namespaces]
    facts += [str(os.getuid()), *_base_args()]
    digest = hashlib.sha256("\0".join(facts).encode()).hexdigest()[:32]
    return cache / "bwrap-works" / digest


def _run_probe(executable: str) -> str | None:
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
