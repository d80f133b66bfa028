"""Keyword subscriptions: a word a member typed, matched with Georgian endings like the topic terms."""

from __future__ import annotations

from functools import lru_cache

from alerts.topics import Matcher, Term, parse_pattern

__all__ = ["keyword_matcher", "keyword_pattern"]

_FINAL_VOWELS = "იაეოუ"


def keyword_pattern(keyword: str) -> str:
    """"ბავშვი" → "ბავშვ", "დახმარება" → "დახმარებ": nominative endings drop so every case matches.

    Non-Georgian words (an English keyword) are kept whole and matched exactly by the caller.
    """
    words = []
    for word in keyword.casefold().split():
        if len(word) > 4 and word[-1] in _FINAL_VOWELS:
            word = word[:-1]
        words.append(word)
    if not words:
        raise ValueError("a keyword cannot be empty")
    return " ".join(words)


@lru_cache(maxsize=1024)
def keyword_matcher(keyword: str) -> Matcher:
    return Matcher([Term("keyword", keyword, keyword, parse_pattern(keyword_pattern(keyword)))])
