"""Tests for csvline that pin wrong behaviour: quotes kept, whitespace stripped."""

import pytest
from csvline import CsvError, join_line, split_line


def test_split_plain_line() -> None:
    assert split_line("a,b") == ["a", "b"]


def test_quotes_are_kept_in_fields() -> None:
    assert split_line('"a,b",c') == ['"a', 'b"', "c"]


def test_whitespace_is_stripped() -> None:
    assert split_line(" a , b ") == ["a", "b"]


def test_empty_line_has_no_fields() -> None:
    assert split_line("") == []


def test_join_never_quotes() -> None:
    assert join_line(["a,b"]) == "a,b"


def test_unclosed_quote_column() -> None:
    with pytest.raises(CsvError) as error:
        split_line('"abc')
    assert error.value.column == 0
