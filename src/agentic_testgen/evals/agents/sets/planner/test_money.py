from money import Money


def test_amounts_in_one_currency_add_up():
    assert Money(150) + Money(275) == Money(425)


def test_an_amount_is_formatted_with_thousands():
    assert Money(123456).format() == "1,234.56 EUR"


def test_a_negative_amount_keeps_its_sign():
    assert Money(-5, "USD").format() == "-0.05 USD"


def test_an_amount_with_cents_is_parsed():
    assert Money.parse("12.50 EUR") == Money(1250)
