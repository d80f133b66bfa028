"""Where an act's own defined terms occur in its text: pure, no database, no HTML.

    marker = TermMarker(definitions_of_units(units))       # the terms one version of an act defines
    for start, end, found in marker.spans(line, unit="4"):  # found: the FoundDefinition the words name
        ...

A term occurs in any inflected form, word by word: "ბენეფიციარების" is ბენეფიციარი, "მინდობით აღმზრდელის" is
მინდობით აღმზრდელი (each word's stems meet, vocabulary.georgian_words.stems, as the guidebook's search
matches terms), only as whole words ("პირველი" is not პირი), the words of a term next to one another with
nothing but spaces between them. Where two terms start on one word the longer wins ("სოციალური დახმარება"
before "დახმარება"). The item that defines a term does not mark it: a line of the defining unit that holds
the definition's text is left as it is for that term.

Cheap on a long act: the terms are indexed by their first word's stems, a regular expression finds the words
that may start one (the terms a word may start are kept per word), and a word's stems are cached. A page marks a term once per
article (`seen`): the Tax Code uses პირი some 1,400 times.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from diffing.definitions import FoundDefinition
from vocabulary.georgian_words import stems

__all__ = ["TermMarker", "term_words"]

_WORD = re.compile(r"[^\W\d_]+")
_GEORGIAN = re.compile(r"[ა-ჰ]+")
_GAP = re.compile(r"\s+")
MIN_LETTERS = 3  # a term shorter than this ("ა", "ბბ") would mark noise
_SKIP_PREFIX = 40  # how much of a definition's text tells its own line


@lru_cache(maxsize=65536)
def _stems(word: str) -> frozenset[str]:
    return stems(word) if _GEORGIAN.fullmatch(word) else frozenset((word,))


def term_words(term: str) -> tuple[frozenset[str], ...]:
    """Each word of a term as the set of stems it may be an inflection of (a word in other letters: itself)."""
    return tuple(_stems(word) for word in _WORD.findall(term.casefold()))


def _fingerprint(text: str) -> str:
    return " ".join(text.split())[:_SKIP_PREFIX]


@dataclass(frozen=True)
class _Term:
    words: tuple[frozenset[str], ...]
    found: FoundDefinition
    order: int
    own_line: str  # the start of its definition's text: a line holding it (in its unit) is its own item


class TermMarker:
    """The terms of `definitions` (one per base form: the first given), to find in a text."""

    def __init__(self, definitions: Iterable[FoundDefinition]) -> None:
        self._first: dict[str, list[_Term]] = {}
        self._candidates: dict[str, tuple[_Term, ...]] = {}
        self._compiled: re.Pattern[str] | None = None
        seen: set[str] = set()
        for found in definitions:
            words = term_words(found.term)
            if found.base_form in seen or not words or sum(map(len, _WORD.findall(found.term))) < MIN_LETTERS:
                continue
            seen.add(found.base_form)
            term = _Term(words, found, len(seen), _fingerprint(found.text))
            for stem in words[0]:
                self._first.setdefault(stem, []).append(term)
        self.terms = len(seen)

    def __bool__(self) -> bool:
        return bool(self._first)

    def _starting(self, word: str) -> tuple[_Term, ...]:
        """The terms whose first word `word` may be a form of, longest first (then in the order given)."""
        found = self._candidates.get(word)
        if found is None:
            terms = {id(term): term for stem in _stems(word) for term in self._first.get(stem, ())}
            found = self._candidates[word] = tuple(sorted(terms.values(), key=lambda t: (-len(t.words), t.order)))
        return found

    def _pattern(self) -> re.Pattern[str]:
        """A word that starts with one of the terms' first stems: where a term may be (found by the regex engine,
        so the words no term starts with cost next to nothing)."""
        if self._compiled is None:
            # Case is folded by hand, not by the engine (IGNORECASE makes it test every letter twice): Georgian
            # has none to speak of, a Latin stem is looked for as written, in capitals and capitalised.
            variants = {form for stem in self._first
                        for form in ((stem,) if _GEORGIAN.fullmatch(stem) else (stem, stem.upper(), stem.capitalize()))}
            self._compiled = re.compile(r"(?<![^\W\d_])" + _trie(sorted(variants)) + r"[^\W\d_]*")
        return self._compiled

    def spans(self, text: str, *, unit: str | None = None, seen: set[str] | None = None
              ) -> list[tuple[int, int, FoundDefinition]]:
        """(start, end, definition) of each term's occurrence in `text`, in order, none overlapping. `unit`: the
        key of the unit the text belongs to (an article's "4"), so a definition's own item is left unmarked.
        `seen`: the base forms already marked (say, earlier in the article), not marked again; updated."""
        if not self._first or not text:
            return []
        out: list[tuple[int, int, FoundDefinition]] = []
        flat: str | None = None
        pattern = self._pattern()
        position = 0
        while (match := pattern.search(text, position)) is not None:
            best: tuple[_Term, int] | None = None
            for term in self._starting(match.group().casefold()):
                end = _ends(text, match.end(), term.words[1:])
                if end < 0:
                    continue
                if unit is not None and unit == term.found.unit and term.own_line:
                    flat = " ".join(text.split()) if flat is None else flat
                    if term.own_line in flat:
                        continue  # the definition's own item
                best = (term, end)
                break
            if best is None:
                position = match.end()
                continue
            term, end = best
            if seen is None or term.found.base_form not in seen:
                out.append((match.start(), end, term.found))
                if seen is not None:
                    seen.add(term.found.base_form)
            position = end
        return out


def _trie(words: list[str]) -> str:
    """A regular expression for any of `words` as a trie ("ბავშვ|ბავშვი|ბენე" → "(?:ბ(?:ავშვი?|ენე))"): the
    engine tries one letter at a time instead of every word at every place of the text."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return "(?:" + pattern(tree) + ")"


_NEXT = re.compile(r"\s+([^\W\d_]+)(?![^\W\d_])")


def _ends(text: str, position: int, words: tuple[frozenset[str], ...]) -> int:
    """Where a term's further `words` end if they follow `position` (spaces between them), else -1."""
    for wanted in words:
        match = _NEXT.match(text, position)
        if match is None or not (_stems(match.group(1).casefold()) & wanted):
            return -1
        position = match.end()
    return position
