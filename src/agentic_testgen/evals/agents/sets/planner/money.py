"""Amounts of money in minor units (cents), one currency each."""

from __future__ import annotations

from dataclasses import dataclass


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} + {other.currency}")
        return Money(self.cents + other.cents, self.currency)

    def split(self, parts: int) -> list[Money]:
        """Split into `parts` amounts that differ by at most one cent and add up exactly;
        the first ones take the remainder."""
        if parts <= 0:
            raise ValueError("parts must be positive")
        share, remainder = divmod(self.cents, parts)
        amounts = []
        for index in range(parts):
            extra = 1 if index < remainder else 0
            amounts.append(Money(share + extra, self.currency))
        return amounts

    def format(self) -> str:
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)
        return f"{sign}{units:,}.{cents:02d} {self.currency}"

    @classmethod
    def parse(cls, text: str) -> Money:
        """`12.50 EUR` -> Money(1250, "EUR"); `12 EUR` is whole units."""
        amount, _, currency = text.strip().partition(" ")
        if not currency:
            raise ValueError(f"no currency in {text!r}")
        whole, _, fraction = amount.partition(".")
        if len(fraction) > 2:
            raise ValueError(f"more than two decimals in {text!r}")
        cents = int(whole) * 100 + int(fraction.ljust(2, "0") or "0")
        return cls(cents, currency)
