"""A small stock-keeping module: the example `make run` evaluates."""

from __future__ import annotations

from dataclasses import dataclass, field


class OutOfStockError(Exception):
    """Raised when more units are taken than are in stock."""


@dataclass
class Item:
    sku: str
    price_cents: int
    quantity: int = 0

    def total_cents(self) -> int:
        return self.price_cents * self.quantity


@dataclass
class Inventory:
    items: dict[str, Item] = field(default_factory=dict)

    def add(self, sku: str, price_cents: int, quantity: int = 1) -> Item:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        if price_cents < 0:
            raise ValueError("price must not be negative")
        item = self.items.get(sku)
        if item is None:
            item = self.items[sku] = Item(sku, price_cents, 0)
        elif item.price_cents != price_cents:
            raise ValueError(f"{sku} is already stocked at {item.price_cents} cents")
        item.quantity += quantity
        return item

    def take(self, sku: str, quantity: int = 1) -> int:
        item = self.items.get(sku)
        if item is None or item.quantity < quantity:
            raise OutOfStockError(sku)
        item.quantity -= quantity
        if item.quantity == 0:
            del self.items[sku]
        return quantity

    def value_cents(self) -> int:
        return sum(item.total_cents() for item in self.items.values())


def apply_discount(price_cents: int, percent: int) -> int:
    """Price after a whole-percent discount, rounded half up to the cent."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return (price_cents * (100 - percent) + 50) // 100
