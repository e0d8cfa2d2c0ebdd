from word_count import count_words, most_common, words


def test_words_are_lowercased_and_split_on_punctuation():
    assert words("Hello, world! Hello.") == ["hello", "world", "hello"]


def test_count_words():
    assert count_words("a b a") == {"a": 2, "b": 1}


def test_most_common_breaks_ties_alphabetically():
    assert most_common("b a b a c", 2) == [("a", 2), ("b", 2)]
