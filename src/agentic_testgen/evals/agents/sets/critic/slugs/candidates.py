import subprocess
from pathlib import Path

from slugs import MAX_LENGTH, slugify, unique_slug


def test_accents_are_dropped():
    assert slugify("Crème Brûlée") == "creme-brulee"


def test_german_sharp_s_is_transliterated():
    assert slugify("Große Straße") == "grosse-strasse"


def test_punctuation_becomes_one_hyphen():
    slug = slugify("Rock & Roll -- Live!")
    slug == "rock-roll-live"


def test_a_long_title_is_cut_at_a_word_boundary():
    title = "the quick brown fox jumps over the lazy dog " * 3
    assert slugify(title, max_length=20) == "the-quick-brown-fox"


def test_slugs_are_short_enough_for_urls():
    assert 20 <= MAX_LENGTH <= 80


def test_titles_deduplicate_to_their_slugs():
    titles = ["Release Notes", "release notes!", "Roadmap"]
    assert ", ".join({slugify(title) for title in titles}) == "release-notes, roadmap"


def test_a_free_slug_is_used_as_is():
    assert unique_slug("Pricing", {"about", "blog"}) == "pricing"


def test_a_taken_slug_gets_the_next_number():
    assert unique_slug("Blog", {"blog", "blog-2"}) == "blog-3"


def test_slugs_match_iconv():
    expected = subprocess.run(
        ["iconv", "-f", "utf-8", "-t", "ascii//TRANSLIT"],
        input="Crème",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert slugify("Crème") == expected.lower()


def test_slugs_of_the_catalogue_are_unique():
    catalogue = Path(__file__).with_name("conftest.py")
    catalogue.write_text("collect_ignore = ['test_slugs.py']\n")
    slugs = [slugify(name) for name in ("Chairs", "Tables", "Lamps")]
    assert len(set(slugs)) == 3
