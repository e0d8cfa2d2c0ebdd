import pytest
from tokenizer import TokenizeError, join, split


def test_split_on_whitespace():
    assert split("ls -la  /tmp") == ["ls", "-la", "/tmp"]


def test_quotes_group_words_and_keep_empty_strings():
    assert split("echo 'a b' \"\" c") == ["echo", "a b", "", "c"]


def test_backslash_escapes_a_space():
    assert split(r"touch my\ file") == ["touch", "my file"]


@pytest.mark.parametrize("line", ["echo 'open", "trailing \\"])
def test_malformed_lines_raise(line):
    with pytest.raises(TokenizeError):
        split(line)


def test_join_quotes_what_needs_quoting():
    assert join(["echo", "a b"]) == "echo 'a b'"
