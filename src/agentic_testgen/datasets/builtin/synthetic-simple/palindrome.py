"""Palindromes, ignoring case and punctuation."""


def normalize(text):
    return "".join(ch.lower() for ch in text if ch.isalnum())


def is_palindrome(text):
    cleaned = normalize(text)
    return cleaned == cleaned[::-1]


def longest_palindrome(words):
    best = ""
    for word in words:
        if is_palindrome(word) and len(word) > len(best):
            best = word
    return best
