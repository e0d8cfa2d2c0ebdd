import pytest
from inventory_reservations import StockError, Warehouse


def test_reservation_holds_stock_until_commit():
    warehouse = Warehouse()
    warehouse.receive("bolt", 10)
    reservation = warehouse.reserve("bolt", 4)
    assert warehouse.available("bolt") == 6
    assert warehouse.commit(reservation) == 6


def test_expired_reservation_frees_stock():
    warehouse = Warehouse()
    warehouse.receive("bolt", 5)
    warehouse.reserve("bolt", 5, now=0, ttl=10)
    assert warehouse.available("bolt", now=10) == 5


def test_over_reservation_is_refused():
    warehouse = Warehouse()
    warehouse.receive("nut", 1)
    with pytest.raises(StockError):
        warehouse.reserve("nut", 2)
