"""The critic on a file that fails to import (it loses only what cannot run), and on tests
whose run cannot be taken at its word: a test that tampers with the harness, a flaky one."""

from __future__ import annotations

import ast

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation import Budget, TestFile, generate_tests, review
from agentic_testgen.generation.coders import LLMCoder
from agentic_testgen.generation.llm import ChatClient, ModelSpec
from agentic_testgen.sandbox import get_sandbox
from tests.generation.fake_provider import fake_provider, openai_reply
from tests.generation.test_generate import MODULE, OPTIONS

# a ghostwriter-shaped file that uses functools at module level and never imports it
FORGETS_FUNCTOOLS = (
    "import calc\n\n"
    "positive = functools.partial(calc.sign)\n\n"
    "def test_sign_of_a_positive_number_is_one():\n    assert positive(3) == 1\n"
)
DOUBLE = SourceUnit(path="calc.py", module_name="calc", code="def double(x):\n    return 2 * x\n")
BROKEN_HELPER = (
    "from calc import sign\n\n"
    "LIMIT = undefined_limit()\n\n"
    "def test_sign_of_a_negative_number_is_minus_one():\n    assert sign(-2) == -1\n\n"
    "def test_sign_below_the_limit():\n    assert sign(LIMIT) == 1\n"
)


def test_a_standard_library_module_used_but_never_imported_is_imported() -> None:
    tests = TestFile()
    tests.add(FORGETS_FUNCTOOLS)
    tests.import_missing(MODULE)
    assert "import functools" in tests.imports
    verdict = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.kept == ("test_sign_of_a_positive_number_is_one",)
    assert verdict.removed == ()


def test_a_name_the_file_binds_itself_is_not_imported() -> None:
    tests = TestFile()
    tests.add("def test_local():\n    json = {'a': 1}\n    assert json['a'] == 1\n")
    tests.import_missing(MODULE)
    assert "import json" not in tests.imports


def test_a_helper_that_fails_at_import_loses_only_the_tests_that_need_it() -> None:
    tests = TestFile()
    tests.add(BROKEN_HELPER)
    verdict = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.kept == ("test_sign_of_a_negative_number_is_minus_one",)
    assert verdict.dropped["test_sign_below_the_limit"].startswith("failed: NameError")
    assert verdict.removed == (
        "`LIMIT = undefined_limit()`: NameError: name 'undefined_limit' is not defined",
    )


def test_a_test_whose_decorator_fails_at_import_is_dropped_alone() -> None:
    tests = TestFile()
    tests.add(
        "import pytest\nfrom calc import sign\n\n"
        "def test_zero():\n    assert sign(0) == 0\n\n"
        "@pytest.mark.parametrize('x', missing_cases())\n"
        "def test_many(x):\n    assert sign(x) == 1\n"
    )
    verdict = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.kept == ("test_zero",)
    assert verdict.dropped["test_many"].startswith("fails when the file is imported: NameError")
    assert "test_many" not in tests.units


def test_every_statement_is_found_from_a_line_of_the_rendered_file() -> None:
    tests = TestFile()
    tests.add(BROKEN_HELPER)
    tests.add("import os\n\ndef test_two():\n    x = 1\n    assert os.sep and x\n")
    rendered = tests.render().splitlines()
    for section in ("imports", "helpers", "units"):
        for key, node in getattr(tests, section).items():
            first = ast.unparse(node).splitlines()[0]
            line = rendered.index(first) + 1
            assert tests.statement_at(line) == (section, key)
            assert tests.statement_at(line + ast.unparse(node).count("\n")) == (section, key)


def test_an_import_failure_is_reported_as_the_coders_warning() -> None:
    reply = f"```python\n{BROKEN_HELPER}```"
    with fake_provider(openai_reply(reply)) as server:
        coder = LLMCoder(ChatClient(ModelSpec.parse("openai/gpt-4o-mini"),
                                    base_url=f"{server.url}/v1", api_key="k"))  # fmt: skip
        outcome = generate_tests(MODULE, [coder], get_sandbox("bwrap"), options=OPTIONS,
                                 budget=Budget(max_iterations=1, max_seconds=60))  # fmt: skip
    assert outcome.kept_tests == 1
    assert [str(failure) for failure in outcome.failures] == [
        "llm:openai/gpt-4o-mini: removed on import error: `LIMIT = undefined_limit()`: "
        "NameError: name 'undefined_limit' is not defined"
    ]


def test_a_test_that_switches_tracing_off_does_not_cost_the_tests_after_it() -> None:
    tests = TestFile()
    tests.add(
        "import sys\nfrom calc import double\n\n"
        # out of sight of the policy's syntax check: the integrity guard catches it in the run
        "def test_untraced():\n    getattr(sys, 'settrace')(None)\n    assert double(2) == 4\n\n"
        "def test_good():\n    assert double(3) == 6\n"
    )
    verdict = review(DOUBLE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.kept == ("test_good",)
    assert verdict.dropped["test_untraced"].startswith("tampers with the harness: sys.settrace")
    assert "test_untraced" not in verdict.code


def test_a_test_that_fails_only_in_the_measured_run_is_flaky_not_failing() -> None:
    tests = TestFile()
    tests.add(
        "import sys\nfrom calc import double\n\n"
        # the first run traces for coverage, the reruns do not
        "def test_only_unmeasured():\n    assert double(2) == 4\n"
        "    assert sys.gettrace() is None\n\n"
        "def test_good():\n    assert double(3) == 6\n"
    )
    verdict = review(DOUBLE, tests, [], get_sandbox("bwrap"), OPTIONS)
    assert verdict.kept == ("test_good",)
    assert verdict.dropped["test_only_unmeasured"] == "flaky: its outcome changed across reruns"
