import pytest
from rle import decode, encode


def test_encode_counts_runs():
    assert encode("aaabcc") == "3a1b2c"


def test_round_trip():
    text = "wwwwwwwwwwwwbbbx"
    assert decode(encode(text)) == text


def test_empty_text_encodes_to_empty():
    assert encode("") == ""


@pytest.mark.parametrize("bad", ["a", "3"])
def test_malformed_input_is_rejected(bad):
    with pytest.raises(ValueError):
        decode(bad)
