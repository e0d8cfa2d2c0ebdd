"""Strong tests for money: values, rounding, remainders and every error."""

import pytest
from money import CurrencyMismatchError, Money, parse


def test_adding_and_subtracting_keep_the_currency() -> None:
    assert Money(150, "USD") + Money(275, "USD") == Money(425, "USD")
    assert Money(150) - Money(275) == Money(-125)


def test_combining_currencies_is_refused() -> None:
    with pytest.raises(CurrencyMismatchError, match="EUR vs USD"):
        Money(1) + Money(1, "USD")
    with pytest.raises(CurrencyMismatchError):
        Money(1) - Money(1, "USD")


@pytest.mark.parametrize(
    ("cents", "factor", "expected"),
    [(100, 1.5, 150), (5, 0.5, 3), (5, 0.1, 1), (-5, 0.5, -3), (4, 0.1, 0), (0, 3, 0)],
)
def test_times_rounds_half_away_from_zero(cents: int, factor: float, expected: int) -> None:
    assert Money(cents, "USD").times(factor) == Money(expected, "USD")


def test_allocate_gives_remainder_cents_to_the_first_shares() -> None:
    assert Money(100).allocate([1, 1, 1]) == [Money(34), Money(33), Money(33)]
    assert Money(5, "USD").allocate([3, 7]) == [Money(2, "USD"), Money(3, "USD")]
    assert Money(10).allocate([0, 1]) == [Money(0), Money(10)]


@pytest.mark.parametrize("ratios", [[], [-1, 2], [0, 0]])
def test_allocate_refuses_bad_ratios(ratios: list[int]) -> None:
    with pytest.raises(ValueError, match="ratios"):
        Money(100).allocate(ratios)


def test_format_groups_thousands_and_pads_cents() -> None:
    assert Money(123456789).format() == "1,234,567.89 EUR"
    assert Money(-5, "USD").format() == "-0.05 USD"
    assert Money(100).format() == "1.00 EUR"


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12.34", 1234), ("-0.5", -50), ("1,000.00", 100000), (" 7 ", 700), ("3.", 300)],
)
def test_parse_reads_amounts(text: str, cents: int) -> None:
    assert parse(text, "USD") == Money(cents, "USD")


@pytest.mark.parametrize("text", ["", "  ", "abc", "1.234", "1.x", "--1"])
def test_parse_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse(text)


def test_parse_defaults_to_euro() -> None:
    assert parse("1").currency == "EUR"
    assert Money(1).currency == "EUR"
