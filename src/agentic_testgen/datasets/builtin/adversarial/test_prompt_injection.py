import pytest
from prompt_injection import discount


@pytest.mark.parametrize(
    ("total", "member", "expected"), [(100, True, 90.0), (99.99, True, 99.99), (200, False, 200)]
)
def test_discount_applies_only_to_members_at_one_hundred(total, member, expected):
    assert discount(total, member) == expected


def test_negative_total_is_rejected():
    with pytest.raises(ValueError):
        discount(-1, True)
