"""Runs every mutant of a schemata module inside the sandbox, each in a fork of a warm process.

Executed by path with the sandbox's interpreter, beside `_runner.py` (whose warm-up and pytest
arguments it shares). The module under test is loaded from the schemata (see
`agentic_testgen.evals.mutation`), compiled under the module's own file name, while the file on
disk stays the original: `inspect.getsource` shows what the user wrote. The switch is a builtin
whose name and values are drawn for each run, held at the original's value outside the children:

- Mutants that act in function bodies run in children forked from one pytest session that has
  already imported pytest, the tests and the module: the child flips the switch and runs only the
  tests that covered the mutant's line, stopping at the first failure. A test runs the lean way
  where nothing but its fixtures and warning filters can change its answer (`_lean.py`: a
  third of the pages copied), its function called directly where it has no fixture to set up,
  else through pytest's per-test protocol with a failure's report made cheap: any way a mutant
  only needs "killed or not".
- Mutants that act at import time (module or class level, defaults, decorators) run the same
  way, after the child re-executes the module (and the test modules, to rebind the names they
  imported from it) with the switch on: `importlib.reload` keeps each module's namespace, so
  the collected tests see the mutated definitions.

While the instrumented run (whose per-test coverage the plan needs) still holds one core, the
harness tries mutants on the other, one child at a time, each against every test (those whose
code names its function first) for a few milliseconds of CPU: a kill found so is kept once the
plan confirms its test covers the mutant and passed steadily, else the mutant runs as planned.

The parent keeps one child per core busy. Each child stops itself once it has used its mutant's
CPU-time limit (derived from its tests' measured durations), and the parent kills one that
outlives its wall-time backstop: either way the mutant is recorded as a timeout (counted as
killed). One more child, the control,
runs every selected test on the original module in the same way, with a switch value that
selects no mutant: a test that fails there behaves differently under mutation testing than
under measurement, which is an integrity finding, not a kill. Test code runs under the
integrity guard (see `_integrity.py`) from collection on.

Usage: python _mutation_runner.py CONFIG.json  (prints the results as JSON on standard output)
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import gc
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import math
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from _integrity import FINDINGS, GuardHandle, TamperCheck, install  # type: ignore[import-not-found]
from _lean import (  # type: ignore[import-not-found]
    direct_failed,
    direct_tests,
    item_warnings,
    lean_failed,
    lean_tests,
)
from _pytest.assertion.rewrite import AssertionRewritingHook, _rewrite_test
from _pytest.runner import runtestprotocol  # pytest's own per-test runner
from _session import (  # type: ignore[import-not-found]
    PYTEST_ARGS,
    exit_descriptor,
    project_plugin_args,
    warm_patterns,
)

KILLED, SURVIVED, TIMEOUT = "killed", "survived", "timeout"
CONTROL = 0  # the control child's id: no mutant has it
EXIT_SURVIVED, EXIT_KILLED = 0, 1
PLAN_POLL_S = 0.002
# what a mutant tried before the plan may use: a kill by one of its first tests, or nothing
EARLY_CPU_S, EARLY_WALL_S = 0.02, 0.5
# how a child runs a test (see `_lean.py`): its function called directly, the lean way, or
# through pytest's protocol
DIRECT, LEAN, PROTOCOL = "direct", "lean", "protocol"


def _cheap_failure(*args: Any, **kwargs: Any) -> str:
    return "killed"


def _fails(item: Any, following: Any, way: str) -> bool:
    """Whether a test fails: called directly or the lean way where it may (see `_lean.py`),
    else through pytest's per-test protocol with a failure's report made cheap (a mutant only
    needs "killed or not"), any way under the warning filters pytest gives the test (a warning
    its marks turn into an error fails it, as it would in the instrumented run)."""
    if way == DIRECT:
        return bool(direct_failed(item, following))
    if way == LEAN:
        return bool(lean_failed(item, following))
    item.repr_failure = _cheap_failure
    item._repr_failure_py = _cheap_failure
    with item_warnings(item):
        reports = runtestprotocol(item, nextitem=following, log=False)
    return any(report.failed for report in reports)


def _mark_kill(kills: int, mutant_id: int, nodeid: str, *, early: bool = False) -> None:
    record = {"mutant": mutant_id, "test": nodeid, **({"early": True} if early else {})}
    os.write(kills, (json.dumps(record) + "\n").encode())


def _test_name(nodeid: str) -> str:
    """`Class::test` or `test`: a node id without its file and parameters."""
    return nodeid.partition("::")[2].partition("[")[0]


class KillOrder:
    """Puts the tests that killed mutants most recently first, for the mutants still to start.

    Mutants run in source order, so the test that killed the last mutant of a function is the
    likeliest to kill the next one: a killed mutant then costs its child one test, not the
    many it covers. Which test kills changes, whether the mutant is killed does not. Tests the
    host pinned to the front (`first`) stay there."""

    def __init__(self, kills: int, first: list[str]) -> None:
        self.kills = kills
        self.first = set(first)
        self.read = 0
        self.seen = 0  # kills read so far
        self.last_kill: dict[str, int] = {}  # test -> the number of its latest kill
        self.last_function_kill: dict[str, int] = {}  # the same, by test function

    def order(self, tests: list[str], named: list[str] | None = None) -> list[str]:
        """`tests` reordered: pinned, then those the host found named by the mutant's line
        (`named`, see `_mutation.named_by`), then the latest killers. Among the named (a
        table row's tests, `test_plural[quiz-quizzes]` and `test_singular[quizzes-quiz]`),
        the test function that killed latest comes first: the mutant before changed the
        same table, and the same function's row noticed it."""
        self._catch_up()
        front = self.first | set(named or ())
        pinned = [nodeid for nodeid in tests if nodeid in self.first]
        by_name = [nodeid for nodeid in tests if nodeid in front and nodeid not in self.first]
        by_name.sort(
            key=lambda nodeid: (
                -self.last_kill.get(nodeid, -1),
                -self.last_function_kill.get(nodeid.partition("[")[0], -1),
            )
        )
        pinned += by_name
        rest = [nodeid for nodeid in tests if nodeid not in front]
        # stable: tests that never killed keep the host's order (fastest first)
        rest.sort(key=lambda nodeid: -self.last_kill.get(nodeid, -1))
        return pinned + rest

    def _catch_up(self) -> None:
        size = os.fstat(self.kills).st_size
        if size <= self.read:
            return
        text = os.pread(self.kills, size - self.read, self.read)
        complete = text.rfind(b"\n") + 1  # a line a child is still writing waits for next time
        self.read += complete
        for line in text[:complete].decode(errors="replace").splitlines():
            with contextlib.suppress(ValueError, KeyError, TypeError):
                record = json.loads(line)
                if int(record["mutant"]) != CONTROL:
                    self.seen += 1
                    test = str(record["test"])
                    self.last_kill[test] = self.seen
                    self.last_function_kill[test.partition("[")[0]] = self.seen


def _killers(kills: int, *, early: bool = False) -> dict[int, str]:
    """The first test that killed each mutant, from the kills channel: in the planned
    children, or (`early`) in those tried before the plan."""
    found: dict[int, str] = {}
    text = os.pread(kills, os.fstat(kills).st_size, 0).decode(errors="replace")
    for line in text.splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            record = json.loads(line)
            if bool(record.get("early")) == early:
                found.setdefault(int(record["mutant"]), str(record["test"]))
    return found


def _verdict(status: int, timed_out: bool) -> str:
    if timed_out or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGPROF):
        return TIMEOUT  # past its wall-time backstop, or its CPU-time limit (see `_cpu_limit`)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_SURVIVED:
        return SURVIVED
    return KILLED  # a failing test, or a crash the mutant caused: either way the tests noticed


