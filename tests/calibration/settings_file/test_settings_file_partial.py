"""Partial tests for settings files: one well-formed file."""

from settings_file import parse


def test_parse_reads_a_section() -> None:
    sections = parse("[server]\nport = 8080")
    assert sections["server"]["port"] == 8080


def test_parse_reads_a_top_level_key() -> None:
    assert "name" in parse("name = demo")[""]
