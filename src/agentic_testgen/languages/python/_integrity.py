"""The integrity guard: an audit hook and tamper checks around the test code a runner executes.

Executed inside the sandbox beside `_runner.py` (standard library only). Test code runs in the
same process as the harness that measures it, so nothing in that process is out of its reach;
what the guard adds is that reaching for the harness leaves evidence the test cannot erase:

- An audit hook (PEP 578), added before any test code runs and impossible to remove, blocks and
  records what test code has no business doing: opening or replacing the harness's own files,
  reading another process's `/proc` entries or this one's file descriptors and memory, and
  signalling a process outside the test's own process group. It records, without blocking, the
  routes to the harness's memory (the garbage collector's object lists, frames taken by a test
  file, native symbols of the interpreter and ptrace), replaced tracing/profiling hooks and audit
  hooks added by test code.
- Findings are appended, as they happen, to a file opened before the tests start: a test can add
  lines to it but cannot take one back (truncating, renaming or removing it is blocked, and a
  closed or replaced descriptor is noticed when the run ends).
- `TamperCheck` remembers, before collection, every function and class attribute of pytest,
  pluggy and coverage.py and the pytest plugins of the session; after the tests it names what
  test code rebound or registered.

A blocked operation raises `PermissionError` in the test, which then fails on its own.
"""

from __future__ import annotations

import contextlib
import json
import operator
import os
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Any

PREFIX = "atg integrity: "
FINDINGS = "findings.jsonl"  # the guard's file in the harness's scratch directory
FINDINGS_LIMIT = 1 << 20
# Symbols of the interpreter (and the kernel's process debugging calls) that reach past Python.
_NATIVE_SYMBOLS = ("Py", "_Py", "ptrace", "process_vm_", "dlopen", "mprotect")
_GUARDED_PACKAGES = ("_pytest", "pytest", "pluggy", "coverage")


_FILE_EVENTS = frozenset(
    {"os.remove", "os.rename", "os.rmdir", "os.truncate", "os.link", "os.symlink", "os.chmod",
     "os.chown", "os.utime", "os.mkdir"}
)  # fmt: skip
_WATCHED = _FILE_EVENTS | {
    "open", "os.listdir", "os.scandir", "os.kill", "os.killpg", "gc.get_objects",
    "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile", "sys.addaudithook",
    "import", "sys._getframe", "object.__getattr__", "ctypes.dlsym", "ctypes.cdata",
}  # fmt: skip
_OWN_SECRETS = frozenset({"fd", "fdinfo", "mem", "environ", "map_files"})
# files pytest or the interpreter load on the next start: a test that writes one beside the
# tests turns the next run (a rerun, or the session after `os._exit`) into its own
_LOADED_AT_START = ("conftest.py", "pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg",
                    "sitecustomize.py", "usercustomize.py")  # fmt: skip
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_HARNESS_MODULES = frozenset(
    {"_runner", "_mutation_runner", "_integrity", "_session", "_evidence", "__main__"}
)


@dataclass(frozen=True)
class GuardHandle:
    """What the harness keeps of the guard. The hook's own state lives in its closure, out of
    reach of attribute assignment: test code can add findings through `record` but cannot
    disarm the hook or take a finding back.

    Attributes:
        record: append a finding (kind, detail) for the current test.
        set_test: name the test now running (findings carry it).
        arm: start guarding (before test code is imported); cannot be undone.
        finish: the harness's main thread may touch its files again; only the harness functions
            registered at `install` may call it.
        channel_intact: whether the findings descriptor is still the file the guard opened.
        findings: every finding appended so far, from any process of the tree.
    """

    record: Callable[[str, str], None]
    set_test: Callable[[str], None]
    arm: Callable[[], None]
    finish: Callable[[], None]
    channel_intact: Callable[[], bool]
    findings: Callable[[], list[dict[str, str]]]


def _proc_path(path: str) -> bool:
    """Another process's /proc entries, or this one's descriptors, memory and environment."""
    if not path.startswith("/proc/"):
        return False
    parts = path.split("/")
    owner = parts[2]
    if owner in {"self", "thread-self", str(os.getpid())}:
        return len(parts) > 3 and parts[3] in _OWN_SECRETS
    return owner.isdigit()


