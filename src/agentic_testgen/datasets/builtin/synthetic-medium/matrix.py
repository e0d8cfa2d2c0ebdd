"""Small dense matrices as lists of rows."""


def shape(matrix):
    rows = len(matrix)
    cols = len(matrix[0]) if rows else 0
    if any(len(row) != cols for row in matrix):
        raise ValueError("ragged matrix")
    return rows, cols


def transpose(matrix):
    rows, cols = shape(matrix)
    return [[matrix[r][c] for r in range(rows)] for c in range(cols)]


def multiply(left, right):
    rows, inner = shape(left)
    inner_right, cols = shape(right)
    if inner != inner_right:
        raise ValueError("shapes do not align")
    return [
        [sum(left[r][k] * right[k][c] for k in range(inner)) for c in range(cols)]
        for r in range(rows)
    ]


def identity(size):
    return [[1 if r == c else 0 for c in range(size)] for r in range(size)]


def determinant(matrix):
    rows, cols = shape(matrix)
    if rows != cols:
        raise ValueError("not square")
    if rows == 1:
        return matrix[0][0]
    if rows == 2:
        return matrix[0][0] * matrix[1][1] - matrix[0][1] * matrix[1][0]
    total = 0
    for c in range(cols):
        minor = [row[:c] + row[c + 1 :] for row in matrix[1:]]
        total += (-1) ** c * matrix[0][c] * determinant(minor)
    return total
