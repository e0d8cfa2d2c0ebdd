"""Stock levels of a small shop: what is on the shelf and what needs reordering."""

from __future__ import annotations


class OutOfStock(Exception):
    """Raised when more units are taken than the shelf holds."""


class Inventory:
    """Units on hand per SKU, with a reorder level per SKU."""

    def __init__(self, reorder_level: int = 5) -> None:
        self.reorder_level = reorder_level
        self._units: dict[str, int] = {}

    def add(self, sku: str, units: int) -> None:
        if units <= 0:
            raise ValueError("units must be positive")
        self._units[sku] = self._units.get(sku, 0) + units

    def remove(self, sku: str, units: int) -> int:
        """Take `units` of `sku` off the shelf; return what is left."""
        if units <= 0:
            raise ValueError("units must be positive")
        held = self._units.get(sku, 0)
        if held < units:
            raise OutOfStock(f"{sku}: {held} on hand, {units} asked")
        left = held - units
        if left:
            self._units[sku] = left
        else:
            del self._units[sku]
        return left

    def quantity(self, sku: str) -> int:
        return self._units.get(sku, 0)

    def to_reorder(self) -> list[str]:
        """SKUs at or below the reorder level, lowest stock first."""
        low = [sku for sku, units in self._units.items() if units <= self.reorder_level]
        return sorted(low, key=lambda sku: (self._units[sku], sku))
