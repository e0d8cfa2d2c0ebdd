from vowels import count_vowels, strip_vowels


def test_count_vowels_ignores_case():
    assert count_vowels("Education") == 5


def test_strip_vowels_keeps_consonants():
    assert strip_vowels("Banana") == "Bnn"
