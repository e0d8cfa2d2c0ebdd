"""Tests for the ring buffer that exercise it and check nothing."""

from ringbuffer import RingBuffer


def test_overflow() -> None:
    buffer = RingBuffer(2)
    buffer.extend([1, 2, 3, 4])
    list(buffer)


def test_pop_peek() -> None:
    buffer = RingBuffer(3)
    buffer.push(1)
    buffer.peek()
    buffer.pop()


def test_clear() -> None:
    buffer = RingBuffer(3)
    buffer.extend([1])
    buffer.clear()
    buffer.is_full()
