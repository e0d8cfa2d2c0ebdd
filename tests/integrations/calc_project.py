"""A one-module project and a strong and a weak test file for it, shared by the tests that run
the pre-commit hook and the GitHub Action's step."""

MODULE = "def double(x):\n    if x < 0:\n        return 0\n    return 2 * x\n"
STRONG = (
    "from calc import double\n\n\n"
    "def test_double_of_two_is_four():\n    assert double(2) == 4\n\n\n"
    "def test_double_of_a_negative_number_is_zero():\n    assert double(-1) == 0\n"
)
WEAK = "from calc import double\n\n\ndef test_double_runs():\n    double(2)\n"
