"""Tests for orders that drive the machine and check nothing."""

from orders import Order, reachable


def test_life() -> None:
    order = Order(100)
    order.pay()
    order.ship()
    order.move("delivered")


def test_refund() -> None:
    order = Order(100)
    order.pay()
    order.refund(40)
    order.refund()


def test_reachable() -> None:
    reachable("new")


def test_final() -> None:
    order = Order(1)
    order.move("cancelled")
    print(order.is_final)
