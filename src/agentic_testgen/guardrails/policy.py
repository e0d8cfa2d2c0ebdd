"""Test policy: what a generated test may not do, checked on its syntax tree before it runs.

A generated test may not open sockets (`network`), start processes (`process`), write or
delete outside its temporary directory (`filesystem`), read secrets or system files
(`secrets_read`), touch the evaluation harness (`harness`: pytest's or coverage's internals,
helpers such as `pytest.approx` replaced, tracing hooks, `os._exit`, conftest or coverage
files), or run code the check cannot see (`dynamic_code`: `exec`, `eval`, imports by computed
name). The sandbox enforces the same when the test runs (no network, a read-only system, writes
only in its work directory, process and memory limits); this check says which rule a test
breaks before it costs a run, so the critic can tell the coder.

Paths are allowed where they are built from pytest's `tmp_path`/`tmpdir`/`tmp_path_factory`,
`monkeypatch.chdir`-free `tempfile` calls, or a name assigned from one of those.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from agentic_testgen.guardrails._protocol import Category, Finding

_NETWORK_MODULES = frozenset({
    "socket", "ssl", "urllib.request", "urllib3", "http.client", "requests", "httpx",
    "aiohttp", "ftplib", "smtplib", "telnetlib", "poplib", "imaplib", "paramiko",
    "websockets", "websocket", "xmlrpc.client", "asyncio.open_connection",
})  # fmt: skip
_PROCESS_CALLS = frozenset({
    "os.system", "os.popen", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.execv",
    "os.execve", "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execvp", "os.execvpe",
    "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve",
    "os.spawnvp", "os.spawnvpe", "os.posix_spawn", "os.posix_spawnp", "pty.spawn",
    "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
    "multiprocessing.Process", "signal.signal", "signal.alarm",
})  # fmt: skip
_PROCESS_MODULES = frozenset({"subprocess", "multiprocessing", "pty", "pexpect", "sh"})
_FS_CALLS = frozenset({
    "os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.rename", "os.renames",
    "os.replace", "os.chmod", "os.chown", "os.lchown", "os.truncate", "os.mkdir", "os.makedirs",
    "os.symlink", "os.link", "os.mkfifo", "os.utime", "shutil.rmtree", "shutil.move",
    "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.chown",
    "shutil.make_archive", "shutil.unpack_archive",
})  # fmt: skip
_FS_METHODS = frozenset({
    "write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch", "chmod", "symlink_to",
    "hardlink_to", "lchmod",
})  # fmt: skip
_PATH_CALLS = frozenset({
    "open", "io.open", "os.open", "codecs.open", "Path", "pathlib.Path", "pathlib.PurePath",
    "os.listdir", "os.scandir", "os.walk", "os.stat", "os.path.exists", "os.path.isfile",
    "glob.glob", "glob.iglob", "shutil.copy", "shutil.copy2", "shutil.copyfile",
    "shutil.copytree", "shutil.move", "shutil.rmtree", "os.remove", "os.unlink", "os.rename",
    "linecache.getline", "fileinput.input", "sqlite3.connect", "zipfile.ZipFile",
    "tarfile.open", "configparser.ConfigParser.read",
})  # fmt: skip
_PATH_METHODS = (".read_text", ".read_bytes", ".open", ".joinpath", ".write_text", ".write_bytes")
_HARNESS_MODULES = ("_pytest", "coverage", "pytest_cov", "agentic_testgen", "conftest", "pluggy")
_HARNESS_CALLS = frozenset({
    "sys.settrace", "sys.setprofile", "threading.settrace", "threading.setprofile",
    "sys.addaudithook", "sys._getframe", "os._exit", "atexit.register", "gc.get_objects",
    "gc.get_referrers", "faulthandler.enable", "importlib.reload", "sys.exit",
    "sys.monitoring.register_callback", "sys.monitoring.use_tool_id",
})  # fmt: skip
_HARNESS_NAMES = frozenset({"__builtins__", "builtins", "ctypes", "_ctypes", "cffi"})
# packages whose attributes a test may not replace, even for its own duration: a fake
# `pytest.approx` or `pytest.raises` makes its checks pass whatever the code does (`sys` is
# left out: replacing `sys.argv` or `sys.stdin` is how a command line is tested)
_HARNESS_PACKAGES = ("pytest", "_pytest", "pluggy", "coverage", "pytest_cov", "agentic_testgen")
# what replaces an attribute for a while: `monkeypatch.setattr`, `setattr`, `mock.patch.object`,
# `mock.patch("pytest.approx")`
_REPLACING_CALLS = ("setattr", "delattr", "patch.object", "patch")
_HARNESS_FILES = ("conftest.py", ".coverage", "pytest.ini", "pyproject.toml", "setup.cfg",
                  "tox.ini", "sitecustomize", "usercustomize", ".pth", "__pycache__")  # fmt: skip
_DYNAMIC_CALLS = frozenset({"exec", "eval", "compile", "__import__", "importlib.import_module",
                            "runpy.run_path", "runpy.run_module"})  # fmt: skip
_SECRET_PATHS = ("/etc/", "/proc/", "/sys/", "/root", "/home/", "/var/", "/dev/", "/boot/",
                 "~", ".ssh", ".aws", ".gnupg", ".netrc", ".pypirc", ".git-credentials",
                 ".env", "id_rsa", "id_ed25519", ".kube", ".docker")  # fmt: skip
_SECRET_ENV_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")
_TEMP_NAMES = frozenset({"tmp_path", "tmpdir", "tmp_path_factory", "tmpdir_factory"})
_TEMP_CALLS = frozenset({
    "tempfile.mkdtemp", "tempfile.mkstemp", "tempfile.TemporaryDirectory",
    "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "tempfile.SpooledTemporaryFile",
    "tempfile.gettempdir",
})  # fmt: skip
_WRITE_MODES = frozenset("wax+")

RULES = ("network", "process", "filesystem", "secrets_read", "harness", "dynamic_code")


@dataclass(frozen=True)
class Violation:
    rule: str
    line: int
    what: str


class PolicyGuardrail:
    """What a generated test may do. Only Python test code is checked; text that does not
    parse has no policy findings (the critic drops it for not importing)."""

    name = "policy"
    category: Category = "policy"
    blocks_output = True

    def find(self, text: str, *, path: str = "") -> list[Finding]:
        offsets = _line_offsets(text)
        return [
            Finding("policy", v.rule, offsets[v.line - 1], offsets[v.line], "high", v.what)
            for v in violations(text)
        ]


def violations(code: str | ast.AST) -> list[Violation]:
    """Every policy rule `code` breaks, with the line and what breaks it."""
    try:
        tree = ast.parse(code) if isinstance(code, str) else code
    except SyntaxError:
        return []
    checker = _Checker(tree)
    checker.visit(tree)
    return sorted(set(checker.found), key=lambda v: (v.line, v.rule))


def describe(found: list[Violation]) -> str:
    """One line for the critic's feedback: the first rule broken, where, and how."""
    first = found[0]
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return f"breaks policy [{first.rule}]: {first.what} at line {first.line}{more}"


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return [*offsets, len(text)]


