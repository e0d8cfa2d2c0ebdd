"""An order's life cycle as a state machine with an audit trail."""

TRANSITIONS = {
    "new": {"pay": "paid", "cancel": "cancelled"},
    "paid": {"ship": "shipped", "refund": "refunded"},
    "shipped": {"deliver": "delivered", "lose": "lost"},
    "lost": {"refund": "refunded"},
}
FINAL = {"delivered", "cancelled", "refunded"}


class InvalidTransition(Exception):
    pass


class Order:
    def __init__(self, order_id):
        self.order_id = order_id
        self.state = "new"
        self.trail = [("created", "new")]

    def apply(self, event):
        if self.state in FINAL:
            raise InvalidTransition(f"order {self.order_id} is {self.state}")
        allowed = TRANSITIONS.get(self.state, {})
        if event not in allowed:
            raise InvalidTransition(f"cannot {event} when {self.state}")
        self.state = allowed[event]
        self.trail.append((event, self.state))
        return self.state

    def can(self, event):
        return self.state not in FINAL and event in TRANSITIONS.get(self.state, {})

    def history(self):
        return " -> ".join(state for _, state in self.trail)


def replay(order_id, events):
    order = Order(order_id)
    for event in events:
        order.apply(event)
    return order
