import pytest
from temperature import celsius_to_fahrenheit, describe, fahrenheit_to_celsius


def test_boiling_point_converts_both_ways():
    assert celsius_to_fahrenheit(100) == 212
    assert fahrenheit_to_celsius(212) == 100


def test_below_absolute_zero_is_rejected():
    with pytest.raises(ValueError):
        celsius_to_fahrenheit(-300)


@pytest.mark.parametrize(("celsius", "word"), [(-1, "freezing"), (0, "freezing"), (20, "mild")])
def test_describe_names_the_weather(celsius, word):
    assert describe(celsius) == word
