import shlex

import pytest


def test_split_honours_quotes():
    assert shlex.split("cp 'my file' \"other file\"") == ["cp", "my file", "other file"]


def test_quote_makes_strings_safe():
    assert shlex.quote("a b") == "'a b'"
    assert shlex.quote("safe") == "safe"


def test_join_round_trips_through_split():
    words = ["echo", "it's", "a test"]
    assert shlex.split(shlex.join(words)) == words


def test_comments_are_dropped_when_asked():
    assert shlex.split("ls # list", comments=True) == ["ls"]


def test_unclosed_quote_raises():
    with pytest.raises(ValueError):
        shlex.split("echo 'open")