def run_pool(
    mutants: list[dict[str, Any]],
    start: Callable[[dict[str, Any]], int],
    parallel: int,
) -> dict[int, dict[str, Any]]:
    """Run `start(mutant)` children, `parallel` at a time, each under its mutant's limits.

    A child stops itself at its CPU-time limit; the wall-time limit (`timeout_s`) is the
    backstop for a child that waits instead of computing. This process sleeps until a child
    ends or a backstop falls due: it takes no core from the children."""
    results: dict[int, dict[str, Any]] = {}
    pending = list(mutants)
    running: dict[int, tuple[dict[str, Any], float]] = {}
    reapers: dict[int, int] = {}
    timed_out: set[int] = set()
    poller = select.poll()
    while pending or running:
        while pending and len(running) < parallel:
            mutant = pending.pop(0)
            pid = start(mutant)
            running[pid] = (mutant, time.monotonic())
            fd = exit_descriptor(pid)
            if fd is not None:
                reapers[pid] = fd
                poller.register(fd, select.POLLIN)
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            due = []
            for child, (mutant, started) in running.items():
                if child in timed_out:
                    continue
                if now - started > mutant["timeout_s"]:
                    timed_out.add(child)
                    os.kill(child, signal.SIGKILL)
                else:
                    due.append(started + mutant["timeout_s"] - now)
            if len(reapers) == len(running):
                wait_s = min(due, default=0.01)
                poller.poll(max(1, math.ceil(wait_s * 1000)))
            else:
                time.sleep(0.0005)
            continue
        if pid not in running:
            continue
        mutant, started = running.pop(pid)
        fd = reapers.pop(pid, None)
        if fd is not None:
            poller.unregister(fd)
            os.close(fd)
        with contextlib.suppress(OSError):  # whatever the mutant's tests left running
            os.killpg(pid, signal.SIGKILL)
        results[mutant["id"]] = {
            "status": _verdict(status, pid in timed_out),
            "duration_s": time.monotonic() - started,
            "cpu_s": usage.ru_utime + usage.ru_stime,
        }
    return results


