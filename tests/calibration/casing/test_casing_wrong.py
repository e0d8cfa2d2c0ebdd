"""Tests for casing that expect acronyms split per letter and hard cuts."""

from casing import to_camel, to_snake, truncate


def test_snake_from_camel() -> None:
    assert to_snake("helloWorld") == "hello_world"


def test_acronyms_are_split_per_letter() -> None:
    assert to_snake("parseHTTP") == "parse_h_t_t_p"


def test_camel_capitalises_the_first_word() -> None:
    assert to_camel("hello_world") == "HelloWorld"


def test_truncate_cuts_mid_word() -> None:
    assert truncate("hello wonderful world", 15) == "hello wonder..."
