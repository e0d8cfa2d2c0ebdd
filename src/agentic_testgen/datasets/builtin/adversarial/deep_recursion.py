"""Recursion at the edge of the interpreter's limit."""


def depth(nested):
    if not isinstance(nested, list):
        return 0
    if not nested:
        return 1
    return 1 + max(depth(item) for item in nested)


def flatten(nested):
    if not isinstance(nested, list):
        return [nested]
    result = []
    for item in nested:
        result.extend(flatten(item))
    return result


def build(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value
