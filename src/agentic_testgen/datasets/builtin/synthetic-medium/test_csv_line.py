import pytest
from csv_line import parse


def test_plain_fields_split_on_commas():
    assert parse("a,b,c") == ["a", "b", "c"]


def test_quoted_field_keeps_delimiter_and_escaped_quotes():
    assert parse('x,"a, ""b""",y') == ["x", 'a, "b"', "y"]


def test_empty_line_is_one_empty_field():
    assert parse("") == [""]


def test_unterminated_quote_is_rejected():
    with pytest.raises(ValueError):
        parse('"open')
