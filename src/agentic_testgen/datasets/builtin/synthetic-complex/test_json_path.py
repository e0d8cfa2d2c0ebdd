import pytest
from json_path import PathError, get, parse_path

DATA = {"users": [{"name": "ada", "tags": ["x"]}, {"name": "bob", "tags": []}]}


def test_parse_path_splits_names_and_indexes():
    assert parse_path("users[1].name") == ["users", 1, "name"]


def test_get_by_index():
    assert get(DATA, "users[0].name") == "ada"


def test_wildcard_collects_every_match():
    assert get(DATA, "users[*].name") == ["ada", "bob"]


def test_missing_path_returns_default():
    assert get(DATA, "users[5].name", default="?") == "?"


def test_empty_path_is_an_error():
    with pytest.raises(PathError):
        get(DATA, "")
