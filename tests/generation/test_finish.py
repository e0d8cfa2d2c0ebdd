"""The file as written is measured; a `pytest.raises` of a stdlib exception is found by running."""

from __future__ import annotations

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation._assemble import PinnedCrash
from agentic_testgen.generation._finish import drop_overlong, finish, pinned_crashes
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


def test_only_what_no_formatter_can_shorten_is_left_out() -> None:
    long = "x" * 120
    code = (
        "from calc import sign\n\n\n"
        f"def test_sign_of_text():\n    value = sign(1)\n    assert value == 1\n"
        f"    assert str(value) != '{long}'\n\n\n"
        f"def test_only_long():\n    assert str(sign(2)) != '{long}'\n\n\n"
        f"def test_long_call():\n    assert sign(len('{long}')) == 1\n"
    )
    rows = {i for i, line in enumerate(code.splitlines(), 1) if len(line) > 100}
    trimmed, notes = drop_overlong(code, rows)
    assert "def test_sign_of_text():\n    value = sign(1)\n    assert value == 1\n" in trimmed
    assert long not in trimmed
    assert "test_only_long" not in trimmed and "test_long_call" not in trimmed
    assert notes == [
        "test_long_call left out: a line longer than the line length",
        "test_only_long left out: a line longer than the line length",
        "test_sign_of_text: 1 assertion(s) on a long literal left out",
    ]
