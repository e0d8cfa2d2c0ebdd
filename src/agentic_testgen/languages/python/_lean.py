"""Runs one test in a mutant's child the way pytest's protocol would, minus its reports.

Executed inside the sandbox beside `_mutation_runner.py` (standard library and pytest only).
A mutant's child needs one answer per test, "did it fail", and pytest's per-test protocol
(`runtestprotocol`) spends most of a short test's time on what a child never shows: a report per
phase, its hooks, capture and logging set up and torn down around each phase. On a forked
child every object those touch is a page copied: the protocol copies about 800 pages for a
one-line test, the lean path about 340, which is most of the child's CPU time.

The lean path keeps what decides the answer: fixtures set up and torn down exactly as the
protocol does (a mutant that breaks a finalizer is still caught), the configured warning
filters and `filterwarnings` marks (a warning turned into an error still fails the test),
unhandled thread exceptions, `pytest.skip()` and `pytest.xfail()` called by the test (not
failures), and `PYTEST_CURRENT_TEST`. A test takes it only where nothing else could change the
answer, decided once in the warm parent (`lean_tests`): a plain test function, no skip or xfail
mark, no fixture that needs the protocol's phases (capture, `caplog`), no log level set, no
Hypothesis test, and no hook around a test's phases other than pytest's own. Every other test
runs through `runtestprotocol`, as before.

Leaner still, a lean test whose set-up and tear-down would do nothing (a module-level function
whose every argument is its own `parametrize` value, no fixture, autouse ones included) has its
function called directly, through pytest's own `pytest_pyfunc_call` (`direct_tests`): set-up
alone copied about 250 of the 930 pages of a child that ran a one-line test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Literal

import pytest

try:  # pytest's own pieces of the protocol; absent from some versions, then no test is lean
    from _pytest.outcomes import Exit, Skipped, XFailed
    from _pytest.runner import _update_current_test_var
    from _pytest.warnings import catch_warnings_for_item
except ImportError:  # pragma: no cover - depends on the project's pytest
    LEAN_AVAILABLE = False
else:
    LEAN_AVAILABLE = True

try:
    from _pytest.threadexception import collect_thread_exception
except ImportError:  # pytest before 8.4 reports thread exceptions another way
    collect_thread_exception = None  # type: ignore[assignment]

try:  # the call phase itself: pytest's own `pytest_pyfunc_call` hook implementation
    from _pytest.python import pytest_pyfunc_call as call_test_function
except ImportError:  # pragma: no cover - depends on the project's pytest
    call_test_function = None  # type: ignore[assignment]

# The function pytest makes the "fixture" of a directly parametrized argument with: it returns
# the argument's value, `item.callspec.params[name]`.
DIRECT_PARAMETER = "get_direct_param_fixture_func"

# Plugins that act around a test's phases and what the lean path does about each: reproduced
# (runner, warnings, threadexception), made moot by the tests it admits (skipping: no skip or
# xfail marks; capture and logging: no fixture that reads them, no log level; hypothesis: no
# Hypothesis tests; unittest: plain functions only), or report-only (assertion's messages,
# faulthandler's timeout dumps, tmpdir's retention).
KNOWN_PLUGINS = frozenset(
    {
        "runner",
        "warnings",
        "threadexception",
        "skipping",
        "capturemanager",
        "logging-plugin",
        "hypothesispytest",
        "unittest",
        "assertion",
        "faulthandler",
        "tmpdir",
    }
)
PHASE_HOOKS = (
    "pytest_runtest_protocol",
    "pytest_runtest_setup",
    "pytest_runtest_call",
    "pytest_runtest_teardown",
    "pytest_runtest_makereport",
)
PROTOCOL_FIXTURES = frozenset(
    {"caplog", "capsys", "capsysbinary", "capfd", "capfdbinary", "capteesys"}
)
PROTOCOL_MARKS = ("skip", "skipif", "xfail")


def _plugins_allow(item: Any, own: list[Any]) -> bool:
    for hook in PHASE_HOOKS:
        for impl in getattr(item.ihook, hook).get_hookimpls():
            if impl.plugin_name not in KNOWN_PLUGINS and not any(impl.plugin is o for o in own):
                return False
    return True


def _item_allows(item: Any) -> bool:
    if type(item) is not pytest.Function:  # unittest cases, doctests, plugins' own items
        return False
    if any(item.get_closest_marker(name) is not None for name in PROTOCOL_MARKS):
        return False
    if PROTOCOL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    return not getattr(getattr(item, "obj", None), "is_hypothesis_test", False)


def lean_tests(items: list[Any], config: Any, own_plugins: list[Any]) -> set[str]:
    """The node ids of the tests that can run the lean way (see the module's docstring)."""
    if not LEAN_AVAILABLE:
        return set()
    if config.getini("log_level") or config.getoption("log_level", None):
        return set()
    if config.getoption("setuponly", False) or config.getoption("setupshow", False):
        return set()
    allowed: dict[int, bool] = {}  # by hook proxy: one per directory of conftests
    lean = set()
    for item in items:
        proxy = id(item.ihook)
        if proxy not in allowed:
            allowed[proxy] = _plugins_allow(item, own_plugins)
        if allowed[proxy] and _item_allows(item):
            lean.add(item.nodeid)
    return lean


def direct_tests(items: list[Any], lean: set[str]) -> set[str]:
    """Of the lean tests, those whose set-up and tear-down would do nothing: a module-level
    function whose every argument is a value of its own `parametrize` (no fixture, no autouse
    fixture, no xunit `setup_*`, which pytest runs as autouse fixtures), called by pytest's own
    `pytest_pyfunc_call` alone. In a forked child, set-up and tear-down run pytest's fixture
    machinery for nothing, and each page that touches is a page copied (see the module's
    docstring)."""
    if call_test_function is None:
        return set()
    return {item.nodeid for item in items if item.nodeid in lean and _sets_up_nothing(item)}


def _sets_up_nothing(item: Any) -> bool:
    if not isinstance(item.parent, pytest.Module):
        return False  # a method: its class's instance and set-up
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    params = getattr(getattr(item, "callspec", None), "params", {})
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name) or ()
        if name not in params or not definitions:
            return False
        if getattr(definitions[-1].func, "__name__", "") != DIRECT_PARAMETER:
            return False  # an indirect parameter, or a fixture overriding the argument
    callers = item.ihook.pytest_pyfunc_call.get_hookimpls()
    return [impl.plugin_name for impl in callers] == ["python"]


