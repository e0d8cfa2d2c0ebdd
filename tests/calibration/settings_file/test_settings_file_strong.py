"""Strong tests for settings files: typed values, sections, comments and each error's line."""

import pytest
from settings_file import MissingKeyError, SettingsError, convert, parse, require


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True), ("Yes", True), ("on", True), ("false", False), ("NO", False),
        ("off", False), ("42", 42), ("-7", -7), ("2.5", 2.5), ('"42"', "42"), ("'x'", "x"),
        ("hello", "hello"), ('"', '"'), ("", ""),
    ],
)  # fmt: skip
def test_convert_reads_typed_values(raw: str, value: object) -> None:
    assert convert(raw) == value
    assert type(convert(raw)) is type(value)


def test_parse_reads_sections_comments_and_the_top_section() -> None:
    text = "name = demo  # the name\n\n[server]\nport = 8080\ndebug = off\n[ db ]\nurl='x=1'\n"
    assert parse(text) == {
        "": {"name": "demo"},
        "server": {"port": 8080, "debug": False},
        "db": {"url": "x=1"},
    }
    assert parse("") == {"": {}}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[open", 1, "bad section header"),
        ("a = 1\n[]", 2, "bad section header"),
        ("[s]\n[s]", 2, "section 's' repeated"),
        ("\njust words", 2, "expected key = value"),
        ("= 3", 1, "expected key = value"),
        ("a = 1\na = 2", 2, "key 'a' repeated"),
    ],
)
def test_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as error:
        parse(text)
    assert error.value.line_number == line
    assert str(error.value).startswith(f"line {line}: ")


def test_the_same_key_may_appear_in_two_sections() -> None:
    assert parse("[a]\nx = 1\n[b]\nx = 2")["b"]["x"] == 2


def test_require_finds_values_by_path() -> None:
    sections = parse("top = 1\n[server]\nport = 80")
    assert require(sections, "server.port") == 80
    assert require(sections, "top") == 1


@pytest.mark.parametrize("path", ["server.host", "nowhere.port", "missing"])
def test_require_names_a_missing_path(path: str) -> None:
    sections = parse("[server]\nport = 80")
    with pytest.raises(MissingKeyError) as error:
        require(sections, path)
    assert error.value.args == (path,)
