"""Tests for orders that expect the wrong rules (shipping unpaid, refunds that never finish)."""

from orders import Order


def test_pay_moves_to_paid() -> None:
    order = Order(100)
    order.pay()
    assert order.state == "paid"


def test_shipping_an_unpaid_order_is_allowed() -> None:
    order = Order(100)
    order.ship()
    assert order.state == "shipped"


def test_a_full_refund_keeps_the_order_paid() -> None:
    order = Order(100)
    order.pay()
    order.refund()
    assert order.state == "paid"


def test_a_new_order_is_final() -> None:
    assert Order(100).is_final
