"""A shopping cart with quantity discounts and coupons."""

COUPONS = {"TEN": 0.10, "HALF": 0.50}


class Cart:
    def __init__(self):
        self.lines = {}

    def add(self, name, unit_price, quantity=1):
        if quantity <= 0 or unit_price < 0:
            raise ValueError("bad quantity or price")
        price, existing = self.lines.get(name, (unit_price, 0))
        if price != unit_price:
            raise ValueError("price changed")
        self.lines[name] = (unit_price, existing + quantity)

    def remove(self, name):
        if name not in self.lines:
            raise KeyError(name)
        del self.lines[name]

    def subtotal(self):
        total = 0.0
        for price, quantity in self.lines.values():
            line = price * quantity
            if quantity >= 10:
                line *= 0.9
            total += line
        return round(total, 2)

    def total(self, coupon=None):
        subtotal = self.subtotal()
        if coupon is None:
            return subtotal
        if coupon not in COUPONS:
            raise ValueError(f"unknown coupon {coupon}")
        return round(subtotal * (1 - COUPONS[coupon]), 2)
