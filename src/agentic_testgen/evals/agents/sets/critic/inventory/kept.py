from inventory import Inventory


def test_added_items_are_counted():
    stock = Inventory()
    stock.add("bolt", 3)
    assert stock.count("bolt") == 3
