import pytest
from unicode_names import größe, initials, strip_bidi, 反转


def test_length_counts_code_points():
    assert größe("naïve 🐍") == 7


def test_reverse_cjk():
    assert 反转("日本語") == "語本日"


def test_bidi_controls_are_removed():
    assert strip_bidi("abc\u202edcba") == "abcdcba"


def test_initials_of_accented_names():
    assert initials("émile zola") == "ÉZ"


def test_empty_name_is_rejected():
    with pytest.raises(ValueError):
        initials("   ")
