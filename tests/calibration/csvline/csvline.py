"""Split one line of comma-separated values, with quoted fields and doubled quotes."""

from __future__ import annotations


class CsvError(ValueError):
    """The line is not valid CSV; `column` is where reading stopped."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at column {column}")
        self.column = column


def split_line(line: str, delimiter: str = ",") -> list[str]:
    """Fields of `line`; a quoted field may hold the delimiter and doubled quotes."""
    if len(delimiter) != 1 or delimiter == '"':
        raise ValueError("delimiter must be one character other than a quote")
    fields: list[str] = []
    field: list[str] = []
    i = 0
    quoted = False
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if i + 1 < len(line) and line[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    quoted = False
                    if i + 1 < len(line) and line[i + 1] != delimiter:
                        raise CsvError("text after closing quote", i + 1)
            else:
                field.append(char)
        elif char == '"' and not field:
            quoted = True
        elif char == delimiter:
            fields.append("".join(field))
            field = []
        else:
            field.append(char)
        i += 1
    if quoted:
        raise CsvError("unclosed quote", len(line))
    fields.append("".join(field))
    return fields


def join_line(fields: list[str], delimiter: str = ",") -> str:
    """The inverse of `split_line`: quote fields that need it."""
    out = []
    for field in fields:
        if delimiter in field or '"' in field or field != field.strip():
            out.append('"' + field.replace('"', '""') + '"')
        else:
            out.append(field)
    return delimiter.join(out)


def to_records(lines: list[str]) -> list[dict[str, str]]:
    """The first line names the columns; each other line becomes a dict."""
    if not lines:
        return []
    header = split_line(lines[0])
    records = []
    for number, line in enumerate(lines[1:], start=2):
        values = split_line(line)
        if len(values) != len(header):
            raise CsvError(f"line {number} has {len(values)} fields, expected {len(header)}", 0)
        records.append(dict(zip(header, values)))
    return records