def _opens_for_writing(mode: Any, flags: Any) -> bool:
    """Whether an `open` audit event's mode or flags write (create, truncate, append)."""
    if isinstance(mode, str) and any(char in mode for char in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _parent_of(pid: int) -> int:
    """The parent process id of `pid`, from /proc (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            after_name = handle.read().rpartition(")")[2].split()
        return int(after_name[1])
    except (OSError, IndexError, ValueError):
        return 0


def _thread_tracer_installers() -> tuple[CodeType, ...]:
    """The code that installs the tracer in each new thread, where it calls `sys.settrace`:
    threading's bootstrap (the function `threading.settrace` set) and coverage.py's installer
    and tracer start. Matched by value and file (the harness may hold a second copy of a
    module), so a test cannot pass its own function off under those names."""
    methods: list[object] = [getattr(threading.Thread, "_bootstrap_inner", None)]
    try:
        from coverage.collector import Collector  # noqa: PLC0415 - only where coverage runs
    except ImportError:
        pass
    else:
        methods += [
            getattr(Collector, name, None) for name in ("_installation_trace", "_start_tracer")
        ]
    codes = (getattr(method, "__code__", None) for method in methods)
    return tuple(code for code in codes if isinstance(code, CodeType))


def install(  # noqa: PLR0915 - the hook and its state are one closure on purpose
    findings_path: str,
    harness_dirs: Iterable[str],
    test_roots: Iterable[str],
    finishers: tuple[CodeType, ...],
    trusted: tuple[CodeType, ...] = (),
    *,
    project_root: str | None = None,
) -> GuardHandle:
    """Add the audit hook (once per process: it cannot be removed) and return its handle.

    `finishers` may end the guarded phase; what runs inside a `trusted` harness function (which
    never calls test code: coverage switching contexts) may touch the harness's files."""
    fd = os.open(findings_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    inode = os.fstat(fd).st_ino
    guarded = tuple(os.path.realpath(d).rstrip("/") + "/" for d in harness_dirs)
    # the interpreter's installation: mounted read-only, so no link planted there leads back
    installed = tuple(
        os.path.realpath(d).rstrip("/") + "/"
        for d in {sys.prefix, sys.base_prefix, *sysconfig.get_paths().values()}
    )
    roots = tuple(os.path.realpath(d).rstrip("/") + "/" for d in test_roots)
    project = os.path.realpath(project_root).rstrip("/") + "/" if project_root else None
    tracer_installers = _thread_tracer_installers()
    state = {"test": "", "armed": False, "finished": False}
    seen: set[tuple[str, str, str]] = set()
    inside = threading.local()
    main_thread = threading.main_thread()

    def record(kind: str, detail: str) -> None:
        key = (kind, str(state["test"]), detail)
        if key in seen:
            return
        seen.add(key)
        line = json.dumps({"kind": kind, "test": state["test"], "detail": detail[:300]})
        with contextlib.suppress(OSError):  # closed or replaced: channel_intact says so
            os.write(fd, (line + "\n").encode())

    def harness_path(path: Any) -> bool:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):
            return False
        if path.startswith(installed) and "/.." not in path:
            return False  # imports read here all the time: skip resolving every link
        return (os.path.realpath(path) + "/").startswith(guarded)

    def loaded_at_start(path: Any) -> bool:
        """A conftest, pytest configuration, `.pth` or customize file in the project the tests
        run in (pytest's temporary directories are the tests' own)."""
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str) or project is None:
            return False
        name = os.path.basename(path)
        if name not in _LOADED_AT_START and not name.endswith(".pth"):
            return False
        real = os.path.realpath(path)
        return real.startswith(project) and "/pytest-of-" not in real

    def proc_path(path: Any) -> bool:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        return isinstance(path, str) and _proc_path(os.path.normpath(path))

    def caller_is_test(depth: int) -> bool:
        frame: FrameType | None = sys._getframe(depth)
        for _ in range(12):  # the test file itself, or inspect or the import system called by it
            if frame is None:
                return False
            name = frame.f_code.co_filename
            if name.startswith(roots):
                return True
            if not (name.endswith("inspect.py") or name.startswith("<frozen importlib")):
                return False
            frame = frame.f_back
        return False

    def from_threading(depth: int) -> bool:
        # a new thread installs the tracer `threading.settrace` set (coverage's, for threads),
        # which on its first event swaps itself for coverage's real tracer; a thread's own
        # target calling sys.settrace is the test's doing
        code = sys._getframe(depth).f_code
        return any(
            code == installer and code.co_filename == installer.co_filename
            for installer in tracer_installers
        )

    def from_trusted() -> bool:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None:
            if any(frame.f_code is code for code in trusted):
                return True
            frame = frame.f_back
        return False

    def block(kind: str, detail: str) -> None:
        if from_trusted():
            return
        record(kind, detail)
        raise PermissionError(PREFIX + detail)

    def check_signal(event: str, args: tuple[Any, ...]) -> None:
        target, signum = int(args[0]), int(args[1])
        if signum == 0:
            return  # an existence probe changes nothing
        if target <= 0:
            allowed = target == 0  # 0: the caller's own group; -1 and -N reach past it
        else:
            # the caller's own process group, or a child of the caller (and its group), or a
            # group whose leader has ended (what a finished child left behind)
            own_group = os.getpgid(0)
            if not os.path.exists(f"/proc/{target}"):
                allowed = True
            elif event == "os.killpg":
                allowed = target == own_group or _parent_of(target) == os.getpid()
            else:
                try:
                    same_group = os.getpgid(target) == own_group
                except OSError:
                    same_group = False
                allowed = same_group or _parent_of(target) == os.getpid()
        if not allowed:
            block("signal", f"{event}({target}, {signum}) outside the test's process group")

    def examine(event: str, args: tuple[Any, ...]) -> None:  # noqa: PLR0912 - one event table
        if event == "open":
            if harness_path(args[0]):
                block("harness-file", f"opened the harness file {args[0]}")
            if _opens_for_writing(args[1], args[2]) and loaded_at_start(args[0]):
                block("harness-file", f"wrote {args[0]}, a file pytest loads when it starts")
            if proc_path(args[0]):
                block("proc-access", f"opened {args[0]}")
        elif event in _FILE_EVENTS:
            if event == "os.truncate" and args[0] == fd:
                block("harness-file", "truncated the findings channel")
            if any(harness_path(arg) for arg in args[:2]):
                block("harness-file", f"{event} on the harness file {args[0]}")
            if event in {"os.rename", "os.link", "os.symlink"} and loaded_at_start(args[1]):
                block("harness-file", f"{event} made {args[1]}, a file pytest loads")
        elif event in {"os.listdir", "os.scandir"} and args:
            if proc_path(args[0]):
                block("proc-access", f"listed {args[0]}")
            if harness_path(args[0]):
                block("harness-file", f"listed the harness directory {args[0]}")
        elif event in {"os.kill", "os.killpg"}:
            check_signal(event, args)
        elif event in {"gc.get_objects", "gc.get_referrers", "gc.get_referents"}:
            record("introspection", f"{event} reaches the harness's objects")
        elif event in {"sys.settrace", "sys.setprofile"} and not from_threading(3):
            record("tracing", f"{event} replaced the tracing or profiling hook")
        elif event == "sys.addaudithook":
            record("tracing", "added an audit hook")
        elif event == "import" and args[0] in _HARNESS_MODULES and caller_is_test(3):
            record("introspection", f"imported the harness module {args[0]}")
        elif event == "sys._getframe" and caller_is_test(3):
            record("introspection", "took a frame of the running harness")
        elif event == "object.__getattr__" and args[1] == "tb_frame" and caller_is_test(3):
            record("introspection", "took a frame from a traceback")
        elif event == "ctypes.dlsym" and str(args[1]).startswith(_NATIVE_SYMBOLS):
            record("native-code", f"looked up the native symbol {args[1]}")
        elif event == "ctypes.cdata":
            record("native-code", "read or wrote memory by address")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event not in _WATCHED or not state["armed"] or getattr(inside, "active", False):
            return
        if state["finished"] and threading.current_thread() is main_thread:
            return
        inside.active = True  # what the hook itself calls raises events too
        try:
            examine(event, args)
        finally:
            inside.active = False

    def set_test(nodeid: str) -> None:
        state["test"] = nodeid

    def arm() -> None:
        state["armed"] = True

    def finish() -> None:
        caller = sys._getframe(1).f_code
        if not any(caller is code for code in finishers):  # identity: an equal copy is not it
            record("phase", f"{caller.co_name} tried to end the guarded phase")
            return
        state["finished"] = True

    def channel_intact() -> bool:
        try:
            return os.fstat(fd).st_ino == inode
        except OSError:
            return False

    def findings() -> list[dict[str, str]]:
        try:
            data = os.pread(fd, min(os.fstat(fd).st_size, FINDINGS_LIMIT), 0)
        except OSError:
            return [{"kind": "channel", "test": "", "detail": "the findings file is unreadable"}]
        return parse_findings(data.decode(errors="replace"))

    sys.addaudithook(hook)
    return GuardHandle(record, set_test, arm, finish, channel_intact, findings)


