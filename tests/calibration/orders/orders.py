"""An order's life as a state machine: allowed transitions, history and refunds."""

from __future__ import annotations

TRANSITIONS: dict[str, set[str]] = {
    "new": {"paid", "cancelled"},
    "paid": {"shipped", "refunded"},
    "shipped": {"delivered", "returned"},
    "delivered": {"returned"},
    "returned": {"refunded"},
    "cancelled": set(),
    "refunded": set(),
}


class TransitionError(RuntimeError):
    """A transition the current state does not allow."""


class Order:
    def __init__(self, total_cents: int) -> None:
        if total_cents <= 0:
            raise ValueError("an order costs something")
        self.total_cents = total_cents
        self.state = "new"
        self.history = ["new"]
        self.refunded_cents = 0

    def move(self, target: str) -> None:
        if target not in TRANSITIONS:
            raise KeyError(target)
        if target not in TRANSITIONS[self.state]:
            raise TransitionError(f"{self.state} -> {target}")
        self.state = target
        self.history.append(target)

    def pay(self) -> None:
        self.move("paid")

    def ship(self) -> None:
        self.move("shipped")

    def refund(self, cents: int | None = None) -> int:
        """Refund all or part of what is left; the order is refunded once nothing is left."""
        if self.state not in ("paid", "returned", "refunded"):
            raise TransitionError(f"cannot refund a {self.state} order")
        left = self.total_cents - self.refunded_cents
        amount = left if cents is None else cents
        if amount <= 0 or amount > left:
            raise ValueError(f"refund must be between 1 and {left}")
        self.refunded_cents += amount
        if self.refunded_cents == self.total_cents and self.state != "refunded":
            self.move("refunded")
        return left - amount

    @property
    def is_final(self) -> bool:
        return not TRANSITIONS[self.state]


def reachable(state: str) -> set[str]:
    """Every state reachable from `state`, itself excluded unless there is a cycle."""
    seen: set[str] = set()
    stack = list(TRANSITIONS[state])
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(TRANSITIONS[current])
    return seen
