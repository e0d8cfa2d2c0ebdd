"""Determinism: flaky tests seen across reruns, and static sources of non-determinism, apart."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import GeneratedTests, Language, MetricValue, RunOutcome, SourceUnit
from agentic_testgen.evals.metrics import _foreign
from agentic_testgen.evals.metrics._testcode import (
    FunctionNode,
    TestFunction,
    dotted_name,
    helper_methods,
    import_aliases,
    parse,
    qualname_of,
    test_functions,
)

STATIC_FINDING_WEIGHT = 0.5

# Call name (resolved through the file's imports) -> kind of non-determinism.
NONDETERMINISTIC_CALLS = {
    **{
        f"random.{name}": "unseeded random"
        for name in (
            "random",
            "randint",
            "randrange",
            "choice",
            "choices",
            "shuffle",
            "sample",
            "uniform",
            "gauss",
            "getrandbits",
            "randbytes",
        )
    },
    **{
        f"numpy.random.{name}": "unseeded random"
        for name in ("rand", "randn", "randint", "choice", "random")
    },
    "os.urandom": "unseeded random",
    **{
        f"secrets.{name}": "unseeded random"
        for name in ("token_hex", "token_bytes", "choice", "randbelow")
    },
    "time.time": "wall-clock time",
    "time.time_ns": "wall-clock time",
    "time.localtime": "wall-clock time",
    "datetime.datetime.now": "wall-clock time",
    "datetime.datetime.utcnow": "wall-clock time",
    "datetime.datetime.today": "wall-clock time",
    "datetime.date.today": "wall-clock time",
    "datetime.now": "wall-clock time",
    "datetime.utcnow": "wall-clock time",
    "datetime.today": "wall-clock time",
    "date.today": "wall-clock time",
    "time.sleep": "sleep",
    "asyncio.sleep": "sleep",
    "uuid.uuid1": "uuid",
    "uuid.uuid4": "uuid",
    "socket.socket": "network",
    "socket.create_connection": "network",
    "urllib.request.urlopen": "network",
    "http.client.HTTPConnection": "network",
    "http.client.HTTPSConnection": "network",
    **{
        f"requests.{verb}": "network"
        for verb in ("get", "post", "put", "delete", "patch", "head", "request")
    },
    **{
        f"httpx.{verb}": "network"
        for verb in ("get", "post", "put", "delete", "patch", "head", "request")
    },
}
SEEDING_CALLS = {"random.seed", "numpy.random.seed"}
PROPERTY_BASED = "property-based (random examples)"
# Hypothesis decorators and settings that fix the examples a property-based test draws
HYPOTHESIS_SEED = "hypothesis.seed"
HYPOTHESIS_SETTINGS = ("hypothesis.settings", "hypothesis.settings.register_profile")
# Methods that run around each test of a class: what they patch, the test sees patched
SETUP_METHODS = ("setUp", "asyncSetUp", "setUpClass", "setup_method", "setup_class", "setup")
PATCHING_SUFFIXES = (
    "mock.patch",
    "mock.patch.object",
    "patch",
    "patch.object",
    "setattr",
    "freeze_time",
)


def _patched_names(node: ast.AST, aliases: Mapping[str, str]) -> set[str]:
    """Last components of what `node` patches (`mock.patch("time.time")` -> {"time"})."""
    patched: set[str] = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        called = dotted_name(call.func, aliases) or ""
        if not called.endswith(PATCHING_SUFFIXES):
            continue
        if called.endswith("freeze_time"):
            patched.update({"time", "now", "utcnow", "today", "localtime", "time_ns"})
        for argument in call.args[:2]:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                patched.add(argument.value.rsplit(".", 1)[-1])
            else:
                name = dotted_name(argument, aliases)
                if name:
                    patched.add(name.rsplit(".", 1)[-1])
    return patched


def _derandomizes(node: ast.AST, aliases: Mapping[str, str]) -> bool:
    """Whether `node` holds `@seed(...)` or Hypothesis settings with `derandomize=True`."""
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        called = dotted_name(call.func, aliases) or ""
        if called == HYPOTHESIS_SEED:
            return True
        if called in HYPOTHESIS_SETTINGS and any(
            keyword.arg == "derandomize" and _is_constant_true(keyword.value)
            for keyword in call.keywords
        ):
            return True
    return False


def _is_constant_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _property_based_finding(
    test: TestFunction, aliases: Mapping[str, str], derandomized_file: bool
) -> dict[str, object] | None:
    """A Hypothesis `@given` test draws new random examples on each run, unless derandomized."""
    if not test.property_based or derandomized_file:
        return None
    decorators: list[ast.expr] = list(test.node.decorator_list)
    if test.cls is not None:
        decorators.extend(test.cls.decorator_list)
    if any(_derandomizes(decorator, aliases) for decorator in decorators):
        return None
    line = min((d.lineno for d in test.node.decorator_list), default=test.node.lineno)
    return {"test": test.qualname, "line": line, "kind": PROPERTY_BASED, "call": "hypothesis.given"}


def _class_patches(test: TestFunction, tree: ast.Module, aliases: Mapping[str, str]) -> set[str]:
    """What the test's class patches for every test: its decorators and its set-up methods."""
    if test.cls is None:
        return set()
    patched: set[str] = set()
    for decorator in test.cls.decorator_list:
        patched |= _patched_names(decorator, aliases)
    methods: dict[str, FunctionNode] = helper_methods(tree, test.cls)
    for name in SETUP_METHODS:
        if name in methods:
            patched |= _patched_names(methods[name], aliases)
    return patched