class _Checker(ast.NodeVisitor):
    def __init__(self, tree: ast.AST) -> None:
        self.found: list[Violation] = []
        self.aliases: dict[str, str] = {}  # local name -> dotted origin (`sp` -> `subprocess`)
        self.temp: set[str] = set(_TEMP_NAMES)
        for node in ast.walk(tree):  # names bound to imports and to temporary paths, anywhere
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.aliases[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and (
                node.value is not None and self._is_temp(node.value)
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                self.temp |= {t.id for t in targets if isinstance(t, ast.Name)}
            elif (
                isinstance(node, ast.withitem)
                and self._is_temp(node.context_expr)
                and isinstance(node.optional_vars, ast.Name)
            ):
                self.temp.add(node.optional_vars.id)

    def _add(self, rule: str, node: ast.AST, what: str) -> None:
        self.found.append(Violation(rule, getattr(node, "lineno", 1), what))

    def _dotted(self, node: ast.AST) -> str:
        """`os.path.join` for the expression, with import aliases resolved."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name):
            parts.append(self.aliases.get(node.id, node.id))
            return ".".join(reversed(parts))
        if isinstance(node, ast.Call):
            return self._dotted(node.func) + "()." + ".".join(reversed(parts))
        return ""

    def _is_temp(self, node: ast.AST) -> bool:
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id in self.temp:
                return True
            if isinstance(child, ast.Call) and self._dotted(child.func) in _TEMP_CALLS:
                return True
        return False

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._module(module, node)
        for alias in node.names:
            self._module(f"{module}.{alias.name}", node)

    def _module(self, name: str, node: ast.AST) -> None:
        root = name.split(".", maxsplit=1)[0]
        if name in _NETWORK_MODULES or root in _NETWORK_MODULES:
            self._add("network", node, f"imports {name}")
        elif root in _PROCESS_MODULES:
            self._add("process", node, f"imports {name}")
        elif root in _HARNESS_MODULES or name in _HARNESS_NAMES or root in _HARNESS_NAMES:
            self._add("harness", node, f"imports {name}")

    def visit_Call(self, node: ast.Call) -> None:
        name = self._dotted(node.func)
        broken = (
            self._call_rule(node, name)
            or self._file_write(node, name)
            or self._harness_replaced(node, name)
        )
        if broken:
            self._add(*broken[:1], node, broken[1])
        self._paths(node, name)
        if name in ("os.getenv", "os.environ.get", "os.environ.copy", "dict", "os.environ.items"):
            self._environment(node, name)
        self.generic_visit(node)

    def _call_rule(self, node: ast.Call, name: str) -> tuple[str, str] | None:
        root = name.split(".", maxsplit=1)[0]
        if name in _PROCESS_CALLS or root in _PROCESS_MODULES:
            return "process", f"calls {name}"
        if name.startswith(tuple(f"{m}." for m in _NETWORK_MODULES)) or root in _NETWORK_MODULES:
            return "network", f"calls {name}"
        if name in _HARNESS_CALLS:
            return "harness", f"calls {name}"
        if name in _DYNAMIC_CALLS and not _literal_args(node):
            return "dynamic_code", f"calls {name}"
        return None

    def _harness_replaced(self, node: ast.Call, name: str) -> tuple[str, str] | None:
        """`monkeypatch.setattr(pytest, "approx", ...)` and its kin: an attribute of the harness
        replaced by a call rather than an assignment."""
        replacing = any(name == c or name.endswith(f".{c}") for c in _REPLACING_CALLS)
        if not node.args or not replacing:
            return None
        target = node.args[0]
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            dotted = target.value  # `monkeypatch.setattr("pytest.approx", ...)`
        elif name.endswith(".patch"):
            return None  # `mock.patch` takes only a dotted string
        else:
            dotted = self._dotted(target)
            attribute = node.args[1] if len(node.args) > 1 else None
            if isinstance(attribute, ast.Constant) and isinstance(attribute.value, str):
                dotted = f"{dotted}.{attribute.value}"
        if dotted.split(".", maxsplit=1)[0] not in _HARNESS_PACKAGES:
            return None
        return "harness", f"replaces {dotted}"

    def _file_write(self, node: ast.Call, name: str) -> tuple[str, str] | None:
        """A call that writes, moves or deletes a file outside the test's temporary directory."""
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else ""
        if name in _FS_CALLS:
            outside = not all(self._is_temp(a) for a in node.args[:2] or [node])
        elif name in ("open", "io.open", "os.open", "codecs.open"):
            outside = _writes(node) and (not node.args or not self._is_temp(node.args[0]))
        elif isinstance(func, ast.Attribute) and method in _FS_METHODS:
            outside = not self._is_temp(func.value)
        elif isinstance(func, ast.Attribute) and method in ("rename", "replace"):
            outside = _is_path(func.value, self.aliases) and not self._is_temp(func.value)
        elif isinstance(func, ast.Attribute) and method == "open":
            outside = _writes(node) and not self._is_temp(func.value)
        elif name == "sqlite3.connect":
            # a database file is created (and written, with its journal) where the path says
            database = node.args[0] if node.args else _keyword(node, "database")
            outside = database is not None and not (_in_memory(database) or self._is_temp(database))
        else:
            return None
        what = f"calls {name or '.' + method}() outside its temporary directory"
        return ("filesystem", what) if outside else None

    def _environment(self, node: ast.Call, name: str) -> None:
        if name in ("os.environ.copy", "os.environ.items"):
            self._add("secrets_read", node, f"reads the whole environment ({name})")
        elif name == "dict":
            if node.args and self._dotted(node.args[0]) == "os.environ":
                self._add("secrets_read", node, "reads the whole environment")
        elif node.args and _secret_env_name(node.args[0]):
            self._add("secrets_read", node, f"reads a credential from the environment ({name})")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        target = self._dotted(node.value)
        if target == "os.environ" and _secret_env_name(node.slice):
            self._add("secrets_read", node, "reads a credential from the environment")
        if target == "sys.modules" and isinstance(node.ctx, ast.Store | ast.Del):
            self._add("harness", node, "replaces a module in sys.modules")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Store | ast.Del) and self._dotted(node.value).startswith(
            ("pytest", "_pytest", "coverage", "builtins", "sys", "agentic_testgen")
        ):
            self._add("harness", node, f"assigns {self._dotted(node)}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _HARNESS_NAMES:
            self._add("harness", node, f"uses {node.id}")
        self.generic_visit(node)

    def _paths(self, node: ast.Call, name: str) -> None:
        """String literals given to a call that opens, lists or copies files: system files,
        credentials, the harness's files, or a way out of the work directory."""
        if not (name in _PATH_CALLS or name.endswith(_PATH_METHODS)):
            return
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            for child in ast.walk(argument):
                if not isinstance(child, ast.Constant) or not isinstance(child.value, str):
                    continue
                value = child.value
                if value.startswith(_SECRET_PATHS) or any(
                    f"/{p}" in value for p in (".ssh", ".aws", ".gnupg", "etc/passwd")
                ):
                    self._add("secrets_read", child, f"opens {value[:40]!r}")
                elif ".." in value.split("/"):
                    self._add("filesystem", child, f"reaches outside its directory: {value[:40]!r}")
                elif any(part.endswith(_HARNESS_FILES) for part in value.split("/")):
                    self._add("harness", child, f"opens a harness file {value[:40]!r}")

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.startswith("pytest_"):
            self._add("harness", node, f"defines the pytest hook {node.name}")
        self.generic_visit(node)


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _in_memory(database: ast.AST) -> bool:
    """`:memory:`, `""` (a private temporary database) or a `file:` URI opened in memory or
    read-only."""
    if not isinstance(database, ast.Constant) or not isinstance(database.value, str):
        return False
    value = database.value
    return value in (":memory:", "") or "mode=memory" in value or "mode=ro" in value


def _literal_args(node: ast.Call) -> bool:
    return bool(node.args) and all(isinstance(a, ast.Constant) for a in node.args)


def _writes(node: ast.Call) -> bool:
    """An `open` call whose mode writes (`w`, `a`, `x`, `+`)."""
    mode: ast.AST | None = node.args[1] if len(node.args) > 1 else None
    for keyword in node.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    if isinstance(node.func, ast.Attribute) and node.func.attr == "open" and node.args:
        mode = node.args[0]  # Path.open(mode)
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return bool(_WRITE_MODES & set(mode.value))
    return True  # a computed mode may write


def _is_path(node: ast.AST, aliases: dict[str, str]) -> bool:
    """`Path(...)`/`pathlib.Path(...)` (a string's or a frame's `.replace` is no file)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return aliases.get(name, name).startswith(("pathlib", "Path", "PurePath"))


def _secret_env_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(word in node.value.upper() for word in _SECRET_ENV_WORDS)
    return not isinstance(node, ast.Constant)  # a computed name may be any
