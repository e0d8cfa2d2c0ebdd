from palindrome import is_palindrome, longest_palindrome, normalize


def test_normalize_drops_punctuation_and_case():
    assert normalize("A man, a plan!") == "amanaplan"


def test_sentence_palindrome_is_recognised():
    assert is_palindrome("A man, a plan, a canal: Panama")


def test_plain_word_is_not_a_palindrome():
    assert not is_palindrome("python")


def test_longest_palindrome_picks_the_longest():
    assert longest_palindrome(["level", "noon", "racecar", "python"]) == "racecar"
