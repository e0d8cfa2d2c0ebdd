"""Tests for casing that print results instead of checking them."""

from casing import to_camel, to_kebab, to_snake, to_title, truncate


def test_conversions() -> None:
    for name in ["parseHTTPResponse", "a_b", "x-y"]:
        print(to_snake(name), to_kebab(name), to_camel(name), to_title(name))


def test_truncate() -> None:
    print(truncate("hello wonderful world", 15))
    print(truncate("short", 10))
