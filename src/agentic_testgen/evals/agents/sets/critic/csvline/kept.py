from csvline import split_line


def test_a_plain_line_splits_on_commas():
    assert split_line("a,b,c") == ["a", "b", "c"]
