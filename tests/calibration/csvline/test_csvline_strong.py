"""Strong tests for csvline: quoting, errors with their columns, round trips and records."""

import pytest
from csvline import CsvError, join_line, split_line, to_records


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("a,b,c", ["a", "b", "c"]),
        ("", [""]),
        ("a,,c", ["a", "", "c"]),
        ('"a,b",c', ["a,b", "c"]),
        ('"say ""hi""",x', ['say "hi"', "x"]),
        ('ab"c,d', ['ab"c', "d"]),
        ('""', [""]),
        ("a,", ["a", ""]),
    ],
)
def test_split_line_reads_fields(line: str, fields: list[str]) -> None:
    assert split_line(line) == fields


def test_split_line_uses_another_delimiter() -> None:
    assert split_line('a;"b;c";d', ";") == ["a", "b;c", "d"]


@pytest.mark.parametrize("delimiter", ["", ";;", '"'])
def test_split_line_refuses_bad_delimiters(delimiter: str) -> None:
    with pytest.raises(ValueError, match="delimiter"):
        split_line("a", delimiter)


def test_unclosed_quote_is_reported_at_the_end_of_the_line() -> None:
    with pytest.raises(CsvError, match="unclosed quote at column 4") as error:
        split_line('"abc')
    assert error.value.column == 4


def test_text_after_a_closing_quote_is_reported_where_it_starts() -> None:
    with pytest.raises(CsvError) as error:
        split_line('"ab"c,d')
    assert error.value.column == 4
    assert "text after closing quote" in str(error.value)


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (["a", "b"], "a,b"),
        (["a,b"], '"a,b"'),
        (['q"'], '"q"""'),
        ([" pad"], '" pad"'),
        (["pad "], '"pad "'),
        ([], ""),
    ],
)
def test_join_line_quotes_only_what_needs_it(fields: list[str], line: str) -> None:
    assert join_line(fields) == line


def test_join_then_split_gives_the_fields_back() -> None:
    fields = ["plain", "with,comma", 'with "quotes"', " spaced "]
    assert split_line(join_line(fields)) == fields
    assert join_line(["a;b", "c"], ";") == '"a;b";c'


def test_to_records_names_values_by_header() -> None:
    assert to_records(["name,age", "ann,31", '"bo, jr",7']) == [
        {"name": "ann", "age": "31"},
        {"name": "bo, jr", "age": "7"},
    ]
    assert to_records([]) == []
    assert to_records(["only,header"]) == []


def test_to_records_refuses_a_line_of_the_wrong_width() -> None:
    with pytest.raises(CsvError, match="line 3 has 1 fields, expected 2"):
        to_records(["a,b", "1,2", "3"])
