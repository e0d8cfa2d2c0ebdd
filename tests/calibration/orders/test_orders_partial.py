"""Partial tests for orders: the happy path."""

from orders import Order


def test_pay_moves_to_paid() -> None:
    order = Order(100)
    order.pay()
    assert order.state == "paid"


def test_ship_after_pay() -> None:
    order = Order(100)
    order.pay()
    order.ship()
    assert order.history[-1] == "shipped"
