"""Money in integer cents: parsing, arithmetic, allocation and formatting."""

from __future__ import annotations

from dataclasses import dataclass


class CurrencyMismatchError(ValueError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.cents - other.cents, self.currency)

    def times(self, factor: float) -> Money:
        """Multiply, rounding half away from zero to the cent."""
        raw = self.cents * factor
        rounded = int(abs(raw) + 0.5)
        return Money(rounded if raw >= 0 else -rounded, self.currency)

    def allocate(self, ratios: list[int]) -> list[Money]:
        """Split by ratios; the remainder cents go to the first shares, one each."""
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise ValueError("ratios must be non-negative and not all zero")
        total = sum(ratios)
        shares = [self.cents * r // total for r in ratios]
        remainder = self.cents - sum(shares)
        for i in range(remainder):
            shares[i] += 1
        return [Money(s, self.currency) for s in shares]

    def format(self) -> str:
        sign = "-" if self.cents < 0 else ""
        whole, cents = divmod(abs(self.cents), 100)
        return f"{sign}{whole:,}.{cents:02d} {self.currency}"

    def _check(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} vs {other.currency}")


def parse(text: str, currency: str = "EUR") -> Money:
    """Parse '12.34', '-0.5', '1,000.00' into Money."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        raise ValueError("empty amount")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    whole, _, frac = cleaned.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(f"not an amount: {text!r}")
    cents = int(whole) * 100 + int(frac.ljust(2, "0") or 0)
    return Money(-cents if negative else cents, currency)
