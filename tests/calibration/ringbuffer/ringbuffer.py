"""A bounded first-in first-out buffer that overwrites its oldest item when full."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class EmptyBufferError(IndexError):
    """Read from an empty buffer."""


class RingBuffer(Generic[T]):
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._items: list[T | None] = [None] * capacity
        self._start = 0
        self._size = 0
        self.dropped = 0

    def push(self, item: T) -> None:
        end = (self._start + self._size) % self.capacity
        self._items[end] = item
        if self._size == self.capacity:
            self._start = (self._start + 1) % self.capacity
            self.dropped += 1
        else:
            self._size += 1

    def pop(self) -> T:
        if not self._size:
            raise EmptyBufferError("pop from an empty buffer")
        item = self._items[self._start]
        self._items[self._start] = None
        self._start = (self._start + 1) % self.capacity
        self._size -= 1
        return item  # type: ignore[return-value]

    def peek(self) -> T:
        if not self._size:
            raise EmptyBufferError("peek at an empty buffer")
        return self._items[self._start]  # type: ignore[return-value]

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[T]:
        for offset in range(self._size):
            yield self._items[(self._start + offset) % self.capacity]  # type: ignore[misc]

    def is_full(self) -> bool:
        return self._size == self.capacity

    def extend(self, items: list[T]) -> None:
        for item in items:
            self.push(item)

    def clear(self) -> None:
        self._items = [None] * self.capacity
        self._start = self._size = 0
