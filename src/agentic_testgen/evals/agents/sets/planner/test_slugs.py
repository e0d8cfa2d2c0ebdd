from slugs import slugify, unique_slug


def test_words_are_joined_by_dashes():
    assert slugify("Hello, World!") == "hello-world"


def test_accents_are_dropped():
    assert slugify("Crème Brûlée") == "creme-brulee"


def test_a_short_slug_is_not_cut():
    assert slugify("short", max_length=20) == "short"


def test_a_free_slug_is_kept():
    assert unique_slug("Release notes", {"changelog"}) == "release-notes"


def test_a_taken_slug_is_numbered():
    assert unique_slug("Release notes", {"release-notes"}) == "release-notes-2"
