"""Strong tests for orders: every transition rule, refunds to the cent, reachability."""

import pytest
from orders import TRANSITIONS, Order, TransitionError, reachable


def test_a_new_order_starts_new_with_its_history() -> None:
    order = Order(500)
    assert (order.state, order.history, order.refunded_cents) == ("new", ["new"], 0)
    assert not order.is_final


@pytest.mark.parametrize("total", [0, -1])
def test_an_order_must_cost_something(total: int) -> None:
    with pytest.raises(ValueError, match="costs something"):
        Order(total)


def test_a_full_life_is_recorded_in_order() -> None:
    order = Order(100)
    order.pay()
    order.ship()
    order.move("delivered")
    order.move("returned")
    assert order.refund() == 0
    assert order.history == ["new", "paid", "shipped", "delivered", "returned", "refunded"]
    assert order.is_final


def test_a_forbidden_transition_names_both_states_and_changes_nothing() -> None:
    order = Order(100)
    with pytest.raises(TransitionError, match="new -> shipped"):
        order.ship()
    assert order.state == "new"
    assert order.history == ["new"]


def test_an_unknown_state_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        Order(100).move("lost")


def test_cancelled_is_final() -> None:
    order = Order(100)
    order.move("cancelled")
    assert order.is_final
    with pytest.raises(TransitionError):
        order.pay()


def test_partial_refunds_leave_the_rest_until_nothing_is_left() -> None:
    order = Order(100)
    order.pay()
    assert order.refund(30) == 70
    assert order.state == "paid"
    assert order.refunded_cents == 30
    assert order.refund(70) == 0
    assert order.state == "refunded"
    assert order.history[-1] == "refunded"


@pytest.mark.parametrize("cents", [0, -5, 101])
def test_a_refund_out_of_range_is_refused(cents: int) -> None:
    order = Order(100)
    order.pay()
    with pytest.raises(ValueError, match="between 1 and 100"):
        order.refund(cents)
    assert order.refunded_cents == 0


def test_a_refund_before_payment_is_refused() -> None:
    with pytest.raises(TransitionError, match="cannot refund a new order"):
        Order(100).refund()


def test_a_refunded_order_has_nothing_left_to_refund() -> None:
    order = Order(100)
    order.pay()
    order.refund()
    with pytest.raises(ValueError, match="between 1 and 0"):
        order.refund(1)


def test_reachable_follows_every_path() -> None:
    assert reachable("new") == {
        "paid", "cancelled", "shipped", "refunded", "delivered", "returned"
    }  # fmt: skip
    assert reachable("delivered") == {"returned", "refunded"}
    assert reachable("refunded") == set()
    assert all(state in TRANSITIONS for state in reachable("paid"))
