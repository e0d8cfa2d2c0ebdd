import pytest
from stack import Stack, StackEmptyError, StackFullError


def test_push_then_pop_returns_last_item():
    stack = Stack()
    stack.push(1)
    stack.push(2)
    assert stack.pop() == 2
    assert len(stack) == 1


def test_peek_does_not_remove():
    stack = Stack()
    stack.push("a")
    assert stack.peek() == "a"
    assert not stack.is_empty()


def test_pop_from_empty_raises():
    with pytest.raises(StackEmptyError):
        Stack().pop()


def test_full_stack_refuses_push():
    stack = Stack(capacity=1)
    stack.push(1)
    with pytest.raises(StackFullError):
        stack.push(2)


def test_capacity_must_be_positive():
    with pytest.raises(ValueError):
        Stack(capacity=0)
