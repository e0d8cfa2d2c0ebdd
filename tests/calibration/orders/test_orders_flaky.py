"""Tests for orders with a random path and a clock-dependent expectation."""

import random
import time

from orders import Order


def test_random_path_ends_somewhere_final() -> None:
    order = Order(100)
    order.pay()
    order.move(random.choice(["shipped", "refunded"]))
    assert order.is_final


def test_refund_of_random_amount_leaves_the_rest() -> None:
    order = Order(100)
    order.pay()
    cents = random.randint(1, 100)
    assert order.refund(cents) == 100 - cents


def test_orders_on_even_seconds_are_new() -> None:
    order = Order(100)
    if int(time.time() * 10) % 2:
        order.pay()
    assert order.state == "new"
