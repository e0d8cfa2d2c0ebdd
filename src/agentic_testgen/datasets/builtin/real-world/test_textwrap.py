import textwrap


def test_wrap_breaks_on_word_boundaries():
    assert textwrap.wrap("the quick brown fox", width=10) == ["the quick", "brown fox"]


def test_fill_joins_lines():
    assert textwrap.fill("a b c d", width=3) == "a b\nc d"


def test_dedent_removes_common_indentation():
    assert textwrap.dedent("    a\n      b\n") == "a\n  b\n"


def test_indent_prefixes_non_blank_lines():
    assert textwrap.indent("a\n\nb", "> ") == "> a\n\n> b"


def test_shorten_adds_placeholder():
    assert textwrap.shorten("Hello  world, this is long", width=15) == "Hello [...]"


def test_long_words_are_broken():
    assert textwrap.wrap("abcdefghij", width=4) == ["abcd", "efgh", "ij"]
