"""The kept tests made into a file to commit: each mess the generators leave, cleaned exactly."""

from __future__ import annotations

import ast

import pytest

from agentic_testgen.generation._assemble import (
    PinnedCrash,
    assemble,
    checks_something,
    stdlib_module,
)
from agentic_testgen.generation._finish import remove_tests
from agentic_testgen.generation._imports import ModuleNames

SOURCE = """
SEPARATOR = "-"
POWERS = [10, 100]


def parse(text):
    if "-" in text:
        low, high = text.split("-", 1)
        return int(low), int(high)
    return int(text), int(text)


def width(low, high):
    if high < low:
        raise ValueError("empty")
    return high - low + 1


def is_point(low, high):
    return low == high


def load(text):
    import json

    return json.loads(text)
"""
MODULE = ModuleNames.of("intervals.parse", SOURCE)


def test_the_module_reached_three_ways_is_imported_one_way() -> None:
    messy = (
        "import intervals.parse\nimport intervals.parse as module_0\n"
        "from intervals import parse\nfrom intervals.parse import width\n\n"
        "def test_a():\n    assert intervals.parse.is_point(1, 1)\n\n"
        "def test_b():\n    assert module_0.width(1, 2) == 2\n\n"
        "def test_c():\n    assert parse.parse('3') == (3, 3)\n"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.code == (
        "from intervals.parse import is_point, parse, width\n\n\n"
        "def test_parse_3_returns_3_3():\n    assert parse('3') == (3, 3)\n\n\n"
        "def test_width_1_2_returns_2():\n    assert width(1, 2) == 2\n\n\n"
        "def test_is_point_1_1_is_true():\n    assert is_point(1, 1)\n"
    )


def test_a_file_that_needs_the_module_object_imports_it_from_its_package() -> None:
    messy = (
        "import intervals.parse as module_0\n\n"
        "def test_patched_separator_keeps_width(monkeypatch):\n"
        "    monkeypatch.setattr(module_0, 'SEPARATOR', '+')\n"
        "    assert module_0.width(1, 2) == 2\n"
    )
    assert assemble(messy, MODULE).code == (
        "from intervals import parse\n\n\n"
        "def test_patched_separator_keeps_width(monkeypatch):\n"
        "    monkeypatch.setattr(parse, 'SEPARATOR', '+')\n"
        "    assert parse.width(1, 2) == 2\n"
    )


def test_pynguins_module_lookup_through_sys_modules_becomes_the_one_import() -> None:
    messy = (
        "import pytest\nimport sys\nimport intervals.parse\n\n"
        "parse_ = sys.modules['intervals.parse']\n\n"
        "def test_7():\n    var_0 = 1\n    var_1 = parse_.clamp(value=var_0)\n"
        "    var_2 = parse_.width(low=var_0, high=2)\n    assert var_2 == 2\n"
    )
    assert assemble(messy, MODULE).code == (
        "from intervals.parse import clamp, width\n\n\n"
        "def test_width_high_2_returns_2():\n    var_0 = 1\n    var_1 = clamp(value=var_0)\n"
        "    var_2 = width(low=var_0, high=2)\n    assert var_2 == 2\n"
    )


def test_imports_no_kept_test_uses_are_removed() -> None:
    messy = (
        "import os\nimport json\nimport pytest\n"
        "from intervals.parse import parse, width, is_point\n\n"
        "def test_parse_single_number_gives_one_point_interval():\n"
        "    assert parse('1') == (1, 1)\n"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.code.splitlines()[0] == "from intervals.parse import parse"
    assert "import" not in "".join(assembled.code.splitlines()[1:])
    assert set(assembled.removed_imports) == {"os", "json", "pytest"}


def test_comparisons_with_none_and_booleans_keep_their_meaning() -> None:
    messy = (
        "from intervals.parse import is_point, parse\n\n"
        "def test_comparisons_read_as_python():\n"
        "    assert is_point(1, 1) == True\n    assert (1 < 2) == True\n"
        "    assert (1 > 2) == False\n    assert parse('1') != None\n"
        "    assert None == is_point(1, 1) or True\n"
    )
    body = assemble(messy, MODULE).code.split("():\n")[1]
    assert body == (
        "    assert is_point(1, 1) is True\n    assert 1 < 2\n    assert not 1 > 2\n"
        "    assert parse('1') is not None\n    assert is_point(1, 1) is None or True\n"
    )


def test_numbered_names_become_names_of_the_behaviour_checked() -> None:
    messy = (
        "import pytest\nfrom intervals.parse import parse, width\n\n"
        "def test_21():\n    assert width(0, 0) == 1\n\n"
        "def test_width_4():\n    with pytest.raises(ValueError):\n        width(2, 1)\n\n"
        "def test_case_0():\n    assert parse('') is None\n\n"
        "def test_parse_single_number_gives_one_point_interval():\n"
        "    assert parse('7') == (7, 7)\n"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.names == {
        "test_21": "test_width_0_0_returns_1",
        "test_width_4": "test_width_2_1_raises_value_error",
        "test_case_0": "test_parse_empty_string_is_none",
        "test_parse_single_number_gives_one_point_interval": (
            "test_parse_single_number_gives_one_point_interval"
        ),
    }


def test_a_name_follows_the_first_check_of_the_test() -> None:
    messy = (
        "import pytest\nfrom intervals.parse import parse, width\n\n"
        "def test_case_0():\n    var_0 = width(1, 2)\n    assert var_0 == 2\n"
        "    with pytest.raises(ValueError):\n        parse('x')\n\n"
        "def test_case_1():\n    assert width(0, 0) == 1.0000001\n"
    )
    assert list(assemble(messy, MODULE).names.values()) == [
        "test_width_1_2_returns_2",
        "test_width_0_0_returns_1",
    ]


def test_tests_are_grouped_by_function_in_the_modules_order() -> None:
    messy = (
        "from intervals.parse import is_point, parse, width\n\n"
        "def test_1():\n    assert is_point(2, 2)\n\n"
        "def test_2():\n    assert width(1, 3) == 3\n\n"
        "def test_3():\n    assert parse('5') == (5, 5)\n\n"
        "def test_4():\n    assert width(3, 3) == 1 and True\n"
    )
    tree = ast.parse(assemble(messy, MODULE).code)
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert names == [
        "test_parse_5_returns_5_5",
        "test_width_1_3_returns_3",
        "test_width_3_3",
        "test_is_point_2_2_is_true",
    ]


def test_cases_differing_only_in_constants_become_one_parametrized_test() -> None:
    messy = (
        "from intervals.parse import parse\n\n"
        "def test_parse_0():\n    assert parse('0') == (0, 0)\n\n"
        "def test_parse_1():\n    assert parse('1-4') == (1, 4)\n\n"
        "def test_parse_2():\n    assert parse('1-4') == (1, 4)\n"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.code == (
        "from intervals.parse import parse\nimport pytest\n\n\n"
        "@pytest.mark.parametrize(('text', 'expected'), [('0', (0, 0)), ('1-4', (1, 4)), "
        "('1-4', (1, 4))])\n"
        "def test_parse_returns_expected(text, expected):\n"
        "    assert parse(text) == expected\n"
    )
    assert set(assembled.names.values()) == {"test_parse_returns_expected"}


def test_a_test_without_an_assertion_is_dropped() -> None:
    messy = (
        "from hypothesis import given, strategies as st\n"
        "from intervals.parse import width\n\n"
        "@given(low=st.integers(), high=st.integers())\n"
        "def test_fuzz_width(low, high):\n    width(low=low, high=high)\n\n"
        "def test_width_of_one_point_is_one():\n    assert width(3, 3) == 1\n"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.dropped == {"test_fuzz_width": "checks nothing: no assertion"}
    assert "hypothesis" not in assembled.code
    assert "test_width_of_one_point_is_one" in assembled.code


CHECKS = {
    "assert": "assert width(1, 2) == 2",
    "assert_with_message": "assert width(1, 2) == 2, 'two points'",
    "raises_entered": "with pytest.raises(ValueError):\n    width(2, 1)",
    "raises_entered_with_others": "with open(p) as f, pytest.raises(ValueError) as info:\n    f()",
    "raises_given_the_callable": "pytest.raises(ValueError, width, 2, 1)",
    "warns_given_the_callable": "pytest.warns(UserWarning, warn)",
    "deprecated_call_given_the_callable": "pytest.deprecated_call(old)",
    "fail": "if width(1, 2) != 2:\n    pytest.fail('width')",
    "unittest_assert": "self.assertEqual(width(1, 2), 2)",
    "mock_assert": "logger.assert_called_once_with('x')",
    "checking_helper": "check_width(1, 2)",
    "assert_false_after_a_call_that_should_raise": (
        "try:\n    width(2, 1)\n    assert False\nexcept ValueError:\n    pass"
    ),
    "assert_in_the_handler": (
        "try:\n    width(2, 1)\nexcept AssertionError as error:\n    assert 'empty' in str(error)"
    ),
    "swallowing_handler_that_raises_again": (
        "try:\n    assert width(1, 2) == 2\nexcept AssertionError:\n    log()\n    raise"
    ),
    "raises_inside_except_exception": (
        "try:\n    with pytest.raises(ValueError):\n        width(2, 1)\n"
        "except Exception:\n    pass"
    ),
    "assert_in_else": (
        "try:\n    n = width(1, 2)\nexcept AssertionError:\n    pass\nelse:\n    assert n == 2"
    ),
}
NOT_CHECKS = {
    "call_only": "width(1, 2)",
    "comparison_without_assert": "width(1, 2) == 2",
    "raises_not_entered": "pytest.raises(ValueError)\nwidth(2, 1)",
    "raises_not_entered_with_match": "pytest.raises(ValueError, match='empty')\nwidth(2, 1)",
    "warns_not_entered": "pytest.warns(UserWarning)\nwarn()",
    "assert_of_a_tuple": "assert (width(1, 2) == 2, 'two points')",
    "assert_of_a_true_constant": "assert 'width'",
    "assert_swallowed": (
        "try:\n    assert width(1, 2) == 3\nexcept AssertionError:\n    print('wrong')"
    ),
    "assert_swallowed_by_except_exception": (
        "try:\n    assert width(1, 2) == 3\nexcept (KeyError, Exception):\n    pass"
    ),
    "raises_swallowed_by_a_bare_except": (
        "try:\n    with pytest.raises(ValueError):\n        width(1, 2)\nexcept:\n    pass"
    ),
}


def _test_of(body: str) -> ast.FunctionDef:
    indented = "".join(f"    {line}\n" for line in body.splitlines())
    function = ast.parse(f"def test_x():\n{indented}").body[0]
    assert isinstance(function, ast.FunctionDef)
    return function


@pytest.mark.parametrize("body", CHECKS.values(), ids=list(CHECKS))
def test_what_can_fail_is_a_check(body: str) -> None:
    assert checks_something(_test_of(body), {"check_width"})


@pytest.mark.parametrize("body", NOT_CHECKS.values(), ids=list(NOT_CHECKS))
def test_what_can_never_fail_is_no_check(body: str) -> None:
    assert not checks_something(_test_of(body), {"check_width"})


def test_repeated_constant_asserts_collapse_into_one_test() -> None:
    constants = "    assert module_0.SEPARATOR == '-'\n" * 3
    messy = (
        "import intervals.parse as module_0\n\n"
        f"def test_case_0():\n    assert module_0.width(1, 2) == 2\n{constants}\n"
        f"def test_case_1():\n    var_0 = module_0.is_point(1, 2)\n"
        f"    assert var_0 is False\n{constants}\n"
        f"def test_case_2():\n    var_0 = module_0.parse('4')\n{constants}"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.code.count("SEPARATOR == '-'") == 1
    assert assembled.code.endswith(
        "def test_module_constants_keep_their_values():\n    assert SEPARATOR == '-'\n"
    )
    assert assembled.dropped == {"test_case_2": "checks nothing: no assertion"}


def test_a_lookup_table_checked_after_every_call_is_checked_once() -> None:
    table = "    assert module_0.POWERS == [10, 100]\n"
    messy = (
        "import intervals.parse as module_0\n\n"
        f"def test_case_0():\n    assert module_0.width(1, 2) == 2\n{table}\n"
        f"def test_case_1():\n    assert module_0.is_point(1, 2) is False\n{table}"
    )
    assembled = assemble(messy, MODULE)
    assert assembled.code.count("POWERS == [10, 100]") == 1
    assert "def test_module_constants_keep_their_values():\n    assert POWERS" in assembled.code


def test_statements_that_do_nothing_are_removed_but_a_docstring_stays() -> None:
    messy = (
        "from intervals.parse import width\n\n"
        "def test_width_of_one_point_is_one():\n    'One point is one wide.'\n"
        "    lambda *args, **kwargs: True\n    ...\n    assert width(3, 3) == 1\n"
    )
    assert assemble(messy, MODULE).code.split("\n\n\n")[1] == (
        'def test_width_of_one_point_is_one():\n    """One point is one wide."""\n'
        "    assert width(3, 3) == 1\n"
    )


def test_an_assert_repeated_after_a_rebinding_is_kept() -> None:
    messy = (
        "from intervals.parse import width\n\n"
        "def test_width_of_a_pair_of_points():\n    var_0 = 2\n    assert var_0 == 2\n"
        "    assert var_0 == 2\n    var_0 = width(1, 2)\n    assert var_0 == 2\n"
    )
    assert assemble(messy, MODULE).code.count("assert var_0 == 2") == 2


def test_a_test_pinning_a_stdlib_exception_is_marked_for_review() -> None:
    messy = (
        "import pytest\nfrom intervals.parse import load\n\n"
        "def test_load_0():\n    with pytest.raises(ValueError):\n        load('{')\n"
    )
    crash = PinnedCrash("JSONDecodeError", "json.decoder")
    assembled = assemble(messy, MODULE, pinned={"test_load_0": crash})
    assert assembled.for_review == ("test_load_text_raises_value_error",)
    assert (
        "# atg: review — pins JSONDecodeError raised in json.decoder\n"
        "def test_load_text_raises_value_error():\n"
    ) in assembled.code


def test_the_standard_library_is_told_from_installed_packages() -> None:
    assert stdlib_module("/usr/lib/python3.11/json/decoder.py") == "json.decoder"
    assert stdlib_module("/opt/py/lib/python3.12/email/__init__.py") == "email"
    assert stdlib_module("/v/lib/python3.11/site-packages/slugify/slugify.py") is None
    assert stdlib_module("/home/me/project/src/intervals/parse.py") is None


def test_removing_a_test_keeps_the_rest_of_the_text() -> None:
    code = (
        "import pytest\n\n\ndef test_keep():\n    assert True\n\n\n"
        "# atg: review — pins X raised in y\n@pytest.mark.slow\ndef test_drop():\n"
        "    assert False\n\n\ndef test_last():\n    assert 1\n"
    )
    assert remove_tests(code, {"test_drop"}) == (
        "import pytest\n\n\ndef test_keep():\n    assert True\n\n\ndef test_last():\n    assert 1\n"
    )
