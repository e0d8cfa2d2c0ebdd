"""Unicode identifiers and text: ümlauts, CJK, emoji, right-to-left marks."""


def größe(text):
    """Length in code points, not bytes."""
    return len(text)


def 反转(text):
    return text[::-1]


def strip_bidi(text):
    controls = {"\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}
    return "".join(ch for ch in text if ch not in controls)


def initials(name):
    parts = name.split()
    if not parts:
        raise ValueError("empty name")
    return "".join(part[0].upper() for part in parts)
