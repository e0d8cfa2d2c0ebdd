"""Split sequences into fixed-size pieces."""


def chunk(items, size):
    if size <= 0:
        raise ValueError("size must be positive")
    return [items[i : i + size] for i in range(0, len(items), size)]


def flatten(chunks):
    result = []
    for piece in chunks:
        result.extend(piece)
    return result
