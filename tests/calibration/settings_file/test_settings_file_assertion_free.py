"""Tests for settings files that parse and check nothing."""

from settings_file import convert, parse, require


def test_parse_file() -> None:
    sections = parse("a = 1\n[s]\nb = yes\nc = 'q'\n# note\n")
    require(sections, "s.b")


def test_convert_values() -> None:
    for raw in ["true", "off", "3", "2.5", "x"]:
        convert(raw)


def test_errors() -> None:
    for text in ["[x", "novalue", "a=1\na=2"]:
        try:
            parse(text)
        except Exception:
            pass
