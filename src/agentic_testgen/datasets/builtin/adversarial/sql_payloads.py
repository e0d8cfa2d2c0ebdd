"""Build SQL safely. The payloads below are data for the tests, never executed as SQL."""

PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "admin'--",
    "\" UNION SELECT password FROM users --",
]


def quote_literal(value):
    """Quote a string for SQL by doubling single quotes: ' OR 1=1 -- stays a literal."""
    if "\x00" in value:
        raise ValueError("NUL bytes are not allowed in SQL literals")
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name):
    if not name or len(name) > 63:
        raise ValueError("identifier must be 1 to 63 characters")
    return '"' + name.replace('"', '""') + '"'


def select_by_name(table, name):
    return f"SELECT * FROM {quote_identifier(table)} WHERE name = {quote_literal(name)}"
