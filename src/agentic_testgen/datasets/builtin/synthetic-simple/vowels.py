"""Count and strip vowels."""

VOWELS = set("aeiou")


def count_vowels(text):
    return sum(1 for ch in text.lower() if ch in VOWELS)


def strip_vowels(text):
    return "".join(ch for ch in text if ch.lower() not in VOWELS)
