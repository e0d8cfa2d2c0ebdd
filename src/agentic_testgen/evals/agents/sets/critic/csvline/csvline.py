"""Split one line of comma-separated values, with quoted fields, into fields and records."""

from __future__ import annotations


class ParseError(ValueError):
    """A line that is not well formed; the message says where."""


def split_line(line: str, sep: str = ",") -> list[str]:
    """The fields of `line`. A field in double quotes may hold `sep`; in it `""` stands for `"`."""
    fields: list[str] = []
    field: list[str] = []
    quoted = False
    i = 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    quoted = False
            else:
                field.append(char)
        elif char == '"':
            if field:
                raise ParseError(f"quote inside an unquoted field at column {i + 1}")
            quoted = True
        elif char == sep:
            fields.append("".join(field))
            field = []
        else:
            field.append(char)
        i += 1
    if quoted:
        raise ParseError("unterminated quoted field")
    fields.append("".join(field))
    return fields


def parse_record(line: str, names: list[str], sep: str = ",") -> dict[str, str]:
    """The fields of `line` by name; the line must hold exactly one field per name."""
    values = split_line(line, sep)
    if len(values) != len(names):
        raise ParseError(f"expected {len(names)} fields, found {len(values)}")
    return dict(zip(names, values, strict=True))
