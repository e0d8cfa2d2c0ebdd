"""Mutation testing against real pytest in the real sandbox: mutants whose fate is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import (
    EvalResult,
    GeneratedTests,
    MutantStatus,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.evals import evaluate_files
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import get_sandbox
from tests.conftest import Evaluate, WriteProject

MODULE = """
LIMIT = 100


def add(a, b):
    return a + b


def is_small(x):
    return x < LIMIT


def count_up(n):
    i = 0
    while i < n:
        i += 1
    return i


def never_called(x):
    return x * 2
"""

CHECKING_TESTS = """
from calc import add, count_up, is_small


def test_add_checks_the_sum():
    assert add(2, 3) == 5


def test_is_small_at_the_boundary():
    assert is_small(99)
    assert not is_small(100)


def test_count_up_counts():
    assert count_up(3) == 3
"""

CALLING_ONLY_TESTS = """
from calc import add, count_up, is_small


def test_add_runs():
    add(2, 3)


def test_is_small_runs():
    is_small(99)


def test_count_up_runs():
    count_up(3)
"""


def mutation_settings(**run: object) -> Settings:
    return Settings(run=RunSettings(reruns=0, test_timeout_s=5.0, parallel=2, **run))  # type: ignore[arg-type]


def run(evaluate_project: Evaluate, tests: str, **run: object) -> EvalResult:
    return evaluate_project(MODULE, tests, run_settings=mutation_settings(**run))


def test_tests_that_check_values_kill_arithmetic_and_comparison_mutants(
    evaluate_project: Evaluate,
) -> None:
    result = run(evaluate_project, CHECKING_TESTS)
    details = result.metrics["mutation_score"].details
    survivors = {(m["original"], m["mutated"]) for m in details["surviving_mutants"]}
    assert ("a + b", "a - b") not in survivors
    assert ("x < LIMIT", "x <= LIMIT") not in survivors
    assert details["no_coverage"] == 3  # never_called: return-value, arithmetic, number
    assert details["timeout"] >= 1  # `i += 1` -> `i -= 1` never ends: a timeout, not a hang
    # `i = 0` -> `i = 1` survives: count_up(3) still returns 3 (the tests never try n = 0)
    assert survivors == {("0", "1")}
    assert result.metrics["mutation_score"].value == 9 / 10


def test_tests_that_only_call_let_the_mutants_survive(evaluate_project: Evaluate) -> None:
    result = run(evaluate_project, CALLING_ONLY_TESTS)
    details = result.metrics["mutation_score"].details
    survivors = {(m["original"], m["mutated"]) for m in details["surviving_mutants"]}
    assert ("a + b", "a - b") in survivors
    assert ("x < LIMIT", "x <= LIMIT") in survivors
    assert ("return a + b", "return None") in survivors
    assert result.metrics["mutation_score"].value < 0.5


def test_each_mutant_records_its_fate_and_the_test_that_killed_it() -> None:
    source = SourceUnit(path="calc.py", code=MODULE, module_name="calc")
    tests = GeneratedTests(code=CHECKING_TESTS, filename="test_calc.py")
    options = RunOptions(reruns=0, test_timeout_s=5.0)
    outcome = get_adapter("python").run(source, tests, get_sandbox("bwrap"), options)
    assert outcome.mutation is not None
    by_change = {(m.original, m.mutated): m for m in outcome.mutation.mutants}
    # a module-level constant acts at import time: it is run with a fresh import, and killed
    assert by_change[("100", "101")].status == MutantStatus.KILLED
    assert by_change[("a + b", "a - b")].killed_by == "tests/test_calc.py::test_add_checks_the_sum"
    assert by_change[("a + b", "a - b")].tests_run == 1  # only the test that covered line 6
    assert by_change[("i += 1", "i -= 1")].status == MutantStatus.TIMEOUT
    assert by_change[("i += 1", "i -= 1")].cpu_s > 0  # its child's own CPU time, as measured
    assert by_change[("x * 2", "x / 2")].status == MutantStatus.NO_COVERAGE
    assert outcome.mutation.score == 9 / 10


def test_sampling_is_reported_and_repeatable(evaluate_project: Evaluate, tmp_path: Path) -> None:
    first = run(evaluate_project, CALLING_ONLY_TESTS, max_mutants=5, mutation_seed=7)
    second = run(evaluate_project, CALLING_ONLY_TESTS, max_mutants=5, mutation_seed=7)
    one, two = first.metrics["mutation_score"], second.metrics["mutation_score"]
    assert one.details["sampled"] is True
    assert one.details["mutants"] - one.details["not_sampled"] == 5
    assert one.value == two.value
    assert one.details["surviving_mutants"] == two.details["surviving_mutants"]


def test_mutation_can_be_turned_off(evaluate_project: Evaluate) -> None:
    result = run(evaluate_project, CHECKING_TESTS, mutation=False)
    assert "mutation_score" not in result.metrics


def test_a_package_that_imports_the_module_sees_its_mutants(
    write_project: WriteProject,
) -> None:
    root = write_project({
        "pyproject.toml": "[project]\nname = 'shapes'\nversion = '0'\n",
        "src/shapes/__init__.py": "from .core import Square, area\n",
        "src/shapes/core.py": """
            UNIT = 1


            class Square:
                def __init__(self, side):
                    self.side = side

                def __eq__(self, other):
                    return isinstance(other, Square) and self.side == other.side


            def area(square):
                return square.side * square.side * UNIT
        """,
        "tests/test_core.py": (
            "from shapes import Square, area\n\n\ndef test_area_of_a_square():\n"
            "    assert area(Square(3)) == 9\n\n\ndef test_squares_of_one_side_are_equal():\n"
            "    assert Square(2) == Square(2)\n"
        ),
    })  # fmt: skip
    result = evaluate_files(
        root / "src/shapes/core.py",
        root / "tests/test_core.py",
        settings=mutation_settings(),
    )
    details = result.metrics["mutation_score"].details
    assert result.integrity.ok, result.integrity.findings  # re-executing UNIT = 1 kept one Square
    assert details["killed"] > 0 and details["errors"] == 0
    assert ("square.side * square.side", "square.side / square.side") not in {
        (m["original"], m["mutated"]) for m in details["surviving_mutants"]
    }


def test_a_mutant_may_use_a_multiple_of_its_tests_time_not_a_fixed_second() -> None:
    from agentic_testgen.domain import TestOutcome, TestResult
    from agentic_testgen.languages._mutants import TIMEOUT_FACTOR
    from agentic_testgen.languages.python._mutation import (
        CPU_ALLOWANCE_PER_TEST_S,
        CPU_ALLOWANCE_S,
        mutant_cpu_limit,
    )

    fast = [
        TestResult(nodeid=f"t::{i}", outcome=TestOutcome.PASSED, duration_s=0.001) for i in (1, 2)
    ]
    limit = mutant_cpu_limit(fast, RunOptions(), import_time=False)
    assert limit == TIMEOUT_FACTOR * 0.002 + CPU_ALLOWANCE_S + 2 * CPU_ALLOWANCE_PER_TEST_S
    assert limit < 0.2
    slow = [TestResult(nodeid="t::s", outcome=TestOutcome.PASSED, duration_s=0.5)]
    assert mutant_cpu_limit(slow, RunOptions(), import_time=False) > TIMEOUT_FACTOR * 0.5
    capped = RunOptions(test_timeout_s=0.1)
    assert mutant_cpu_limit(slow, capped, import_time=False) == 0.1


def test_mutants_known_to_be_killed_are_not_run_again() -> None:
    from agentic_testgen.languages.python import PythonAdapter
    from agentic_testgen.languages.python._mutation import run_mutants

    source = SourceUnit(path="calc.py", code=MODULE, module_name="calc")
    tests = GeneratedTests(code=CHECKING_TESTS, filename="test_calc.py")
    options = RunOptions(reruns=0, test_timeout_s=5.0)
    sandbox = get_sandbox("bwrap")
    adapter = PythonAdapter()
    outcome = adapter.run(source, tests, sandbox, RunOptions(reruns=0, mutation=False))
    full = run_mutants(source, tests, outcome, sandbox, options=options, lay_out=adapter._lay_out)
    killed = frozenset(m.id for m in full.mutants if m.status == MutantStatus.KILLED)
    assert killed
    again = run_mutants(
        source, tests, outcome, sandbox, options=options, lay_out=adapter._lay_out, skip=killed
    )
    for before, after in zip(full.mutants, again.mutants, strict=True):
        expected = MutantStatus.NOT_SAMPLED if before.id in killed else before.status
        assert after.status == expected, (before.original, before.mutated)


def test_the_harness_tries_the_latest_killer_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import agentic_testgen.languages.python as python_language

    monkeypatch.syspath_prepend(str(Path(python_language.__file__).parent))
    import _mutation_runner as runner  # type: ignore[import-not-found]

    kills = os.open(tmp_path / "kills.jsonl", os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    order = runner.KillOrder(kills, first=["t::pinned"])
    tests = ["t::pinned", "t::a", "t::b", "t::c"]
    assert order.order(tests) == tests
    runner._mark_kill(kills, 5, "t::c")
    runner._mark_kill(kills, 6, "t::b")
    runner._mark_kill(kills, runner.CONTROL, "t::a")  # the control failing is not a kill
    os.write(kills, b'{"mutant": 7, "te')  # a line a child is still writing
    assert order.order(tests) == ["t::pinned", "t::b", "t::c", "t::a"]
    os.write(kills, b'st": "t::c"}\n')
    assert order.order(tests) == ["t::pinned", "t::c", "t::b", "t::a"]
    # the tests the host found named by the mutant's line come next, before the latest killers
    assert order.order(tests, named=["t::a"]) == ["t::pinned", "t::a", "t::c", "t::b"]
    # among the named (a table row's tests), the test function that killed latest goes first
    runner._mark_kill(kills, 8, "t::test_plural[ox-oxen]")
    named = ["t::test_singular[quizzes-quiz]", "t::test_plural[quiz-quizzes]"]
    assert order.order(["t::a", *named], named=named) == [*reversed(named), "t::a"]
    os.close(kills)


def test_a_harness_that_cannot_start_fails_the_run_with_its_own_error() -> None:
    from agentic_testgen.languages.python import PythonAdapter
    from agentic_testgen.languages.python._mutation import PendingMutation

    class NoSandbox:
        """A sandbox that cannot start a process (its tool gone since it was chosen)."""

        name = "broken"

        def execute(self, *args: object, **kwargs: object) -> None:
            raise OSError("bwrap: cannot start")

    source = SourceUnit(path="calc.py", code=MODULE, module_name="calc")
    tests = GeneratedTests(code=CHECKING_TESTS, filename="test_calc.py")
    adapter = PythonAdapter()
    outcome = adapter.run(source, tests, get_sandbox("bwrap"), RunOptions(reruns=0, mutation=False))
    pending = PendingMutation(
        source, tests, NoSandbox(), options=RunOptions(reruns=0), lay_out=adapter._lay_out
    )
    with pytest.raises(OSError, match="cannot start"):
        pending.finish(outcome)


SHOP = """
import warnings