# A namespace, its names and its values when the snapshot was taken. Values are compared by
# identity with `operator.is_`: `id()` raises an audit event per call, so the guard would run
# for each of the thousands of attributes.
Namespace = tuple[dict[str, Any], tuple[str, ...], tuple[Any, ...]]


class TamperCheck:
    """Identity of pytest's, pluggy's and coverage.py's functions and classes, and the plugins
    of a session: taken before test code runs, compared after it ran.

    `take` runs at the start of each session (after pytest configured itself — its plugins set
    per-session properties and caches then — and before any test file is imported). Only code
    is compared: functions, classes, properties and other descriptors; data such as caches and
    the session's config objects changes legitimately, and a value first set during the session
    (None before) is a cache being filled."""

    def __init__(self) -> None:
        self.namespaces: dict[str, Namespace] = {}
        self.plugins: set[int] | None = None

    def take(self) -> None:
        """Remember every attribute of the guarded packages' modules and of their classes."""
        self.namespaces = {}
        for name, module in list(sys.modules.items()):
            if module is None or name.partition(".")[0] not in _GUARDED_PACKAGES:
                continue
            namespace = vars(module)
            self.namespaces[name] = _namespace(namespace)
            for value in list(namespace.values()):
                if isinstance(value, type) and value.__module__ == name:
                    self.namespaces[f"{name}.{value.__name__}"] = _namespace(value.__dict__)

    def remember_plugins(self, plugins: Iterable[object]) -> None:
        """The session's plugins once collection is done; only the first call counts."""
        if self.plugins is None:
            self.plugins = {id(plugin) for plugin in plugins}

    def changes(self, plugins: Iterable[object] = ()) -> list[tuple[str, str]]:
        """(kind, detail) for every rebound attribute and every plugin added or removed."""
        found: list[tuple[str, str]] = []
        for name, (namespace, keys, values) in self.namespaces.items():
            now = tuple(namespace.values())
            if len(now) == len(values) and all(map(operator.is_, now, values)):
                continue
            before = dict(zip(keys, values, strict=True))
            for attr, value in list(namespace.items()):
                old = before.get(attr)
                if old is not value and _is_code(old) and not attr.startswith("__"):
                    found.append(("pytest-patched", f"{name}.{attr} was replaced"))
        if self.plugins is not None:
            current = {id(plugin): plugin for plugin in plugins}
            for identity, plugin in current.items():
                if identity not in self.plugins:
                    label = getattr(plugin, "__name__", type(plugin).__name__)
                    found.append(("plugin-registered", f"a pytest plugin was registered: {label}"))
            if self.plugins - set(current):
                found.append(("plugin-registered", "a pytest plugin was unregistered"))
        return found


def _is_code(value: Any) -> bool:
    """Functions, classes and descriptors: what decides how tests are run and reported."""
    return callable(value) or isinstance(value, property | staticmethod | classmethod)


def _namespace(namespace: Any) -> Namespace:
    return (namespace, tuple(namespace), tuple(namespace.values()))


def parse_findings(text: str) -> list[dict[str, str]]:
    """The findings in the channel's text; a line test code wrote in its own format is one too."""
    findings: list[dict[str, str]] = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
            findings.append({k: str(record[k]) for k in ("kind", "test", "detail")})
        except (ValueError, KeyError, TypeError):
            findings.append(
                {"kind": "channel", "test": "", "detail": "the findings file was written to"}
            )
    return findings
