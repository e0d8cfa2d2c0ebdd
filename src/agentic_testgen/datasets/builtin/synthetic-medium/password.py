"""Password strength rules."""

import string


def problems(password, min_length=8):
    found = []
    if len(password) < min_length:
        found.append(f"shorter than {min_length} characters")
    if not any(ch.islower() for ch in password):
        found.append("no lowercase letter")
    if not any(ch.isupper() for ch in password):
        found.append("no uppercase letter")
    if not any(ch.isdigit() for ch in password):
        found.append("no digit")
    if not any(ch in string.punctuation for ch in password):
        found.append("no symbol")
    if password.lower() in {"password", "letmein", "qwerty123"}:
        found.append("too common")
    return found


def strength(password):
    count = len(problems(password))
    if count == 0:
        return "strong"
    if count <= 2:
        return "medium"
    return "weak"