def price(n):
    return n * 3


def legacy(x):
    warnings.warn("old", DeprecationWarning)
    return x + 1


def release(pool):
    pool.append("closed")
    return len(pool)


def maybe(flag):
    if flag:
        return "yes"
    return "no"


def check(x):
    if x > 100:
        warnings.warn("big", UserWarning)
    return x


def label(n):
    return "small" if n < 10 else "big"
"""
SHOP_TESTS = """
import logging
import warnings

import pytest

from shop import check, label, legacy, maybe, price, release


@pytest.fixture
def pool():
    items = []
    yield items
    assert release(items) == 1  # only this fixture's tear-down sees `release`


def test_price(pool):
    assert price(2) == 6


def test_legacy_warns():
    with warnings.catch_warnings(record=True) as seen:  # pytest's filters show deprecations
        assert legacy(1) == 2
    assert len(seen) == 1


def test_maybe_skips_where_unsupported():
    if maybe(True) != "yes":
        pytest.skip("not supported here")  # a skip is not a failure
    assert maybe(False) == "no"


@pytest.mark.filterwarnings("error::UserWarning")
def test_check_stays_quiet_at_the_limit():
    assert check(100) == 100


def test_price_is_logged(caplog):
    logging.getLogger("shop").warning("price %s", price(1))
    assert "price 3" in caplog.text


