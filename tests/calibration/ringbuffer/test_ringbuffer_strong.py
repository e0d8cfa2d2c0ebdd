"""Strong tests for the ring buffer: order, overwriting, counts and empty reads."""

import pytest
from ringbuffer import EmptyBufferError, RingBuffer


@pytest.mark.parametrize("capacity", [0, -3])
def test_capacity_must_be_at_least_one(capacity: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RingBuffer(capacity)


def test_items_come_out_in_the_order_they_went_in() -> None:
    buffer: RingBuffer[int] = RingBuffer(3)
    buffer.extend([1, 2])
    assert len(buffer) == 2
    assert not buffer.is_full()
    assert buffer.peek() == 1
    assert buffer.pop() == 1
    assert buffer.pop() == 2
    assert len(buffer) == 0


def test_a_full_buffer_drops_its_oldest_item() -> None:
    buffer: RingBuffer[str] = RingBuffer(3)
    buffer.extend(list("abcde"))
    assert buffer.is_full()
    assert list(buffer) == ["c", "d", "e"]
    assert buffer.dropped == 2
    assert len(buffer) == 3


def test_wrapping_around_keeps_the_order() -> None:
    buffer: RingBuffer[int] = RingBuffer(2)
    buffer.push(1)
    buffer.push(2)
    assert buffer.pop() == 1
    buffer.push(3)
    assert list(buffer) == [2, 3]
    assert buffer.dropped == 0
    buffer.push(4)
    assert [buffer.pop(), buffer.pop()] == [3, 4]


def test_a_capacity_of_one_keeps_the_last_item() -> None:
    buffer: RingBuffer[int] = RingBuffer(1)
    buffer.extend([7, 8, 9])
    assert list(buffer) == [9]
    assert buffer.dropped == 2


def test_empty_reads_raise() -> None:
    buffer: RingBuffer[int] = RingBuffer(2)
    with pytest.raises(EmptyBufferError, match="pop from an empty buffer"):
        buffer.pop()
    with pytest.raises(EmptyBufferError, match="peek at an empty buffer"):
        buffer.peek()


def test_clear_empties_but_keeps_the_capacity() -> None:
    buffer: RingBuffer[int] = RingBuffer(2)
    buffer.extend([1, 2, 3])
    buffer.clear()
    assert len(buffer) == 0
    assert list(buffer) == []
    buffer.extend([4, 5])
    assert list(buffer) == [4, 5]
    assert buffer.capacity == 2
