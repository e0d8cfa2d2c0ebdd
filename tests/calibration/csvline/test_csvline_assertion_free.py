"""Tests for csvline that call everything and check nothing."""

from csvline import join_line, split_line, to_records


def test_split() -> None:
    split_line('a,"b,c",""""')


def test_split_semicolon() -> None:
    split_line("a;b", ";")


def test_join() -> None:
    join_line(["a", "b,c", 'd"', " e"])


def test_records() -> None:
    to_records(["a,b", "1,2", "3,4"])


def test_records_bad() -> None:
    try:
        to_records(["a,b", "1"])
    except Exception:
        pass
