"""Sales rows grouped and summed, rendered as a plain-text table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple


class Sale(NamedTuple):
    region: str
    product: str
    amount: float


def totals_by(rows: Iterable[Sale], key: str) -> dict[str, float]:
    """The sum of `amount` per value of `key` (`region` or `product`)."""
    if key not in Sale._fields or key == "amount":
        raise ValueError(f"cannot group by {key!r}")
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        totals[getattr(row, key)] += row.amount
    return dict(totals)


def top(totals: dict[str, float], count: int = 3) -> list[tuple[str, float]]:
    """The `count` largest totals, largest first (ties by name)."""
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]


def render(totals: dict[str, float], title: str) -> str:
    """A two-column table: names left, amounts right-aligned with two decimals."""
    if not totals:
        return f"{title}\n(no sales)"

    def line(name: str, amount: float) -> str:
        return f"{name:<{width}}  {amount:>12,.2f}"

    width = max(len(name) for name in totals)
    rows = [line(name, amount) for name, amount in sorted(totals.items())]
    rule = "-" * (width + 14)
    return "\n".join([title, rule, *rows, rule, line("total", sum(totals.values()))])
