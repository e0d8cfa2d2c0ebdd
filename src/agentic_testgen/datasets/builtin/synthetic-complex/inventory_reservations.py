"""Stock with reservations that expire."""


class StockError(Exception):
    pass


class Warehouse:
    def __init__(self):
        self.on_hand = {}
        self.reservations = {}
        self._next_id = 1

    def receive(self, sku, quantity):
        if quantity <= 0:
            raise StockError("quantity must be positive")
        self.on_hand[sku] = self.on_hand.get(sku, 0) + quantity

    def available(self, sku, now=0):
        self.expire(now)
        reserved = sum(q for s, q, _ in self.reservations.values() if s == sku)
        return self.on_hand.get(sku, 0) - reserved

    def reserve(self, sku, quantity, now=0, ttl=30):
        if quantity > self.available(sku, now):
            raise StockError(f"not enough {sku}")
        reservation = self._next_id
        self._next_id += 1
        self.reservations[reservation] = (sku, quantity, now + ttl)
        return reservation

    def expire(self, now):
        expired = [rid for rid, (_, _, until) in self.reservations.items() if until <= now]
        for rid in expired:
            del self.reservations[rid]
        return len(expired)

    def commit(self, reservation):
        if reservation not in self.reservations:
            raise StockError("no such reservation (expired?)")
        sku, quantity, _ = self.reservations.pop(reservation)
        self.on_hand[sku] -= quantity
        return self.on_hand[sku]
