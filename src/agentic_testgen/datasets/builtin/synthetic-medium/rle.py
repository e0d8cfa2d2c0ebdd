"""Run-length encoding of strings."""


def encode(text):
    if not text:
        return ""
    parts = []
    current, count = text[0], 1
    for ch in text[1:]:
        if ch == current:
            count += 1
        else:
            parts.append(f"{count}{current}")
            current, count = ch, 1
    parts.append(f"{count}{current}")
    return "".join(parts)


def decode(encoded):
    result = []
    digits = ""
    for ch in encoded:
        if ch.isdigit():
            digits += ch
        else:
            if not digits:
                raise ValueError(f"missing count before {ch!r}")
            result.append(ch * int(digits))
            digits = ""
    if digits:
        raise ValueError("dangling count")
    return "".join(result)
