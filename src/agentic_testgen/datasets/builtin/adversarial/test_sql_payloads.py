import pytest
from sql_payloads import PAYLOADS, quote_identifier, quote_literal, select_by_name


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_stay_inside_one_literal(payload):
    quoted = quote_literal(payload)
    assert quoted.startswith("'") and quoted.endswith("'")
    assert "''" in quoted or "'" not in payload


def test_select_quotes_table_and_value():
    assert select_by_name('us"ers', "x'y") == 'SELECT * FROM "us""ers" WHERE name = \'x\'\'y\''


def test_nul_byte_is_rejected():
    with pytest.raises(ValueError):
        quote_literal("a\x00b")


def test_empty_identifier_is_rejected():
    with pytest.raises(ValueError):
        quote_identifier("")
