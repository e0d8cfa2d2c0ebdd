import pytest
from billing import (
    BillingError,
    Invoice,
    LineItem,
    format_amount,
    instalments,
    late_fee,
    merge_invoices,
    reminder_level,
    round_half_up,
    to_minor_units,
)


@pytest.mark.parametrize(("value", "expected"), [(149, 1), (150, 2), (-150, -2), (0, 0)])
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_to_minor_units_scales_by_currency():
    assert to_minor_units(12.5, "EUR") == 1250
    assert to_minor_units(300, "JPY") == 300


def test_to_minor_units_rejects_unknown_currency():
    with pytest.raises(BillingError, match="unknown currency"):
        to_minor_units(1, "XXX")


def test_to_minor_units_rejects_too_many_decimals():
    with pytest.raises(BillingError, match="decimals"):
        to_minor_units(1.234, "EUR")


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (1250, "EUR", "12.50 EUR"),
        (5, "USD", "0.05 USD"),
        (-199, "EUR", "-1.99 EUR"),
        (300, "JPY", "300 JPY"),
    ],
)
def test_format_amount(minor, currency, text):
    assert format_amount(minor, currency) == text


def test_line_item_totals():
    item = LineItem("pen", 250, 4, discount_percent=10)
    assert item.gross() == 1000
    assert item.discount() == 100
    assert item.net() == 900
    assert item.tax() == 180


def test_reduced_and_zero_tax():
    assert LineItem("book", 1000, tax_class="reduced").tax() == 50
    assert LineItem("bread", 1000, tax_class="zero").tax() == 0


@pytest.mark.parametrize(
    "kwargs",
    [{"quantity": 0}, {"unit_price": -1}, {"discount_percent": 101}, {"tax_class": "luxury"}],
)
def test_line_item_validation(kwargs):
    fields = {"sku": "x", "unit_price": 100, **kwargs}
    with pytest.raises(BillingError):
        LineItem(**fields)


def test_full_discount_is_allowed():
    assert LineItem("gift", 500, discount_percent=100).net() == 0


def invoice():
    bill = Invoice("INV-1")
    bill.add(LineItem("pen", 250, 4))
    bill.add(LineItem("book", 1000, tax_class="reduced"))
    return bill


def test_invoice_totals():
    bill = invoice()
    assert bill.net_total() == 2000
    assert bill.tax_total() == 250
    assert bill.total() == 2250


def test_adding_the_same_item_merges_quantities():
    bill = invoice()
    merged = bill.add(LineItem("pen", 250, 1))
    assert merged.quantity == 5
    assert len(bill.items) == 2


def test_same_sku_at_another_price_is_a_new_line():
    bill = invoice()
    bill.add(LineItem("pen", 300))
    assert len(bill.items) == 3


def test_remove_item():
    bill = invoice()
    bill.remove("pen")
    assert [item.sku for item in bill.items] == ["book"]


def test_remove_missing_item_raises():
    with pytest.raises(BillingError):
        invoice().remove("ghost")


def test_tax_breakdown_skips_zero_classes():
    bill = invoice()
    bill.add(LineItem("bread", 100, tax_class="zero"))
    assert bill.tax_breakdown() == {"reduced": 50, "standard": 200}


def test_partial_payment_leaves_a_balance():
    bill = invoice()
    assert bill.pay(1000) == 1250
    assert not bill.is_settled()


def test_full_payment_settles():
    bill = invoice()
    bill.pay(2250)
    assert bill.is_settled()


def test_empty_invoice_is_not_settled():
    assert not Invoice("INV-0").is_settled()


@pytest.mark.parametrize("amount", [0, -5])
def test_payment_must_be_positive(amount):
    with pytest.raises(BillingError):
        invoice().pay(amount)


def test_overpayment_is_refused():
    with pytest.raises(BillingError, match="exceeds"):
        invoice().pay(2251)


def test_due_day_and_overdue_days():
    bill = invoice()
    bill.issued_day = 10
    assert bill.due_day() == 40
    assert bill.days_overdue(40) == 0
    assert bill.days_overdue(45) == 5


def test_settled_invoice_is_never_overdue():
    bill = invoice()
    bill.pay(2250)
    assert bill.days_overdue(1000) == 0


@pytest.mark.parametrize(("today", "level"), [(30, 0), (31, 1), (44, 1), (45, 2), (60, 2), (61, 3)])
def test_reminder_levels(today, level):
    assert reminder_level(invoice(), today) == level


def test_late_fee_grows_daily_and_is_capped():
    bill = invoice()
    assert late_fee(bill, 30) == 0
    assert late_fee(bill, 40) == 11
    assert late_fee(bill, 1000) == 225


def test_instalments_spread_the_remainder():
    assert instalments(1000, 3) == [334, 333, 333]
    assert sum(instalments(2251, 4)) == 2251


def test_instalments_need_at_least_one_part():
    with pytest.raises(BillingError):
        instalments(100, 0)


def test_summary_lists_items_and_totals():
    text = invoice().summary()
    assert text.splitlines() == [
        "Invoice INV-1",
        "4 x pen: 10.00 EUR",
        "1 x book: 10.00 EUR",
        "Tax: 2.50 EUR",
        "Total: 22.50 EUR",
    ]


def test_merge_invoices_combines_items_and_payments():
    first, second = invoice(), invoice()
    first.pay(100)
    second.issued_day = 5
    merged = merge_invoices("INV-9", [first, second])
    assert merged.total() == 4500
    assert merged.paid == 100
    assert merged.issued_day == 0
    assert merged.items[0].quantity == 8


def test_merge_refuses_mixed_currencies():
    with pytest.raises(BillingError):
        merge_invoices("X", [Invoice("A"), Invoice("B", currency="USD")])


def test_merge_needs_invoices():
    with pytest.raises(BillingError):
        merge_invoices("X", [])
