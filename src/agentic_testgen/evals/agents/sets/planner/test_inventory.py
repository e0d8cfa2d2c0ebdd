import pytest

from inventory import Inventory


def test_added_units_are_counted():
    stock = Inventory()
    stock.add("apple", 3)
    stock.add("apple", 2)
    assert stock.quantity("apple") == 5


def test_an_unknown_sku_has_no_units():
    assert Inventory().quantity("pear") == 0


def test_adding_nothing_is_refused():
    with pytest.raises(ValueError):
        Inventory().add("apple", 0)


def test_taking_some_units_leaves_the_rest():
    stock = Inventory()
    stock.add("apple", 5)
    assert stock.remove("apple", 2) == 3
