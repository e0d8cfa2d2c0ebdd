"""The file as written is measured; a `pytest.raises` of a stdlib exception is found by running."""

from __future__ import annotations

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation._assemble import PinnedCrash
from agentic_testgen.generation._finish import finish, pinned_crashes
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import get_sandbox

CODEC = SourceUnit(
    path="codec.py",
    module_name="codec",
    code=(
        "import json\n\n\ndef load(text):\n    return json.loads(text)\n\n\n"
        "def positive(x):\n    if x <= 0:\n        raise ValueError('not positive')\n"
        "    return x\n"
    ),
)
OPTIONS = RunOptions(reruns=1, test_timeout_s=5.0, mutation=False)
TESTS = (
    "import pytest\nfrom codec import load, positive\n\n"
    "def test_load_0():\n    with pytest.raises(ValueError):\n        load('{')\n\n"
    "def test_positive_0():\n    with pytest.raises(ValueError):\n        positive(0)\n"
)


def test_only_the_exception_raised_inside_the_standard_library_is_pinned() -> None:
    pinned = pinned_crashes(CODEC, TESTS, get_sandbox("bwrap"), OPTIONS)
    assert pinned == {"test_load_0": PinnedCrash("JSONDecodeError", "json.decoder")}


def test_the_assembled_file_is_run_and_marks_the_pinned_crash() -> None:
    assembled, outcome = finish(CODEC, TESTS, get_sandbox("bwrap"), OPTIONS)
    assert assembled.for_review == ("test_load_text_raises_value_error",)
    assert "# atg: review — pins JSONDecodeError raised in json.decoder\n" in assembled.code
    assert sorted(t.nodeid.partition("::")[2] for t in outcome.tests) == [
        "test_load_text_raises_value_error",
        "test_positive_0_raises_value_error",
    ]
    assert all(t.outcome.value == "passed" for t in outcome.tests)
