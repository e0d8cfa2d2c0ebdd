import pytest

from sales_report import Sale, render, top, totals_by

ROWS = [Sale("north", "tea", 10.0), Sale("south", "tea", 4.5), Sale("north", "jam", 2.0)]


def test_sales_are_summed_per_region():
    assert totals_by(ROWS, "region") == {"north": 12.0, "south": 4.5}


def test_grouping_by_amount_is_refused():
    with pytest.raises(ValueError):
        totals_by(ROWS, "amount")


def test_the_largest_totals_come_first():
    assert top({"a": 1.0, "b": 3.0, "c": 2.0}, count=2) == [("b", 3.0), ("c", 2.0)]


def test_an_empty_table_says_so():
    assert render({}, "Sales") == "Sales\n(no sales)"
