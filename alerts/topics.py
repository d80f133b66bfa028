"""The social-sector topic taxonomy (data/topics/) and a matcher for all of it in one pass.

    taxonomy = load_taxonomy()
    for hit in taxonomy.matcher.find("მინდობით აღმზრდელის უფლებები"):
        print(hit.topic, hit.term_ka, hit.start, hit.end)

Cost grows with the text, not with the number of topics: each word is looked up once in an
index of stems, with at most MAX_ENDING candidate splits.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vocabulary.georgian_words import ENDINGS, MAX_ENDING, tokens

__all__ = ["Hit", "Matcher", "Taxonomy", "Term", "Topic", "load_taxonomy"]

TOPICS_DIR = Path(__file__).resolve().parents[1] / "data" / "topics"


@dataclass(frozen=True)
class Term:
    topic: str
    ka: str
    en: str
    words: tuple[tuple[tuple[str, ...], bool], ...]  # per word: (alternative stems, exact?)


@dataclass(frozen=True)
class Topic:
    slug: str
    name_ka: str
    name_en: str
    terms: tuple[Term, ...] = field(default=())
    # What the topic covers and what it does not, for the reader choosing it (the subscribe form, `kanoni topics`).
    description_ka: str = ""
    description_en: str = ""

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_ka

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_ka


@dataclass(frozen=True)
class Hit:
    topic: str
    term_ka: str
    start: int
    end: int

    def snippet(self, text: str, width: int = 60) -> str:
        """The matched words with some context, for the evidence shown beside a tag."""
        left = max(0, self.start - width)
        right = min(len(text), self.end + width)
        prefix = "…" if left else ""
        suffix = "…" if right < len(text) else ""
        return prefix + " ".join(text[left:right].split()) + suffix


def parse_pattern(pattern: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """"მინდობით= აღმზრდელ|აღმზრდლ" → ((("მინდობით",), True), (("აღმზრდელ", "აღმზრდლ"), False))."""
    words = []
    for word in pattern.split():
        exact = word.endswith("=")
        alternatives = tuple(a.casefold() for a in word.rstrip("=").split("|") if a)
        if not alternatives:
            raise ValueError(f"empty word in pattern {pattern!r}")
        words.append((alternatives, exact))
    if not words:
        raise ValueError("empty pattern")
    return tuple(words)


class Matcher:
    """Finds every term of a taxonomy in a text, in one pass over its words."""

    def __init__(self, terms: list[Term]):
        self.terms = terms
        # stem → [(term index, word position, exact)]
        self._index: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        for term_no, term in enumerate(terms):
            for position, (alternatives, exact) in enumerate(term.words):
                for stem in alternatives:
                    self._index[stem].append((term_no, position, exact))

    def _word_matches(self, word: str) -> set[tuple[int, int]]:
        found = set()
        for cut in range(len(word), max(0, len(word) - MAX_ENDING) - 1, -1):
            entries = self._index.get(word[:cut])
            if not entries:
                continue
            ending = word[cut:]
            for term_no, position, exact in entries:
                if (ending == "") if exact else (ending in ENDINGS):
                    found.add((term_no, position))
        return found

    def find(self, text: str) -> list[Hit]:
        """Every occurrence of every term, in text order (overlaps kept: each is evidence)."""
        hits: list[Hit] = []
        # partial[(term, next position)] = start offset of the match in progress
        partial: dict[tuple[int, int], int] = {}
        for start, end, word in tokens(text):
            matches = self._word_matches(word)
            advanced: dict[tuple[int, int], int] = {}
            for term_no, position in matches:
                if position == 0:
                    begin = start
                elif (term_no, position) in partial:
                    begin = partial[(term_no, position)]
                else:
                    continue
                term = self.terms[term_no]
                if position + 1 == len(term.words):
                    hits.append(Hit(term.topic, term.ka, begin, end))
                else:
                    advanced[(term_no, position + 1)] = begin
            partial = advanced  # multi-word terms need consecutive words
        return hits

    def topics(self, text: str) -> set[str]:
        return {hit.topic for hit in self.find(text)}


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    matcher: Matcher

    def topic(self, slug: str) -> Topic | None:
        return next((t for t in self.topics if t.slug == slug), None)


def _rows(path: Path):
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#"):
                yield row


def build_taxonomy(topic_rows, term_rows) -> Taxonomy:
    """Topic rows are (slug, name_ka, name_en[, description_ka, description_en]); term rows (slug, ka, en, pattern)."""
    names: dict[str, tuple[str, str]] = {}
    descriptions: dict[str, tuple[str, str]] = {}
    for row in topic_rows:
        if len(row) not in (3, 5):
            raise ValueError(f"topic row {row[:1]!r}: 3 or 5 fields expected, {len(row)} found")
        slug, ka, en = row[:3]
        names[slug] = (ka, en)
        descriptions[slug] = (row[3], row[4]) if len(row) == 5 else ("", "")
    by_topic: dict[str, list[Term]] = defaultdict(list)
    for slug, ka, en, pattern in term_rows:
        if slug not in names:
            raise ValueError(f"term {ka!r} names unknown topic {slug!r}")
        by_topic[slug].append(Term(slug, ka, en, parse_pattern(pattern)))
    topics = tuple(Topic(slug, ka, en, tuple(by_topic[slug]), *descriptions[slug]) for slug, (ka, en) in names.items())
    return Taxonomy(topics, Matcher([term for topic in topics for term in topic.terms]))


@lru_cache(maxsize=1)
def load_taxonomy(directory: Path = TOPICS_DIR) -> Taxonomy:
    """The curated taxonomy shipped in data/topics/."""
    return build_taxonomy(_rows(directory / "topics.tsv"), _rows(directory / "terms.tsv"))
