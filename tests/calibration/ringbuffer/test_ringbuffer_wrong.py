"""Tests for the ring buffer that expect it to refuse items when full and to pop the newest."""

import pytest
from ringbuffer import RingBuffer


def test_push_then_pop() -> None:
    buffer = RingBuffer(4)
    buffer.push("a")
    assert buffer.pop() == "a"


def test_pop_gives_the_newest_item() -> None:
    buffer = RingBuffer(4)
    buffer.extend([1, 2, 3])
    assert buffer.pop() == 3


def test_a_full_buffer_refuses_items() -> None:
    buffer = RingBuffer(2)
    buffer.extend([1, 2])
    with pytest.raises(OverflowError):
        buffer.push(3)


def test_overflow_keeps_the_first_items() -> None:
    buffer = RingBuffer(2)
    buffer.extend([1, 2, 3])
    assert list(buffer) == [1, 2]
