"""Word frequencies."""

import re

WORD = re.compile(r"[a-z']+")


def words(text):
    return WORD.findall(text.lower())


def count_words(text):
    counts = {}
    for word in words(text):
        counts[word] = counts.get(word, 0) + 1
    return counts


def most_common(text, n=1):
    counts = count_words(text)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]
