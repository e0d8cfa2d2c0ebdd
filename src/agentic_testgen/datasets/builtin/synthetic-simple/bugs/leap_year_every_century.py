"""Gregorian leap years."""


def is_leap(year):
    if year < 1:
        raise ValueError("year must be positive")
    if year % 400 == 0:
        return True
    if year % 100 == 0:
        return True
    return year % 4 == 0


def days_in_february(year):
    return 29 if is_leap(year) else 28