class TestPrice:
    def test_price_of_none(self):
        assert price(0) == 0


@pytest.mark.filterwarnings("error::pytest.PytestReturnNotNoneWarning")
@pytest.mark.parametrize("n", [3])
def test_label_returns_nothing_when_small(n):
    return None if label(n) == "small" else label(n)  # a value returned is a warning: an error
"""


def test_tests_run_without_reports_reach_the_protocols_verdicts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fixture tear-down, pytest's warning filters and marks, a test's own skip and a value
    it returns decide a mutant's fate the same way whether its tests run the lean way (called
    directly where nothing is set up) or through the protocol."""
    from agentic_testgen.languages.python import PythonAdapter
    from agentic_testgen.languages.python import _mutation as python_mutation

    source = SourceUnit(path="shop.py", code=SHOP, module_name="shop")
    tests = GeneratedTests(code=SHOP_TESTS, filename="test_shop.py")
    sandbox, adapter = get_sandbox("bwrap"), PythonAdapter()
    outcome = adapter.run(source, tests, sandbox, RunOptions(reruns=0, mutation=False))
    assert [t.outcome for t in outcome.tests].count(TestOutcome.PASSED) == 7
    options = RunOptions(reruns=0, test_timeout_s=5.0)
    verdicts = {}
    for lean in (False, True):
        monkeypatch.setattr(python_mutation, "LEAN_TESTS", lean)
        mutation = python_mutation.run_mutants(
            source, tests, outcome, sandbox, options=options, lay_out=adapter._lay_out
        )
        assert not mutation.integrity.findings  # the control passed: no differential finding
        verdicts[lean] = {(m.line, m.original, m.mutated): m.status for m in mutation.mutants}
    assert verdicts[True] == verdicts[False]
    lean = verdicts[True]
    assert lean[(16, "return len(pool)", "return None")] == MutantStatus.KILLED  # tear-down
    assert lean[(21, "'yes'", "'XXyesXX'")] == MutantStatus.SURVIVED  # the test skipped itself
    assert lean[(26, "x > 100", "x >= 100")] == MutantStatus.KILLED  # the mark's filter
    assert lean[(32, "'small'", "'XXsmallXX'")] == MutantStatus.KILLED  # the value returned


