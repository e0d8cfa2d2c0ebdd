"""Tests for money whose amounts come from an unseeded random generator."""

import random

from money import Money, parse


def test_add_random_amounts() -> None:
    a, b = random.randint(0, 1000), random.randint(0, 1000)
    assert (Money(a) + Money(b)).cents == a + b


def test_times_random_factor_stays_small() -> None:
    factor = random.random() * 2
    assert Money(100).times(factor).cents <= 100


def test_allocate_sums_to_total() -> None:
    shares = Money(100).allocate([1, random.randint(0, 3)])
    assert sum(share.cents for share in shares) == 100


def test_parse_random_amount_has_no_cents() -> None:
    amount = f"{random.randint(0, 99)}.{random.randint(0, 1)}0"
    assert parse(amount).cents % 100 == 0
