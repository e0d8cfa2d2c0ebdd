import string

import pytest


def test_template_substitutes_placeholders():
    assert string.Template("$who likes ${what}").substitute(who="ada", what="tea") == "ada likes tea"


def test_safe_substitute_keeps_missing_placeholders():
    assert string.Template("$a and $b").safe_substitute(a=1) == "1 and $b"


def test_missing_placeholder_raises_key_error():
    with pytest.raises(KeyError):
        string.Template("$x").substitute()


def test_capwords():
    assert string.capwords("hello   big world") == "Hello Big World"


def test_formatter_formats_like_str_format():
    assert string.Formatter().format("{0}-{name}", 1, name="x") == "1-x"
