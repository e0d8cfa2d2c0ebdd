"""Convert temperatures between scales."""

ABSOLUTE_ZERO_C = -273.15


def celsius_to_fahrenheit(celsius):
    if celsius < ABSOLUTE_ZERO_C:
        raise ValueError("below absolute zero")
    return celsius * 9 / 5 + 32


def fahrenheit_to_celsius(fahrenheit):
    celsius = (fahrenheit - 32) * 5 / 9
    if celsius < ABSOLUTE_ZERO_C:
        raise ValueError("below absolute zero")
    return celsius


def describe(celsius):
    if celsius <= 0:
        return "freezing"
    if celsius < 25:
        return "mild"
    return "hot"
