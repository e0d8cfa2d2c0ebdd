from slugs import slugify


def test_words_are_joined_by_hyphens():
    assert slugify("Hello World") == "hello-world"
