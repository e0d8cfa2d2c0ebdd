import pytest
from grade import average_letter, letter


@pytest.mark.parametrize(("score", "grade"), [(95, "A"), (85, "B"), (75, "C"), (65, "D"), (10, "F")])
def test_letter_for_each_band(score, grade):
    assert letter(score) == grade


def test_average_letter():
    assert average_letter([90, 70]) == "B"