def static_findings(code: str) -> list[dict[str, object]]:
    """Calls that make a test depend on chance, the clock or the network, unless patched, and
    property-based tests that draw random examples."""
    tree = parse(code)
    if tree is None:
        return []
    aliases = import_aliases(tree)
    module_level = ast.Module(
        body=[n for n in tree.body if not isinstance(n, FunctionNode | ast.ClassDef)],
        type_ignores=[],
    )
    module_level_patches = _patched_names(module_level, aliases)
    derandomized_file = _derandomizes(module_level, aliases)
    findings: list[dict[str, object]] = []
    for test in test_functions(tree):
        drawn = _property_based_finding(test, aliases, derandomized_file)
        if drawn is not None:
            findings.append(drawn)
        calls = [node for node in ast.walk(test.node) if isinstance(node, ast.Call)]
        names = [dotted_name(node.func, aliases) or "" for node in calls]
        seeded = any(name in SEEDING_CALLS for name in names)
        patched = module_level_patches | _patched_names(test.node, aliases)
        patched |= _class_patches(test, tree, aliases)
        patched |= {
            name.rsplit(".", 1)[-1]
            for decorator in test.node.decorator_list
            for name in _patched_names(decorator, aliases)
        }
        for node, name in zip(calls, names, strict=True):
            kind = NONDETERMINISTIC_CALLS.get(name)
            if kind is None or name.rsplit(".", 1)[-1] in patched:
                continue
            if kind == "unseeded random" and seeded and not name.startswith(("os.", "secrets.")):
                continue
            findings.append(
                {"test": test.qualname, "line": node.lineno, "kind": kind, "call": name}
            )
    return findings


@dataclass(frozen=True)
class Determinism:
    """1 - (flaky tests + 0.5 x tests with only static findings) / tests, counting each
    parametrized case as a test, as the run does.

    Dynamic evidence: a test is flaky when its outcome differed across the instrumented run and
    the reruns, or (in a file that uses Hypothesis, whose reruns measure coverage too) when the
    lines of the module it covered differed. Static evidence: calls to unseeded random, the wall
    clock, sleep, uuid or the network that the test (its class, its set-up) does not patch, and
    Hypothesis `@given` tests that are not derandomized (`settings(derandomize=True)`, `@seed`,
    or the run's `derandomize`): they draw new examples on each run. They are reported apart; a
    flaky test is not also charged for its static findings. In JavaScript and Java the same
    kinds of call are looked for (`Math.random`, `Date.now`, `new Date()`, `fetch`;
    `new Random()`, `System.currentTimeMillis`, `Thread.sleep`, `new Socket`), unless the test
    or the file replaces them (`mock.method`, `spyOn`, fake timers, `mockStatic`).
    """

    threshold: float = 0.90
    name: str = "determinism"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        language = source.language
        findings, collected_cases = _static(tests.code, language)
        if outcome.derandomized:  # the run fixed the examples every @given test draws
            findings = [f for f in findings if f["kind"] != PROPERTY_BASED]
        # a test whose covered lines changed between runs is as unstable as one whose verdict did
        flaky = sorted(outcome.flaky_nodeids() | set(outcome.coverage_varied))
        flaky_names = {_qualname(nodeid, language) for nodeid in flaky}
        statically_suspect = {str(f["test"]) for f in findings} - flaky_names
        test_count = len(outcome.tests) or sum(collected_cases.values())
        if outcome.syntax_error or test_count == 0:
            details: dict[str, Any] = {"reason": "no test ran", "static_findings": findings}
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        # each parametrized case of a suspect test is charged, as each flaky case is
        if outcome.tests:
            suspect_cases = sum(
                _qualname(test.nodeid, language) in statically_suspect and test.nodeid not in flaky
                for test in outcome.tests
            )
        else:
            suspect_cases = sum(
                cases for name, cases in collected_cases.items() if name in statically_suspect
            )
        runs: dict[str, list[str]] = {}
        for test in outcome.tests:
            if test.nodeid in flaky:
                runs[test.nodeid] = [
                    test.outcome.value,
                    *(rerun.get(test.nodeid, test.outcome).value for rerun in outcome.reruns),
                ]
        penalty = len(flaky) + STATIC_FINDING_WEIGHT * suspect_cases
        value = max(0.0, 1.0 - penalty / test_count)
        details = {
            "runs": 1 + len(outcome.reruns),
            "flaky_tests": flaky,
            "flaky_outcomes": runs,
            "coverage_varied": list(outcome.coverage_varied),
            "static_findings": findings,
            "tests_with_static_findings": sorted(statically_suspect),
            "property_based_tests": sorted(
                {str(f["test"]) for f in findings if f["kind"] == PROPERTY_BASED}
            ),
        }
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)


def _qualname(nodeid: str, language: Language) -> str:
    if language == Language.PYTHON:
        return qualname_of(nodeid)
    return _foreign.qualname_of(nodeid, language)


def _static(code: str, language: Language) -> tuple[list[dict[str, object]], dict[str, int]]:
    """The file's static findings, and its tests' cases by qualname."""
    if language != Language.PYTHON:
        root = _foreign.parse(code, language)
        if root is None:
            return [], {}
        cases = {test.qualname: test.cases for test in _foreign.tests_in(root, language)}
        return _foreign.static_findings(root, language), cases
    collected = test_functions(parse(code) or ast.Module([], []))
    return static_findings(code), {test.qualname: test.cases for test in collected}