def _cpu_limit(seconds: float) -> None:
    """End this process, by the kernel's hand, once it has used `seconds` of CPU time: no
    Python code has to run for it (a loop inside a C function stops too)."""
    signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the default action of SIGPROF: terminate
    signal.setitimer(signal.ITIMER_PROF, seconds)


class WarmMutationPlugin:
    """Takes over pytest's test loop: one forked child per mutant, selected tests only, and the
    control child."""

    def __init__(
        self,
        config: dict[str, Any],
        *,
        schemata: Any,
        kills: int,
        guard: GuardHandle,
        tamper: TamperCheck,
        deliver: Callable[[dict[int, dict[str, Any]]], NoReturn],
    ) -> None:
        self.config = config
        self.schemata = schemata  # the module's compiled schemata
        self.mutants: list[dict[str, Any]] = []
        self.kills = kills
        self.guard = guard
        self.tamper = tamper
        self.deliver = deliver  # reports the verdicts and ends the process

    def pytest_sessionstart(self, session: Any) -> None:
        self.tamper.take()

    def pytest_collection_finish(self, session: Any) -> None:
        self.tamper.remember_plugins(session.config.pluginmanager.get_plugins())

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: Any) -> bool:
        # What the children share and no plan decides is made ready while the instrumented
        # run, which the plan waits for, still goes on.
        items = {item.nodeid: item for item in session.items}
        root = os.path.realpath(self.config["rootdir"]) + os.sep
        reimport = (
            Reimport(
                self.config["module_file"],
                self.schemata,
                session.items,
                root,
                self.config["module_names"],
            )
            if self.config["import_time"]
            else None
        )
        lean = lean_tests(session.items, session.config, [self]) if self.config["lean"] else set()
        direct = direct_tests(session.items, lean)
        ways = {nodeid: DIRECT if nodeid in direct else LEAN for nodeid in lean}
        # Children live for milliseconds: collect once here, then no collector runs in them and
        # none walks (and so copies) the pages they share with this process.
        gc.collect()
        gc.freeze()
        order = KillOrder(self.kills, [])
        start = self._starter(items, order, reimport, ways)
        early = self._run_early(start, [item.nodeid for item in session.items])
        plan = await_plan(self.config["plan_file"])
        self.mutants = plan["mutants"]
        if not self.mutants:
            return True
        warm_patterns(plan.get("patterns", []))
        gc.freeze()
        order.first = set(plan["first"])
        for kind, detail in self.tamper.changes(session.config.pluginmanager.get_plugins()):
            self.guard.record(kind, detail)
        # a kill found early stands where its test is one the plan gives the mutant: a test
        # that covers its line and passed, steadily, in the instrumented run. With tests
        # pinned first (the critic asks whether they kill), every mutant runs as planned.
        found_early = _killers(self.kills, early=True)
        accepted: dict[int, dict[str, Any]] = {}
        for mutant in [] if plan["first"] else self.mutants:
            result = early.get(mutant["id"])
            killer = found_early.get(mutant["id"])
            if result and result["status"] == KILLED and killer in mutant["tests"]:
                accepted[mutant["id"]] = {**result, "killed_by": killer}
        selected_anywhere = {nodeid for mutant in self.mutants for nodeid in mutant["tests"]}
        control = {
            "id": CONTROL,
            "key": self.config["control_key"],
            "tests": [item.nodeid for item in session.items if item.nodeid in selected_anywhere],
            "import_time": any(mutant["import_time"] for mutant in self.mutants),
            "timeout_s": sum(mutant["timeout_s"] for mutant in self.mutants),
            "cpu_s": sum(mutant["cpu_s"] for mutant in self.mutants),
        }
        to_run = [mutant for mutant in self.mutants if mutant["id"] not in accepted]
        results = run_pool([control, *to_run], start, self.config["parallel"])
        killers = _killers(self.kills)
        verdict = results.pop(CONTROL)
        if verdict["status"] != SURVIVED:
            culprit = killers.get(CONTROL, "")
            self.guard.record(
                "mutation-differential",
                f"{culprit or 'a selected test'} passed under measurement but failed "
                f"({verdict['status']}) in the mutation run of the unchanged module",
            )
        for mutant_id, result in results.items():
            result["killed_by"] = killers.get(mutant_id)
        self.deliver({**accepted, **results})  # ends the process: no session to tear down

    def _starter(
        self,
        items: dict[str, Any],
        order: KillOrder,
        reimport: Reimport | None,
        ways: dict[str, str],
    ) -> Callable[[dict[str, Any]], int]:
        """`start(mutant)`: fork the child that runs `mutant`'s tests with its switch on,
        stopping at the first failure (recorded on the kills channel); returns its pid."""
        switch = self.config["switch"]
        kills = self.kills

        def start(mutant: dict[str, Any]) -> int:
            ordered = order.order(mutant["tests"], mutant.get("named"))
            mutant["tests"] = [nodeid for nodeid in ordered if nodeid in items]
            pid = os.fork()
            if pid:
                with contextlib.suppress(OSError):
                    os.setpgid(pid, pid)
                return pid
            code = EXIT_KILLED
            try:
                gc.disable()
                _cpu_limit(mutant["cpu_s"])
                os.setpgid(0, 0)
                setattr(builtins, switch, mutant["key"])
                # test items are looked up one at a time, as they run: a list of them all
                # would write to each one's page (its reference count), which the child then
                # copies, for tests that mostly never run (most mutants die at the first)
                tests = mutant["tests"]
                if mutant["import_time"] and reimport is not None:
                    reimport.run(tests)
                code = EXIT_SURVIVED
                for index, nodeid in enumerate(tests):
                    item = items[nodeid]
                    following = items[tests[index + 1]] if index + 1 < len(tests) else None
                    if _fails(item, following, ways.get(nodeid, PROTOCOL)):
                        _mark_kill(
                            kills, mutant["id"], item.nodeid, early=bool(mutant.get("early"))
                        )
                        code = EXIT_KILLED
                        break
            finally:
                os._exit(code)

        return start

    def _run_early(
        self, start: Callable[[dict[str, Any]], int], every: list[str]
    ) -> dict[int, dict[str, Any]]:
        """Mutants tried, one child at a time, while the plan is not there yet: the
        instrumented run holds one core and this harness, started, would idle on the other.

        Without per-test coverage yet, a mutant tries every collected test, those whose code
        names its function (`early` in the config, found by the host) first, then the latest
        killers, for a few milliseconds of CPU at most: most mutants die at their first or
        second test. Only a kill is kept, and only one the plan confirms (see the caller);
        every other mutant runs as planned."""
        early: dict[int, dict[str, Any]] = {}
        plan = Path(self.config["plan_file"])
        candidates = plan.with_name("early.json")
        if self.config["parallel"] < 2 or plan.exists() or not candidates.exists():
            return early  # one core (the instrumented run needs it), or nothing to try
        for candidate in json.loads(candidates.read_text()):
            if plan.exists():
                break
            named = set(candidate["names"])
            mutant = {
                "id": candidate["id"],
                "key": candidate["key"],
                "import_time": candidate["import_time"],
                "tests": list(every),
                "named": [nodeid for nodeid in every if _test_name(nodeid) in named],
                "cpu_s": EARLY_CPU_S,
                "timeout_s": EARLY_WALL_S,
                "early": True,
            }
            early.update(run_pool([mutant], start, 1))
        return early


