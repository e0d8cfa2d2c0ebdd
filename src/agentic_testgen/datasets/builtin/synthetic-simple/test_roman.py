import pytest
from roman import from_roman, to_roman


@pytest.mark.parametrize(("number", "text"), [(1, "I"), (4, "IV"), (9, "IX"), (1994, "MCMXCIV")])
def test_to_roman(number, text):
    assert to_roman(number) == text


def test_round_trip_of_every_number():
    assert all(from_roman(to_roman(n)) == n for n in range(1, 4000))


@pytest.mark.parametrize("number", [0, 4000])
def test_out_of_range_is_rejected(number):
    with pytest.raises(ValueError):
        to_roman(number)
