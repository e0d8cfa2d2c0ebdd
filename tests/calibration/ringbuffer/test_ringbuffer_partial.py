"""Partial tests for the ring buffer: push and pop without overflow."""

from ringbuffer import RingBuffer


def test_push_then_pop() -> None:
    buffer = RingBuffer(4)
    buffer.push("a")
    assert buffer.pop() == "a"


def test_length_counts_pushes() -> None:
    buffer = RingBuffer(4)
    buffer.push(1)
    buffer.push(2)
    assert len(buffer) == 2