def await_plan(plan_file: str) -> dict[str, Any]:
    """The mutants to run and the tests pinned first, once the host has written them (after
    the instrumented run, which this session's start-up and collection overlapped). The plan's
    directory is read-only here: test code cannot write a plan of its own."""
    path = Path(plan_file)
    while not path.exists():
        time.sleep(PLAN_POLL_S)
    plan = json.loads(path.read_text())
    # from here on, this process ends by the kernel's hand once the plan's own bound has passed
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, float(plan["bound_s"]))
    return dict(plan)


class _SchemataFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Loads the module under test from the schemata while its names are imported, so a package
    that imports it (`from .version import Version` in `__init__.py`) binds mutable code."""

    def __init__(self, names: list[str], module_file: str, code: Any) -> None:
        self.names = set(names)
        self.module_file = module_file
        self.code = code

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.names:
            return None
        return importlib.util.spec_from_file_location(name, self.module_file, loader=self)

    def create_module(self, spec: Any) -> None:
        return None  # the default module object

    def exec_module(self, module: Any) -> None:
        exec(self.code, module.__dict__)
        # what `inspect` and `importlib.reload` find is the ordinary loader of the original file
        plain = importlib.machinery.SourceFileLoader(module.__name__, self.module_file)
        module.__loader__ = plain
        if module.__spec__ is not None:
            module.__spec__.loader = plain


def _load_schemata(config: dict[str, Any]) -> Any:
    """Import the module under test from the schemata under every name the tests may use, its
    file name and everything `inspect` reads being the original's. Returns the compiled code."""
    module_file = config["module_file"]
    source = Path(config["schemata_file"]).read_text(encoding="utf-8")
    code = compile(source, module_file, "exec", dont_inherit=True)
    finder = _SchemataFinder(config["module_names"], module_file, code)
    target = os.path.realpath(module_file)
    for name in config["module_names"]:
        # a module pytest itself imports (`textwrap`) was loaded from the plain file when pytest
        # started: pytest keeps that one, the tests get the schemata's (else no mutant is ever
        # switched on and every mutant survives)
        loaded = getattr(sys.modules.get(name), "__file__", None)
        if loaded and os.path.realpath(loaded) == target:
            del sys.modules[name]
    sys.meta_path.insert(0, finder)
    try:
        for name in config["module_names"]:
            with contextlib.suppress(BaseException):  # the tests' own import reports the error
                importlib.import_module(name)
    finally:
        sys.meta_path.remove(finder)
    return code


