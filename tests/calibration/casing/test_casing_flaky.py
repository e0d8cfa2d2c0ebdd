"""Tests for casing on randomly generated identifiers."""

import random
import string

from casing import to_camel, to_snake, truncate


def random_word() -> str:
    return "".join(random.choice(string.ascii_lowercase) for _ in range(random.randint(1, 6)))


def test_snake_round_trip_of_random_words() -> None:
    parts = [random_word() for _ in range(3)]
    assert to_snake(to_camel("_".join(parts))) == "_".join(parts)


def test_truncate_random_text_keeps_the_ellipsis() -> None:
    text = " ".join(random_word() for _ in range(4))
    assert truncate(text, 12).endswith("...")
