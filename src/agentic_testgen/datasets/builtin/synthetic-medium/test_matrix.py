import pytest
from matrix import determinant, identity, multiply, shape, transpose


def test_transpose_swaps_rows_and_columns():
    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]


def test_multiply_by_identity_is_unchanged():
    m = [[1, 2], [3, 4]]
    assert multiply(m, identity(2)) == m


def test_determinant_of_three_by_three():
    assert determinant([[2, 0, 1], [1, 3, 2], [1, 1, 2]]) == 6


def test_ragged_matrix_is_rejected():
    with pytest.raises(ValueError):
        shape([[1, 2], [3]])
