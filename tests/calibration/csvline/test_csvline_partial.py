"""Partial tests for csvline: plain lines only."""

from csvline import join_line, split_line


def test_split_plain_line() -> None:
    assert split_line("a,b,c") == ["a", "b", "c"]


def test_split_line_with_quotes_has_two_fields() -> None:
    assert len(split_line('"a,b",c')) == 2


def test_join_plain_fields() -> None:
    assert join_line(["x", "y"]) == "x,y"
