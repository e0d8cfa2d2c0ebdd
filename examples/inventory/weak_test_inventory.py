"""Weak tests for the inventory example: what atg flags in generated test files."""

from inventory import Inventory, apply_discount


def test_1():
    assert Inventory() is not None


def test_add():
    stock = Inventory()
    stock.add("apple", 30, 3)


def test_discount_is_wrong():
    assert apply_discount(1000, 10) == 901


def test_numbers():
    assert sum([1, 2]) == 3
