"""Tests for the inventory example: the kind of file atg scores highly."""

import pytest
from inventory import Inventory, Item, OutOfStockError, apply_discount


def test_item_total_multiplies_price_by_quantity():
    assert Item("a", 250, 4).total_cents() == 1000


def test_add_new_sku_creates_item():
    stock = Inventory()
    item = stock.add("apple", 30, 3)
    assert item == Item("apple", 30, 3)


def test_add_existing_sku_increases_quantity():
    stock = Inventory()
    stock.add("apple", 30, 3)
    assert stock.add("apple", 30, 2).quantity == 5


@pytest.mark.parametrize(("price", "quantity"), [(30, 0), (30, -1), (-1, 1)])
def test_add_rejects_bad_quantity_or_price(price, quantity):
    with pytest.raises(ValueError):
        Inventory().add("apple", price, quantity)


def test_add_rejects_a_second_price_for_the_same_sku():
    stock = Inventory()
    stock.add("apple", 30)
    with pytest.raises(ValueError, match="already stocked"):
        stock.add("apple", 31)


def test_take_reduces_quantity_and_returns_it():
    stock = Inventory()
    stock.add("pear", 50, 5)
    assert stock.take("pear", 2) == 2
    assert stock.items["pear"].quantity == 3


def test_take_last_unit_removes_the_item():
    stock = Inventory()
    stock.add("pear", 50, 1)
    stock.take("pear")
    assert "pear" not in stock.items


@pytest.mark.parametrize("sku", ["pear", ""])
def test_take_more_than_stocked_raises_out_of_stock(sku):
    stock = Inventory()
    stock.add("pear", 50, 1)
    with pytest.raises(OutOfStockError):
        stock.take(sku, 2)


def test_value_sums_every_item():
    stock = Inventory()
    stock.add("pear", 50, 2)
    stock.add("plum", 20, 3)
    assert stock.value_cents() == 160


@pytest.mark.parametrize(
    ("price", "percent", "expected"), [(1000, 0, 1000), (1000, 100, 0), (999, 15, 849), (5, 50, 3)]
)
def test_apply_discount_rounds_half_up(price, percent, expected):
    assert apply_discount(price, percent) == expected


@pytest.mark.parametrize("percent", [-1, 101])
def test_apply_discount_rejects_percent_out_of_range(percent):
    with pytest.raises(ValueError):
        apply_discount(100, percent)
