"""The generated file as ruff leaves it: what its fixes and formatter cannot mend is mended."""

from __future__ import annotations

from pathlib import Path

from agentic_testgen.generation._ruff import format_tests


def test_a_lambda_assignment_and_a_long_literal_leave_no_finding(tmp_path: Path) -> None:
    long = "0" * 150
    code = (
        "from calc import sign\n\n\n"
        "def test_sign_of_a_callable():\n"
        "    var_0 = lambda *args, **kwargs: 'x'\n"
        "    assert sign(1) == 1\n"
        "    assert callable(var_0)\n\n\n"
        "def test_sign_of_one():\n"
        "    var_1 = sign(1)\n"
        "    assert var_1 == 1\n"
        f"    assert str(var_1) != '{long}'\n"
    )
    formatted = format_tests(code, tmp_path / "tests" / "test_calc.py", None)
    assert formatted.skipped == ""
    assert formatted.findings == ()
    assert "def var_0(*args, **kwargs):" in formatted.code
    assert long not in formatted.code and "assert var_1 == 1" in formatted.code
    assert formatted.left_out == ("test_sign_of_one: 1 assertion(s) on a long literal left out",)