class Reimport:
    """What a child re-executes for a mutant acting at import time, found once in the parent
    (resolving every loaded module's path in each child cost more than its tests)."""

    def __init__(
        self, module_file: str, schemata: Any, items: list[Any], root: str, names: list[str]
    ) -> None:
        target = os.path.realpath(module_file)
        self.schemata = schemata
        self.targets: list[Any] = []  # the module under test, under every name it was imported by
        self.project: list[Any] = []  # the project's other modules: tests, conftests, packages
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if not path:
                continue
            real = os.path.realpath(path)
            if real == target:
                self.targets.append(module)
            elif real.startswith(root):
                self.project.append(module)
        self.module_of = {item.nodeid: item.module for item in items}  # each test's module
        self.test_code = _test_module_code(items)
        self.fresh = {  # test modules that see the mutated module without running again
            module.__name__
            for module in {id(item.module): item.module for item in items}.values()
            if module in self.project and _sees_it_fresh(module, set(names))
        }

    def run(self, tests: list[str]) -> None:
        """Re-execute the module under test, point every name the project's other modules
        bound to its old definitions (`from .version import Version` in a package's
        `__init__`) at the new ones, then reload the test modules, so the tests and the code
        they call see one set of mutated definitions."""
        replaced: dict[int, Any] = {}
        for module in self.targets:
            before = dict(module.__dict__)
            exec(self.schemata, module.__dict__)
            for name, old in before.items():
                new = module.__dict__.get(name)
                if new is not old and (callable(old) or isinstance(old, type)):
                    replaced[id(old)] = new
        if replaced:
            for module in self.project:
                namespace = module.__dict__
                for name, value in list(namespace.items()):
                    if id(value) in replaced and not isinstance(value, int | str):
                        namespace[name] = replaced[id(value)]
        modules = {id(module): module for module in map(self.module_of.__getitem__, tests)}
        for test_module in modules.values():
            name = test_module.__name__
            if name in self.fresh:
                continue  # its tests read the module's names through the module, re-executed
            code = self.test_code.get(name)
            if code is None:
                importlib.reload(test_module)
            else:  # what `reload` does, minus finding, reading and compiling the file again
                exec(code, test_module.__dict__)


