"""Invoices for the mutation benchmark: line items, discounts, taxes, schedules and reminders."""

from dataclasses import dataclass, field

TAX_RATES = {"standard": 20, "reduced": 5, "zero": 0}
CURRENCIES = {"EUR": 2, "USD": 2, "JPY": 0}


class BillingError(Exception):
    pass


def round_half_up(cents_times_100, digits=2):
    """Round an amount given in hundredths of a cent to whole cents, half up."""
    if cents_times_100 >= 0:
        return (cents_times_100 + 50) // 100
    return -((-cents_times_100 + 50) // 100)


def to_minor_units(amount, currency):
    if currency not in CURRENCIES:
        raise BillingError(f"unknown currency {currency}")
    digits = CURRENCIES[currency]
    scaled = amount * 10**digits
    if scaled != int(scaled):
        raise BillingError(f"{amount} has more than {digits} decimals")
    return int(scaled)


def format_amount(minor, currency):
    digits = CURRENCIES[currency]
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    if digits == 0:
        return f"{sign}{minor} {currency}"
    units, rest = divmod(minor, 10**digits)
    return f"{sign}{units}.{rest:0{digits}d} {currency}"


@dataclass
class LineItem:
    sku: str
    unit_price: int
    quantity: int = 1
    tax_class: str = "standard"
    discount_percent: int = 0

    def __post_init__(self):
        if self.quantity <= 0:
            raise BillingError("quantity must be positive")
        if self.unit_price < 0:
            raise BillingError("price must not be negative")
        if not 0 <= self.discount_percent <= 100:
            raise BillingError("discount must be between 0 and 100")
        if self.tax_class not in TAX_RATES:
            raise BillingError(f"unknown tax class {self.tax_class}")

    def gross(self):
        return self.unit_price * self.quantity

    def discount(self):
        return round_half_up(self.gross() * self.discount_percent)

    def net(self):
        return self.gross() - self.discount()

    def tax(self):
        return round_half_up(self.net() * TAX_RATES[self.tax_class])


@dataclass
class Invoice:
    number: str
    currency: str = "EUR"
    items: list = field(default_factory=list)
    paid: int = 0
    issued_day: int = 0
    due_days: int = 30

    def add(self, item):
        for existing in self.items:
            if existing.sku == item.sku and existing.unit_price == item.unit_price:
                existing.quantity += item.quantity
                return existing
        self.items.append(item)
        return item

    def remove(self, sku):
        before = len(self.items)
        self.items = [item for item in self.items if item.sku != sku]
        if len(self.items) == before:
            raise BillingError(f"no item {sku}")

    def net_total(self):
        return sum(item.net() for item in self.items)

    def tax_total(self):
        return sum(item.tax() for item in self.items)

    def total(self):
        return self.net_total() + self.tax_total()

    def tax_breakdown(self):
        breakdown = {}
        for item in self.items:
            breakdown[item.tax_class] = breakdown.get(item.tax_class, 0) + item.tax()
        return {name: amount for name, amount in sorted(breakdown.items()) if amount > 0}

    def pay(self, amount):
        if amount <= 0:
            raise BillingError("payment must be positive")
        if self.paid + amount > self.total():
            raise BillingError("payment exceeds the amount due")
        self.paid += amount
        return self.balance()

    def balance(self):
        return self.total() - self.paid

    def is_settled(self):
        return bool(self.items) and self.balance() == 0

    def due_day(self):
        return self.issued_day + self.due_days

    def days_overdue(self, today):
        if self.is_settled():
            return 0
        return max(0, today - self.due_day())

    def summary(self):
        lines = [f"Invoice {self.number}"]
        for item in self.items:
            lines.append(
                f"{item.quantity} x {item.sku}: {format_amount(item.net(), self.currency)}"
            )
        lines.append(f"Tax: {format_amount(self.tax_total(), self.currency)}")
        lines.append(f"Total: {format_amount(self.total(), self.currency)}")
        return "\n".join(lines)


def reminder_level(invoice, today):
    """0: none, 1: friendly, 2: firm, 3: final notice."""
    overdue = invoice.days_overdue(today)
    if overdue == 0:
        return 0
    if overdue <= 14:
        return 1
    if overdue <= 30:
        return 2
    return 3


def late_fee(invoice, today, daily_rate_bp=5, cap_percent=10):
    """Interest of `daily_rate_bp` basis points a day on the balance, capped."""
    overdue = invoice.days_overdue(today)
    if overdue == 0:
        return 0
    fee = round_half_up(invoice.balance() * daily_rate_bp * overdue)
    cap = round_half_up(invoice.balance() * cap_percent * 100) // 100
    return min(fee // 100, cap)


def instalments(total, parts):
    """Split `total` minor units into `parts` payments differing by at most one unit."""
    if parts < 1:
        raise BillingError("at least one instalment")
    base, remainder = divmod(total, parts)
    return [base + 1 if index < remainder else base for index in range(parts)]


def merge_invoices(number, invoices):
    if not invoices:
        raise BillingError("nothing to merge")
    currencies = {invoice.currency for invoice in invoices}
    if len(currencies) > 1:
        raise BillingError("cannot merge invoices in different currencies")
    merged = Invoice(number, currency=currencies.pop())
    for invoice in invoices:
        for item in invoice.items:
            merged.add(
                LineItem(
                    item.sku, item.unit_price, item.quantity, item.tax_class, item.discount_percent
                )
            )
        merged.paid += invoice.paid
    merged.issued_day = min(invoice.issued_day for invoice in invoices)
    return merged
