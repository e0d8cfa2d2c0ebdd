import pytest
from chunk import chunk, flatten


def test_chunk_keeps_a_short_last_piece():
    assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]


def test_chunk_of_empty_list_is_empty():
    assert chunk([], 3) == []


def test_flatten_undoes_chunk():
    assert flatten(chunk(list(range(7)), 3)) == list(range(7))


def test_zero_size_is_rejected():
    with pytest.raises(ValueError):
        chunk([1], 0)
