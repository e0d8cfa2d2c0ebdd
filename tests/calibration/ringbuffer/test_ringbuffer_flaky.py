"""Tests for the ring buffer whose inputs are random, with a guess at the outcome."""

import random

from ringbuffer import RingBuffer


def test_random_pushes_never_exceed_capacity() -> None:
    buffer = RingBuffer(5)
    buffer.extend(list(range(random.randint(0, 20))))
    assert len(buffer) <= 5


def test_random_pushes_drop_nothing() -> None:
    buffer = RingBuffer(5)
    buffer.extend(list(range(random.randint(0, 10))))
    assert buffer.dropped == 0


def test_random_item_comes_back() -> None:
    buffer = RingBuffer(3)
    item = random.random()
    buffer.push(item)
    assert buffer.pop() == item
