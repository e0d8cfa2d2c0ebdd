"""The coder evaluator: its set, the static reading of a proposal, and real coders on a module
(offline ones in the sandbox, the LLM coder against a local OpenAI-format server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentic_testgen.domain import SourceUnit
from agentic_testgen.evals.agents._coder import (
    DEFAULT_CODERS,
    ModuleRun,
    evaluate_coders,
    load_cases,
    propose,
    source_of,
)
from agentic_testgen.evals.agents._proposal import read_proposal
from agentic_testgen.evals.safety import SetError
from agentic_testgen.generation import Candidate, Plan
from agentic_testgen.generation.coders import CoderContext
from agentic_testgen.sandbox import get_sandbox
from tests.generation.fake_provider import fake_provider, openai_reply

CASES = {case.id: case for case in load_cases()}
PARSE_SIZE = CASES["parse_size"]

# a known proposal for `parse_size`, each test with what it gets wrong
PROPOSAL = """\
import pytest

from byte_sizes import parse_size


def test_plain_bytes():
    assert parse_size("512") == 512


@pytest.mark.parametrize("text, expected", [("2 KiB", 2048), ("1 MiB", 1048576)])
def test_binary_units(text, expected):
    assert parse_size(text) == expected


def test_wrong_expectation():  # fails when run
    assert parse_size("1 kB") == 1024


def test_math_is_never_imported():  # an unresolved name, so it fails too
    assert parse_size("1 GB") == math.pow(10, 9)


def test_another_function():  # passes, but never calls the target
    from byte_sizes import format_size

    assert format_size(1000) == "1 kB"


def test_asserts_a_tuple():  # always true: passes, but misuses assert
    assert (parse_size("1 kB") == 999, "decimal kilo")


def not_a_test():
    return parse_size("1")
