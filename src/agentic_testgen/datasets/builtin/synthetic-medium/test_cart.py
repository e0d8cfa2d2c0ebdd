import pytest
from cart import Cart


def test_subtotal_sums_lines():
    cart = Cart()
    cart.add("pen", 1.5, 2)
    cart.add("pad", 3.0)
    assert cart.subtotal() == 6.0


def test_bulk_lines_get_ten_percent_off():
    cart = Cart()
    cart.add("pen", 1.0, 10)
    assert cart.subtotal() == 9.0


def test_coupon_applies_to_total():
    cart = Cart()
    cart.add("pad", 10.0)
    assert cart.total("HALF") == 5.0


def test_unknown_coupon_is_rejected():
    cart = Cart()
    with pytest.raises(ValueError):
        cart.total("FREE")


def test_remove_missing_item_raises_key_error():
    with pytest.raises(KeyError):
        Cart().remove("ghost")
