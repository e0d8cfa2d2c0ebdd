"""Roman numerals from 1 to 3999."""

NUMERALS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def to_roman(number):
    if not 0 < number < 4000:
        raise ValueError("number must be between 1 and 3999")
    parts = []
    for value, symbol in NUMERALS:
        while number >= value:
            parts.append(symbol)
            number -= value
    return "".join(parts)


def from_roman(text):
    values = dict((symbol, value) for value, symbol in NUMERALS if len(symbol) == 1)
    total = 0
    for index, symbol in enumerate(text):
        value = values[symbol]
        if index + 1 < len(text) and values[text[index + 1]] > value:
            total += value
        else:
            total += value
    return total
