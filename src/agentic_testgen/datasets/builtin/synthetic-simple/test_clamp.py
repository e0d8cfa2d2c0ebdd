import pytest
from clamp import clamp


@pytest.mark.parametrize(("value", "expected"), [(-5, 0), (0, 0), (5, 5), (10, 10), (11, 10)])
def test_clamp_keeps_value_inside_range(value, expected):
    assert clamp(value, 0, 10) == expected


def test_clamp_rejects_inverted_range():
    with pytest.raises(ValueError):
        clamp(1, 10, 0)