def direct_failed(item: Any, nextitem: Any) -> bool:
    """Whether a test of `direct_tests` fails: its function called with its parameters as
    pytest's `pytest_pyfunc_call` calls it (an async function or a returned value is dealt
    with there), under the item's warning filters, then the tear-down of what an earlier test
    of the child set up and `nextitem` does not share (as `lean_failed` would)."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    with item_warnings(item):
        for name in item._fixtureinfo.argnames:
            item.funcargs[name] = params[name]
        outcome = _phase(item, "call", lambda: call_test_function(pyfuncitem=item))
        teardown = _phase(
            item, "teardown", lambda: item.session._setupstate.teardown_exact(nextitem)
        )
    _update_current_test_var(item, None)
    return "failed" in (outcome, teardown)


def _phase(
    item: Any, when: Literal["setup", "call", "teardown"], action: Callable[[], object]
) -> str:
    """ "passed", "skipped" or "failed", as the protocol's report of this phase would say."""
    _update_current_test_var(item, when)
    try:
        action()
        if collect_thread_exception is not None:
            collect_thread_exception(item.config)
    except (Exit, KeyboardInterrupt):
        raise  # the protocol lets these end the session too
    except XFailed:  # `pytest.xfail()` called by the test: reported as xfailed, not failed
        return "skipped"
    except Skipped:  # `pytest.skip()` called by the test or a fixture
        return "skipped"
    except BaseException:  # what `CallInfo` records as the phase's failure
        return "failed"
    return "passed"


def item_warnings(item: Any) -> contextlib.AbstractContextManager[object]:
    """The warning filters pytest puts around a test's protocol (its configuration's, its
    `filterwarnings` marks, deprecations shown): `runtestprotocol` alone does not apply them,
    the `pytest_runtest_protocol` hook it is called from does."""
    if not LEAN_AVAILABLE:
        return contextlib.nullcontext()
    return catch_warnings_for_item(item.config, ihook=item.ihook, when="runtest", item=item)


def lean_failed(item: Any, nextitem: Any) -> bool:
    """Whether the test fails: set-up, the call if set-up passed, then tear-down up to what
    `nextitem` shares, all under the item's warning filters."""
    setupstate = item.session._setupstate
    with item_warnings(item):
        outcomes = [_phase(item, "setup", lambda: setupstate.setup(item))]
        if outcomes[0] == "passed":
            outcomes.append(_phase(item, "call", item.runtest))
        outcomes.append(_phase(item, "teardown", lambda: setupstate.teardown_exact(nextitem)))
    _update_current_test_var(item, None)
    return "failed" in outcomes
