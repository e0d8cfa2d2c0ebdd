"""A bounded stack."""


class StackEmptyError(Exception):
    pass


class StackFullError(Exception):
    pass


class Stack:
    def __init__(self, capacity=None):
        if capacity is not None and capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._items = []

    def push(self, item):
        if self.capacity is not None and len(self._items) >= self.capacity:
            raise StackFullError(item)
        self._items.append(item)

    def pop(self):
        if not self._items:
            raise StackEmptyError("pop from empty stack")
        return self._items.pop()

    def peek(self):
        if not self._items:
            raise StackEmptyError("peek at empty stack")
        return self._items[-1]

    def __len__(self):
        return len(self._items)

    def is_empty(self):
        return not self._items