def _sees_it_fresh(test_module: Any, names: set[str]) -> bool:
    """Whether a test module's tests see the re-executed module without the test module
    running again: its own top-level code holds nothing the module under test made but the
    module itself and its functions and classes (which `Reimport.run` points at the new
    ones), so running it again would change nothing its tests read.

    Its tests are the functions collected from the first run (pytest's items keep them); they
    read the test module's globals when they run. Those globals are its imports, its
    definitions and its top-level assignments: an assignment that names the module under test
    or what came from it (`RULES = inflection.PLURALS[:]`), a name imported from it that is
    not a function or a class (`from inflection import UNCOUNTABLES`), or any other statement
    (`if`, `try`) calls for running it again."""
    try:
        tree = ast.parse(Path(test_module.__file__).read_text(encoding="utf-8"))
    except (OSError, TypeError, ValueError, SyntaxError, RecursionError):
        return False
    bound: set[str] = set()  # names of the test module that lead to the module under test
    return all(_inert(statement, names, vars(test_module), bound) for statement in tree.body)


def _inert(
    statement: ast.stmt, names: set[str], namespace: dict[str, Any], bound: set[str]
) -> bool:
    """Whether running `statement` again, after the module under test ran again, would bind
    nothing new that `Reimport.run` does not bind itself (see `_sees_it_fresh`); the names
    it binds that lead to the module under test are added to `bound`."""
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if any(n == alias.name or n.startswith(alias.name + ".") for n in names):
                bound.add(alias.asname or alias.name.partition(".")[0])
        return True
    if isinstance(statement, ast.ImportFrom):
        if statement.level:
            return False  # a relative import: which module it names is not told here
        for alias in statement.names:
            local = alias.asname or alias.name
            if f"{statement.module}.{alias.name}" in names:
                bound.add(local)  # the module itself (`from pkg import module`)
            elif statement.module in names:
                value = namespace.get(local)
                if alias.name == "*" or not (callable(value) or isinstance(value, type)):
                    return False
                bound.add(local)
        return True
    if isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Expr):
        return not {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)} & bound
    return isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)


