"""Counts over plain text: words, sentences and a readability grade."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[A-Za-z']+")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def sentence_count(text: str) -> int:
    """Sentences end in `.`, `!` or `?` followed by a space or the end of the text; text
    that does not end in one still holds one more sentence."""
    count = len(_SENTENCE_END.findall(text))
    if text.strip() and not _SENTENCE_END.search(text.rstrip()[-1:] + " "):
        count += 1
    return count


def syllables(word: str) -> int:
    """An estimate: groups of vowels, less a silent final `e`, at least one."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_kincaid_grade(text: str) -> float:
    """The U.S. school grade the text reads at (Flesch-Kincaid); 0.0 for empty text.

    Longer sentences and longer words raise it: 0.39 per word per sentence, 11.8 per
    syllable per word, less 15.59. Short children's books score around 2, a newspaper
    around 10, and academic prose past 15.
    """
    found = words(text)
    if not found:
        return 0.0
    per_sentence = len(found) / max(sentence_count(text), 1)
    per_word = sum(syllables(word) for word in found) / len(found)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)


def most_common(text: str, count: int = 5, stop_words: frozenset[str] = frozenset()) -> list[str]:
    """The most frequent words of `text`, most frequent first.

    Args:
        text: any text; words are compared in lower case.
        count: how many words to give at most.
        stop_words: lower-case words not to count (`the`, `a`...).

    Returns:
        Up to `count` words; words as frequent as each other in alphabetical order.
    """
    counts = Counter(word for word in words(text) if word not in stop_words)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:count]]
