"""Strong tests for casing: every style in and out, small words, truncation rules."""

import pytest
from casing import to_camel, to_kebab, to_snake, to_title, truncate, words


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("parseHTTPResponse", ["parse", "http", "response"]),
        ("snake_case_name", ["snake", "case", "name"]),
        ("kebab-case", ["kebab", "case"]),
        ("Two  Words", ["two", "words"]),
        ("version2Update", ["version2", "update"]),
        ("__x__", ["x"]),
        ("", []),
    ],
)
def test_words_splits_every_style(identifier: str, expected: list[str]) -> None:
    assert words(identifier) == expected


def test_styles_convert_into_each_other() -> None:
    assert to_snake("parseHTTPResponse") == "parse_http_response"
    assert to_kebab("parse_http_response") == "parse-http-response"
    assert to_camel("parse-http-response") == "parseHttpResponse"
    assert to_camel("") == ""
    assert to_camel("single") == "single"


def test_title_keeps_small_words_lower_except_the_first() -> None:
    assert to_title("the_lord_of_the_rings") == "The Lord of the Rings"
    assert to_title("a-tale", small=frozenset({"tale"})) == "A tale"
    assert to_title("") == ""


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("hello wonderful world", 15, "hello..."),
        ("abcdefghijklmnop", 8, "abcde..."),
        ("a bcdefghijklmnop", 8, "a bcd..."),
        ("one two three four", 12, "one two..."),
    ],
)
def test_truncate_cuts_at_a_word_near_the_end(text: str, width: int, expected: str) -> None:
    assert truncate(text, width) == expected
    assert len(truncate(text, width)) <= width


def test_truncate_with_a_custom_ellipsis() -> None:
    assert truncate("abcdef", 4, "~") == "abc~"
    assert truncate("abc", 3, "...") == "abc"


def test_truncate_refuses_a_width_below_the_ellipsis() -> None:
    with pytest.raises(ValueError, match="smaller than the ellipsis"):
        truncate("abcdef", 2)
