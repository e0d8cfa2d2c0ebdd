"""A stock of items by name: add, remove, count, and list what runs low."""

from __future__ import annotations


class OutOfStock(Exception):
    """More was asked for than the stock holds."""


class Inventory:
    """Counts of items by name. A count never goes below zero; an item at zero is forgotten."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, item: str, quantity: int = 1) -> int:
        """Add `quantity` of `item`; returns the new count."""
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._counts[item] = self._counts.get(item, 0) + quantity
        return self._counts[item]

    def remove(self, item: str, quantity: int = 1) -> int:
        """Take `quantity` of `item` out; returns what is left."""
        held = self._counts.get(item, 0)
        if quantity > held:
            raise OutOfStock(f"{item}: {held} held, {quantity} asked")
        left = held - quantity
        if left:
            self._counts[item] = left
        else:
            del self._counts[item]
        return left

    def count(self, item: str) -> int:
        """How many of `item` are held."""
        return self._counts.get(item, 0)

    def low(self, threshold: int) -> list[str]:
        """The items held fewer than `threshold` times, by name."""
        return sorted(item for item, count in self._counts.items() if count < threshold)

    def __len__(self) -> int:
        return len(self._counts)
