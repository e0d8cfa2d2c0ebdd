"""Roman numerals: to and from integers 1..3999, strictly validated."""

from __future__ import annotations

_VALUES = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]  # fmt: skip
_SYMBOLS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


class RomanError(ValueError):
    """Not a Roman numeral in canonical form, or a number out of range."""


def to_roman(number: int) -> str:
    if not isinstance(number, int) or isinstance(number, bool):
        raise TypeError("an int is required")
    if not 0 < number < 4000:
        raise RomanError(f"{number} is out of range 1..3999")
    parts = []
    for value, symbol in _VALUES:
        count, number = divmod(number, value)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(numeral: str) -> int:
    text = numeral.strip().upper()
    if not text or any(char not in _SYMBOLS for char in text):
        raise RomanError(f"{numeral!r} is not a Roman numeral")
    total = 0
    for index, char in enumerate(text):
        value = _SYMBOLS[char]
        following = _SYMBOLS[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    if to_roman(total) != text:
        raise RomanError(f"{numeral!r} is not in canonical form")
    return total
