import fnmatch


def test_star_and_question_mark():
    assert fnmatch.fnmatchcase("data_01.csv", "data_??.csv")
    assert not fnmatch.fnmatchcase("data_1.csv", "data_??.csv")


def test_character_classes_and_negation():
    assert fnmatch.fnmatchcase("b.txt", "[abc].txt")
    assert not fnmatch.fnmatchcase("d.txt", "[abc].txt")
    assert fnmatch.fnmatchcase("d.txt", "[!abc].txt")


def test_filter_keeps_matching_names():
    assert fnmatch.filter(["a.py", "b.txt", "c.py"], "*.py") == ["a.py", "c.py"]


def test_translate_gives_a_regex():
    assert fnmatch.translate("*.py").endswith("\\Z")
