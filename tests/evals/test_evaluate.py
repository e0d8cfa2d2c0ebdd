"""The Python API: evaluate test code given as strings, and the published result schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentic_testgen import evaluate_generated_tests
from agentic_testgen.config import Settings
from agentic_testgen.domain import EvalResult, TestOutcome
from agentic_testgen.errors import InputTooLargeError
from agentic_testgen.reports import result_json, result_schema

SOURCE = "def slugify(text):\n    return '-'.join(text.lower().split())\n"
TESTS = """
from slug import slugify


def test_slugify_joins_lowercase_words():
    assert slugify("Hello Big World") == "hello-big-world"


def test_slugify_of_empty_text_is_empty():
    assert slugify("") == ""
"""


def test_evaluate_generated_tests_guesses_the_module_from_the_imports(settings: Settings) -> None:
    result = evaluate_generated_tests(
        test_code=TESTS, source_code=SOURCE, language="python", settings=settings
    )
    assert isinstance(result, EvalResult)
    assert [test.outcome for test in result.tests] == [TestOutcome.PASSED] * 2
    assert result.source == "slug.py"
    assert result.metrics["coverage"].value == 1.0
    assert result.quality_level == "excellent"


def test_a_module_in_a_package_is_named_dotted_or_guessed_from_the_imports(
    settings: Settings,
) -> None:
    in_package = TESTS.replace("from slug import", "from pkg.slug import")
    for name in ("pkg.slug", None):
        result = evaluate_generated_tests(in_package, SOURCE, module_name=name, settings=settings)
        assert result.source == "pkg/slug.py"
        assert [test.outcome for test in result.tests] == [TestOutcome.PASSED] * 2
        assert result.metrics["coverage"].value == 1.0


def test_a_module_name_that_is_not_a_python_name_is_refused(settings: Settings) -> None:
    with pytest.raises(ValueError, match=r"'pkg/slug' is not a dotted Python name"):
        evaluate_generated_tests(TESTS, SOURCE, module_name="pkg/slug", settings=settings)


def test_tests_above_the_size_limit_are_refused_by_name(settings: Settings) -> None:
    small = settings.model_copy(
        update={"run": settings.run.model_copy(update={"max_source_mb": 0.0001})}
    )
    with pytest.raises(InputTooLargeError, match=r"test_slug\.py: test file is 0\.0 MB"):
        evaluate_generated_tests(TESTS + "#" * 100, SOURCE, settings=small)
    with pytest.raises(InputTooLargeError, match=r"slug\.py: source file is 0\.0 MB"):
        evaluate_generated_tests("", SOURCE * 3, module_name="slug", settings=small)


def test_evalrunner_is_exported() -> None:
    from agentic_testgen import EvalRunner
    from agentic_testgen.evals.runner import EvalRunner as Defined

    assert EvalRunner is Defined


def test_a_result_survives_a_round_trip_through_json(settings: Settings) -> None:
    result = evaluate_generated_tests(TESTS, SOURCE, module_name="slug", settings=settings)
    assert EvalResult.model_validate(json.loads(json.dumps(result_json(result)))) == result


def test_the_published_schema_matches_the_code() -> None:
    published = Path(__file__).resolve().parents[2] / "docs" / "eval-result.schema.json"
    assert json.loads(published.read_text()) == result_schema(), (
        "regenerate docs/eval-result.schema.json: make schema"
    )