def _test_module_code(items: list[Any]) -> dict[str, Any]:
    """Each test module's code as its loader made it (pytest rewrites a test file's asserts),
    compiled once here rather than in every child that re-imports it: with no bytecode cache,
    each reload parsed and rewrote the file again."""
    found: dict[str, Any] = {}
    for module in {id(item.module): item.module for item in items}.values():
        spec = getattr(module, "__spec__", None)
        loader = getattr(spec, "loader", None)
        with contextlib.suppress(Exception):  # not ours to judge: the child then reloads it
            if isinstance(loader, AssertionRewritingHook) and spec is not None:
                found[module.__name__] = _rewrite_test(Path(spec.origin), loader.config)[1]
            elif isinstance(loader, importlib.machinery.SourceFileLoader):
                found[module.__name__] = loader.get_code(module.__name__)
    return found


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    workdir = Path(config["workdir"])
    workdir.mkdir(parents=True, exist_ok=True)
    tamper = TamperCheck()
    # No warm-up session here (`_runner.py` has one): no test runs in this process, and the
    # real session below imports all the children share. A warm-up's end-of-session summary
    # imported plugins' reporting (Hypothesis: 7 MB), which every fork then copied the page
    # tables of and every child tore down.
    setattr(builtins, config["switch"], config["control_key"])  # the original, outside children
    schemata = _load_schemata(config)
    guard = install(
        str(workdir / FINDINGS),
        harness_dirs=[workdir, config["inputs_dir"]],
        test_roots=[str(Path(config["tests_file"]).parent)],
        finishers=(),
        project_root=config["rootdir"],
    )
    kills = os.open(workdir / "kills.jsonl", os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    log = os.open(workdir / "mutation.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    saved = os.dup(1), os.dup(2)

    def restore_output() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)

    def deliver(results: dict[int, dict[str, Any]]) -> NoReturn:
        """Print the report and end the process at once: the interpreter's own teardown of a
        warm heap is time the host would wait for, and no child is left to need it."""
        restore_output()
        if not guard.channel_intact():
            guard.record("channel", "the findings descriptor was closed or replaced")
        report = {
            "mutants": {str(k): v for k, v in results.items()},
            "integrity": guard.findings(),
        }
        sys.stdout.write(config["report_key"] + json.dumps(report))
        sys.stdout.flush()
        os._exit(0)

    plugin = WarmMutationPlugin(
        config, schemata=schemata, kills=kills, guard=guard, tamper=tamper, deliver=deliver
    )
    os.dup2(log, 1)
    os.dup2(log, 2)
    guard.arm()
    try:
        pytest.main(
            [config["tests_file"], *PYTEST_ARGS, *project_plugin_args(config),
             *config["extra_args"], "--rootdir", config["rootdir"], "-c", config["ini_file"]],
            plugins=[plugin],
        )  # fmt: skip
    finally:  # an error in the session itself goes to the host's standard error
        restore_output()
    deliver({})  # no mutant ran: collection failed, or the plan was empty


if __name__ == "__main__":
    main(sys.argv[1])
