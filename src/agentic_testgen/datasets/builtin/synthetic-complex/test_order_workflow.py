import pytest
from order_workflow import InvalidTransition, Order, replay


def test_happy_path_reaches_delivered():
    order = replay(1, ["pay", "ship", "deliver"])
    assert order.state == "delivered"
    assert order.history() == "new -> paid -> shipped -> delivered"


def test_cannot_ship_an_unpaid_order():
    order = Order(2)
    assert not order.can("ship")
    with pytest.raises(InvalidTransition):
        order.apply("ship")


def test_final_state_refuses_every_event():
    order = replay(3, ["cancel"])
    with pytest.raises(InvalidTransition):
        order.apply("pay")