def test_only_tests_nothing_else_can_decide_take_the_lean_way(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agentic_testgen.languages.python as python_language

    monkeypatch.syspath_prepend(str(Path(python_language.__file__).parent))
    import _lean  # type: ignore[import-not-found]

    root = write_project({"shop.py": SHOP, "tests/test_shop.py": SHOP_TESTS})
    (root / "tests" / "test_marked.py").write_text(
        "import pytest\n\n@pytest.mark.skipif(False, reason='no')\ndef test_marked():\n"
        "    assert True\n"
    )
    (root / "tests" / "test_parameters.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef n(request):\n    return request.param\n\n"
        "@pytest.mark.parametrize('x', [1])\ndef test_parameter(x):\n    assert x\n\n"
        "@pytest.mark.parametrize('n', [2], indirect=True)\ndef test_indirect(n):\n"
        "    assert n\n"
    )
    (root / "tests" / "test_autouse.py").write_text(
        "import pytest\n\n@pytest.fixture(autouse=True)\ndef ready():\n    yield\n\n"
        "def test_ready():\n    assert True\n"
    )
    monkeypatch.syspath_prepend(str(root))

    class Capture:
        def __init__(self) -> None:
            self.lean: set[str] = set()
            self.direct: set[str] = set()

        @pytest.hookimpl(tryfirst=True)
        def pytest_runtestloop(self, session: pytest.Session) -> bool:
            self.lean = _lean.lean_tests(session.items, session.config, [self])
            self.direct = _lean.direct_tests(session.items, self.lean)
            return True

    def capture() -> Capture:
        arguments = ["-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception"]
        found = Capture()
        assert pytest.main([str(root / "tests" / "test_shop.py"), *arguments], [found]) == 0
        return found

    def lean_ids() -> set[str]:
        return {nodeid.split("::", 1)[1] for nodeid in capture().lean}

    def direct_ids(*plugins: str) -> set[str]:
        arguments = ["-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception", *plugins]
        found = Capture()
        assert pytest.main([str(root / "tests"), *arguments], [found]) == 0
        return {nodeid.split("::", 1)[1] for nodeid in found.direct}

    assert lean_ids() == {
        "test_price",
        "test_legacy_warns",
        "test_maybe_skips_where_unsupported",
        "test_check_stays_quiet_at_the_limit",
        "TestPrice::test_price_of_none",
        "test_label_returns_nothing_when_small[3]",
    }  # not `caplog`'s test, nor the one with a skip mark
    # called directly: module-level functions whose every argument is their own parameter,
    # where pytest alone calls test functions (anyio's plugin calls them too, when loaded)
    assert direct_ids() == set()
    assert direct_ids("-p", "no:anyio") == {
        "test_legacy_warns",
        "test_maybe_skips_where_unsupported",
        "test_check_stays_quiet_at_the_limit",
        "test_label_returns_nothing_when_small[3]",
        "test_parameter[1]",
    }  # not a fixture's test, a method, an indirect parameter, an autouse fixture's module
    # a hook of the project's own around a test's phases: every test takes the protocol
    (root / "tests" / "conftest.py").write_text("def pytest_runtest_setup(item):\n    pass\n")
    assert lean_ids() == set()


def test_an_import_time_mutant_tries_first_the_tests_its_line_names() -> None:
    from agentic_testgen.languages.python._mutation import named_by

    def passed(nodeid: str) -> TestResult:
        return TestResult(nodeid=nodeid, outcome=TestOutcome.PASSED, duration_s=0.001)

    tests = [
        passed("t.py::test_plural[box-boxes]"),
        passed("t.py::test_plural[quiz-quizzes]"),
        passed("t.py::test_singular[Quiz-Quiz]"),
        passed("t.py::test_quiz_rules"),  # names it only in its own name: not a row's test
    ]
    line = """    (r"(?i)(quiz)$", r'\\1zes'),"""
    assert named_by(line, tests) == [
        "t.py::test_plural[quiz-quizzes]",
        "t.py::test_singular[Quiz-Quiz]",
    ]
    assert named_by("LIMIT = 100", tests) == []  # no string, no word
    assert named_by('    "(?i)(m)an$",', tests) == []  # no word of three letters


def test_a_module_pytest_imports_itself_is_mutated_for_the_tests() -> None:
    # pytest imports `textwrap` when it starts, from the module's own file (it is first on the
    # path): the tests must still get the mutable module
    from agentic_testgen.datasets._loader import stdlib_source

    path = stdlib_source("textwrap")
    source = SourceUnit(path=str(path), code=path.read_text(), module_name="textwrap")
    tests = GeneratedTests(
        code=(
            "import textwrap\n\n\ndef test_dedent():\n"
            "    assert textwrap.dedent('  a\\n  b') == 'a\\nb'\n"
        ),
        filename="test_textwrap.py",
    )
    outcome = get_adapter(source.language).run(
        source, tests, get_sandbox("bwrap"), RunOptions(reruns=0, mutation=True)
    )
    assert outcome.tests[0].outcome == TestOutcome.PASSED
    assert outcome.mutation is not None
    assert any(m.status == MutantStatus.KILLED for m in outcome.mutation.mutants)


RULES_MODULE = """
import re

RULES = [
    (r"(?i)(quiz)$", r"\\\\1zes"),
    (r"(?i)(ox)$", r"\\\\1en"),
    (r"(?i)(s|x)$", r"\\\\1es"),
    (r"$", "s"),
]


def plural(word):
    for rule, replacement in RULES:
        if re.search(rule, word):
            return re.sub(rule, replacement, word)
    return word
"""

RULES_TESTS = """
import pytest

from rules import plural


@pytest.mark.parametrize(
    "word, expected",
    [("quiz", "quizzes"), ("ox", "oxen"), ("box", "boxes"), ("cat", "cats")],
)
def test_plural(word, expected):
    assert plural(word) == expected
"""


def measure(
    name: str, module: str, tests_code: str, options: RunOptions
) -> tuple[SourceUnit, GeneratedTests, RunOutcome]:
    """`name`.py and its tests evaluated with mutation testing in the real sandbox."""
    source = SourceUnit(path=f"{name}.py", code=module, module_name=name)
    tests = GeneratedTests(code=tests_code, filename=f"test_{name}.py")
    outcome = get_adapter("python").run(source, tests, get_sandbox("bwrap"), options)
    assert outcome.mutation is not None
    return source, tests, outcome


def rerun_mutants(
    source: SourceUnit, tests: GeneratedTests, outcome: RunOutcome, options: RunOptions
) -> MutationOutcome:
    """The mutants of `outcome` run again through `run_mutants`, the plan written at once."""
    from agentic_testgen.languages.python import PythonAdapter
    from agentic_testgen.languages.python._mutation import run_mutants

    lay_out = PythonAdapter()._lay_out
    return run_mutants(
        source, tests, outcome, get_sandbox("bwrap"), options=options, lay_out=lay_out
    )


def test_the_patterns_the_tests_compiled_are_ready_in_the_mutants_with_the_same_verdicts() -> None:
    options = RunOptions(reruns=0, test_timeout_s=5.0)
    source, tests, outcome = measure("rules", RULES_MODULE, RULES_TESTS, options)
    assert outcome.mutation is not None
    # every rule the tests tried was compiled where it was used; the instrumented run says so
    reported = {pattern for pattern, _ in outcome.compiled_patterns}
    assert {"(?i)(quiz)$", "(?i)(ox)$", "(?i)(s|x)$", "$"} <= reported
    # compiled in the harness before the children start, or in each child: the same verdicts
    cold = outcome.model_copy(update={"compiled_patterns": ()})
    again = rerun_mutants(source, tests, cold, options)
    warm = [(m.id, m.status) for m in outcome.mutation.mutants]
    assert warm == [(m.id, m.status) for m in again.mutants]
    assert {status for _, status in warm} >= {MutantStatus.KILLED, MutantStatus.SURVIVED}


def test_patterns_pass_from_the_tests_process_into_the_harness_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re

    import agentic_testgen.languages.python as python_language
    from agentic_testgen.languages.python._adapter import _patterns

    monkeypatch.syspath_prepend(str(Path(python_language.__file__).parent))
    import _session  # type: ignore[import-not-found]

    re.purge()
    re.search(r"(?i)(matr)ices$", "matrices")
    re.compile(r"ab+c", re.MULTILINE)
    reported = _session.compiled_patterns()
    assert [r"(?i)(matr)ices$", 0] in reported
    assert [r"ab+c", int(re.MULTILINE)] in reported
    # the host keeps well-formed entries only: what test code wrote there is not trusted
    kept = _patterns([*reported, ["x", "1"], [3, 0], "y", ["a", 1, 2]])
    assert (r"ab+c", int(re.MULTILINE)) in kept
    assert len(kept) == len(reported)
    assert _patterns({"x": 1}) == () and _patterns(None) == ()
    re.purge()
    _session.warm_patterns([[pattern, flags] for pattern, flags in kept] + [["(", 0], [1, 2]])
    assert (str, r"(?i)(matr)ices$", 0) in re._cache  # type: ignore[attr-defined]
    assert (str, r"ab+c", int(re.MULTILINE)) in re._cache  # type: ignore[attr-defined]
    re.purge()


PRICING = """
def price(quantity, unit):
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    return quantity * unit


def discount(total):
    return total - total // 10 if total >= 100 else total
"""

PRICING_TESTS = """
import time

from pricing import discount, price


def test_price_multiplies():
    assert price(2, 3) == 6


def test_price_is_wrong_about_one():
    assert price(1, 1) == 2  # fails on the module as it is: it kills nothing


def test_discount_above_a_hundred():
    assert discount(200) == 180
    assert discount(50) == 50


def test_slow_and_unrelated():
    time.sleep(1.5)  # the instrumented run lasts: the harness tries mutants before the plan
"""


def test_mutants_tried_before_the_plan_keep_only_the_kills_the_plan_confirms() -> None:
    options = RunOptions(reruns=0, test_timeout_s=5.0, parallel=2)
    # the instrumented run lasts 1.5 s: the harness tries mutants before the plan
    source, tests, outcome = measure("pricing", PRICING, PRICING_TESTS, options)
    assert outcome.mutation is not None
    failing = [t.nodeid for t in outcome.tests if t.outcome == TestOutcome.FAILED]
    assert [nodeid.split("::")[1] for nodeid in failing] == ["test_price_is_wrong_about_one"]
    # the plan written at once: nothing is tried early
    planned = rerun_mutants(source, tests, outcome, options)
    early = {m.id: m for m in outcome.mutation.mutants}
    for mutant in planned.mutants:
        assert early[mutant.id].status == mutant.status, (mutant.original, mutant.mutated)
    by_change = {(m.original, m.mutated): m for m in outcome.mutation.mutants}
    # the test that fails anyway names `price` and runs first early on: its "kill" is refused
    killed = by_change[("quantity * unit", "quantity / unit")]
    assert killed.status == MutantStatus.KILLED
    assert killed.killed_by is not None and killed.killed_by.endswith("test_price_multiplies")
    assert by_change[("quantity <= 0", "quantity < 0")].status == MutantStatus.SURVIVED


RATES = """
RATES = {"basic": 1, "plus": 2}
LIMIT = 10


def rate(name):
    return RATES[name]
"""

RATES_TESTS = {
    # reads the module's names through the module, re-executed in place: no second run needed
    "through the module": """
import rates


def test_rate():
    assert rates.rate("basic") == 1


def test_limit():
    assert rates.LIMIT == 10
""",
    # a value the test module made from the module when it ran: it must run again
    "derived when loaded": """
import rates

LIMIT_SEEN = rates.LIMIT + 0


def test_rate():
    assert rates.rate("basic") == 1


def test_limit_seen():
    assert LIMIT_SEEN == 10
""",
    # a constant imported by name: it must run again
    "imported by name": """
from rates import LIMIT, rate


def test_rate():
    assert rate("basic") == 1


def test_limit():
    assert LIMIT == 10
""",
}


@pytest.mark.parametrize("how", list(RATES_TESTS))
def test_an_import_time_mutant_reaches_what_the_tests_read_however_they_read_it(how: str) -> None:
    options = RunOptions(reruns=0, test_timeout_s=5.0)
    _, _, outcome = measure("rates", RATES, RATES_TESTS[how], options)
    assert outcome.mutation is not None
    by_change = {(m.original, m.mutated): m for m in outcome.mutation.mutants}
    assert by_change[("10", "11")].status == MutantStatus.KILLED
    assert by_change[("1", "2")].status == MutantStatus.KILLED