"""
# by hand: six tests; parses 6, imports_resolve 5, framework_ok 5, calls_target 5, passes 4
# (plain, binary, another function, tuple); all five: plain and binary
HAND = {"parses": 6, "imports_resolve": 5, "framework_ok": 5, "calls_target": 5, "passes": 4,
        "all_five": 2}  # fmt: skip


def test_the_shipped_set_names_a_target_in_each_module() -> None:
    assert 5 <= len(CASES) <= 8
    assert any(case.module.startswith("planner/") for case in CASES.values())
    assert DEFAULT_CODERS == ("doctest", "crosshair", "pynguin", "ghostwriter")


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"id": "x", "module": "planner/slugs.py", "target": "nowhere"}',
         "sets/coder/cases.jsonl:2: target: no function nowhere in planner/slugs.py"),
        ('{"id": "x", "module": "planner/slugs.txt", "target": "slugify"}',
         "sets/coder/cases.jsonl:2: module: String should match pattern"),
        ('{"id": "x", "module": "planner/slugs.py", "target": "slugify", "extra": 1}',
         "sets/coder/cases.jsonl:2: extra: Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_a_broken_manifest_line_is_named_by_file_and_line(line: str, error: str) -> None:
    good = '{"id": "slugify", "module": "planner/slugs.py", "target": "slugify"}'
    with pytest.raises(SetError) as raised:
        load_cases(f"{good}\n{line}\n")
    assert str(raised.value).startswith(error)
    assert "\n" not in str(raised.value)


def test_the_static_checks_of_a_known_proposal_match_the_hand_counts() -> None:
    tests = {t.name: t for t in read_proposal(PROPOSAL, source_of(PARSE_SIZE), "parse_size")}
    assert list(tests) == [
        "test_plain_bytes", "test_binary_units", "test_wrong_expectation",
        "test_math_is_never_imported", "test_another_function", "test_asserts_a_tuple",
    ]  # fmt: skip
    assert tests["test_math_is_never_imported"].problems == ("math is never imported or defined",)
    assert tests["test_another_function"].problems == ("never names parse_size",)
    assert tests["test_asserts_a_tuple"].problems == ("asserts a tuple, which is always true",)
    for check in ("parses", "imports_resolve", "framework_ok", "calls_target"):
        assert sum(getattr(t, check) for t in tests.values()) == HAND[check], check


SOURCE = SourceUnit(path="shop.py", module_name="shop", code=(
    "class Cart:\n    def __init__(self):\n        self.items = []\n\n"
    "    def add(self, item):\n        self.items.append(item)\n        return len(self.items)\n"
))  # fmt: skip


@pytest.mark.parametrize(
    ("code", "problems"),
    [
        ("from shop import Cart\n\ndef test_a():\n    assert Cart().add(1) == 1\n", ()),
        # the class is made in a fixture: the test still names the method on it
        ("import pytest\nimport shop as s\n\n@pytest.fixture\ndef cart():\n    return s.Cart()\n\n"
         "def test_a(cart):\n    assert cart.add(1) == 1\n", ()),
        ("from shop import Basket\n\ndef test_a():\n    assert Basket().add(1) == 1\n",
         ("Basket: shop has no Basket", "never names Cart.add")),
        ("import shop\n\ndef test_a():\n    assert shop.Kart().add(1)\n",
         ("shop has no Kart", "never names Cart.add")),
        ("import nosuchpackage\nfrom shop import Cart\n\ndef test_a():\n"
         "    assert nosuchpackage.x(Cart().add(1))\n",
         ("nosuchpackage: imports nosuchpackage, which is not installed",)),
        ("from shop import Cart\n\nasync def test_a():\n    assert Cart().add(1)\n",
         ("an async test, which pytest does not run without a plugin",)),
        ("import pytest\nfrom shop import Cart\n\ndef test_a():\n    pytest.raises(TypeError)\n"
         "    Cart().add()\n", ("pytest.raises outside a with block",)),
        ("from shop import Cart\n\ndef test_a(cart_size):\n    assert Cart().add(1) == cart_size\n",
         ("parameter cart_size is no fixture",)),
        ("from shop import Cart\n\ndef test_a():\n    Cart().add(1)\n",
         ("checks nothing: no assertion",)),
        ("from shop import Cart\n\ndef test_a():\n    n = Cart().add(1)\n    assert n\n"
         "    return n\n",
         ("returns a value (pytest ignores it)",)),
        ("from shop import Cart\n\nclass TestCart:\n    def test_a(self):\n"
         "        self.assertEqual(Cart().add(1), 1)\n",
         ("test_a: self.assertEqual outside a unittest.TestCase",)),
        ("import unittest\nfrom shop import Cart\n\nclass TestCart(unittest.TestCase):\n"
         "    def test_a(self):\n        self.assertEqual(Cart().add(1), 1)\n", ()),
        ("from shop import Cart\n\nclass TestCart:\n    def __init__(self):\n        pass\n\n"
         "    def test_a(self):\n        assert Cart().add(1)\n",
         ("pytest does not collect a Test class with __init__",)),
        ("def test_a(:\n    pass\n", ("does not parse: invalid syntax (line 1)",)),
    ],
)  # fmt: skip
def test_each_static_check_says_what_it_found(code: str, problems: tuple[str, ...]) -> None:
    (test,) = read_proposal(code, SOURCE, "Cart.add")
    assert test.problems == problems


@pytest.mark.filterwarnings("ignore:assertion is always true:SyntaxWarning")  # the tuple, compiled
def test_offline_coders_and_the_llm_coder_on_one_module() -> None:
    lines: list[str] = []
    with fake_provider(openai_reply(f"Here they are:\n```python\n{PROPOSAL}```\n")) as server:
        report = evaluate_coders(
            ["doctest", "ghostwriter", "llm"], on_progress=lines.append, cases=[PARSE_SIZE],
            model="openai/m", base_url=f"{server.url}/v1",
        )  # fmt: skip
        (request,) = server.requests
    assert "parse_size" in request["body"]["messages"][-1]["content"]
    results = {result.name: result for result in report.results}
    assert list(results) == ["coder/doctest", "coder/ghostwriter", "coder/llm"]
    assert len(lines) == 3
    assert lines[2].startswith("coder/llm: parse_size: 6 tests, 2 pass all five")
    # the scripted model's proposal, run for real: the hand counts
    llm = results["coder/llm"]
    modules = llm.details["modules"]["parse_size"]
    assert {key: modules[key] for key in HAND} == HAND
    assert llm.metrics["passes"] == pytest.approx(4 / 6, abs=1e-4)
    assert llm.score == pytest.approx(2 / 6, abs=1e-4)
    assert modules["problems"]["test_wrong_expectation"] == [
        "run: failed: AssertionError: assert 1000 == 1024"
    ]
    # the docstring's examples: one test per example with an outcome, every one passing; the
    # two of format_size are not about the target
    doctest = results["coder/doctest"].details["modules"]["parse_size"]
    assert (doctest["tests"], doctest["passes"], doctest["calls_target"]) == (6, 6, 4)
    # Hypothesis' ghostwriter writes fuzz tests that assert nothing
    ghostwriter = results["coder/ghostwriter"]
    assert ghostwriter.metrics["framework_ok"] == 0.0
    assert all(
        "checks nothing: no assertion" in problems
        for problems in ghostwriter.details["modules"]["parse_size"]["problems"].values()
    )


def test_a_coder_that_is_not_installed_scores_zero_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ATG_PYNGUIN", str(tmp_path / "no-pynguin"))
    report = evaluate_coders(["pynguin", "nonsense"], cases=[PARSE_SIZE])
    pynguin, nonsense = report.results
    assert (pynguin.name, pynguin.score, pynguin.passed) == ("coder/pynguin", 0.0, False)
    assert "no-pynguin" in pynguin.details["reason"]
    assert nonsense.details["reason"].startswith("unknown coder 'nonsense'")


class _Crashing:
    @property
    def name(self) -> str:
        return "crashing"

    def generate(self, plan: Plan, context: CoderContext) -> Candidate:
        raise RuntimeError("the tool fell over\nwith a traceback")


def test_a_coder_that_crashes_proposes_nothing_and_says_why() -> None:
    run = propose(_Crashing(), PARSE_SIZE, get_sandbox("bwrap"))
    assert run == ModuleRun("parse_size", (), "RuntimeError: the tool fell over", run.seconds)
    assert run.share == 0.0
