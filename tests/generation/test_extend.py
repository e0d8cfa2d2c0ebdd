"""`--extend`: new tests join an existing file, which keeps its own text."""

from __future__ import annotations

from agentic_testgen.generation._extend import extend_file

EXISTING = (
    '"""Hand-written tests."""\n\n'
    "from intervals.parse import parse  # the parser\n\n\n"
    "def test_parse_single_number_gives_one_point_interval():\n"
    "    # a comment the team wrote\n"
    "    assert parse('3') == (3, 3)\n"
)


def test_new_tests_are_appended_and_new_names_join_the_existing_import() -> None:
    new = (
        "import pytest\n\nfrom intervals.parse import parse, width\n\n\n"
        "def test_width_2_1_raises_value_error():\n"
        "    with pytest.raises(ValueError):\n        width(2, 1)\n"
    )
    assert extend_file(EXISTING, new) == (
        '"""Hand-written tests."""\n\n'
        "from intervals.parse import parse, width\n"
        "import pytest\n\n\n"
        "def test_parse_single_number_gives_one_point_interval():\n"
        "    # a comment the team wrote\n"
        "    assert parse('3') == (3, 3)\n\n\n"
        "def test_width_2_1_raises_value_error():\n"
        "    with pytest.raises(ValueError):\n        width(2, 1)\n"
    )


def test_a_taken_name_is_renamed_and_a_test_already_there_is_left_out() -> None:
    new = (
        "from intervals.parse import parse\n\n\n"
        "def test_again():\n    assert parse('3') == (3, 3)\n\n\n"
        "def test_parse_single_number_gives_one_point_interval():\n"
        "    assert parse('4') == (4, 4)\n"
    )
    extended = extend_file(EXISTING, new)
    assert extended.startswith(EXISTING)
    assert extended.removeprefix(EXISTING) == (
        "\n\ndef test_parse_single_number_gives_one_point_interval_also():\n"
        "    assert parse('4') == (4, 4)\n"
    )
