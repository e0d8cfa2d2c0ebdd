"""Read `key = value` settings with sections, typed values and errors that name the line."""

from __future__ import annotations


class SettingsError(Exception):
    """A line that cannot be read; carries its number."""

    def __init__(self, line_number: int, message: str) -> None:
        super().__init__(f"line {line_number}: {message}")
        self.line_number = line_number


class MissingKeyError(KeyError):
    """A required key is absent."""


def convert(raw: str) -> bool | int | float | str:
    """true/false, integers, floats, quoted or bare strings."""
    lowered = raw.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        return raw


def parse(text: str) -> dict[str, dict[str, bool | int | float | str]]:
    """Sections of settings; keys before any `[section]` go in the "" section."""
    sections: dict[str, dict[str, bool | int | float | str]] = {"": {}}
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]") or len(stripped) == 2:
                raise SettingsError(number, f"bad section header {stripped!r}")
            current = stripped[1:-1].strip()
            if current in sections:
                raise SettingsError(number, f"section {current!r} repeated")
            sections[current] = {}
            continue
        key, equals, value = stripped.partition("=")
        if not equals or not key.strip():
            raise SettingsError(number, "expected key = value")
        key = key.strip()
        if key in sections[current]:
            raise SettingsError(number, f"key {key!r} repeated")
        sections[current][key] = convert(value.strip())
    return sections


def require(sections: dict[str, dict[str, bool | int | float | str]], path: str) -> object:
    """The value at 'section.key' (or 'key' for the top section)."""
    section, _, key = path.rpartition(".")
    try:
        return sections[section][key]
    except KeyError:
        raise MissingKeyError(path) from None
