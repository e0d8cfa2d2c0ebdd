import pytest
from deep_recursion import build, depth, flatten


def test_depth_of_nested_lists():
    assert depth([1, [2, [3]]]) == 3
    assert depth(5) == 0


def test_flatten_keeps_order():
    assert flatten([1, [2, [3, [4]]], 5]) == [1, 2, 3, 4, 5]


def test_too_deep_input_raises_recursion_error():
    with pytest.raises(RecursionError):
        depth(build(100_000))
