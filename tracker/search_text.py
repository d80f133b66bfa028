"""The text side of search, pure: the terms a text is indexed under, a visitor's query parsed into
terms, that query for SQLite FTS5 or PostgreSQL, and snippets with the hits marked.

Neither engine knows Georgian inflection, so both index and query the stems of each Georgian word
(`vocabulary.georgian_words.stems`): ბავშვი and ბავშვებისთვის are both indexed under ბავშვ, and a
query for either finds the other. Mtavruli is folded to Mkhedruli, other letters are lower-cased,
numbers are kept.

The query language is small and never passed on as written: words (all must match), `OR`
between two words, `-word` (must not match), `word*` (any word beginning so). Quotes and every
other character only separate words. The engines' query strings are rebuilt from our own terms,
which are letters and digits only.
"""

from __future__ import annotations

from collections import Counter

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from vocabulary.georgian_words import stems

__all__ = ["MAX_QUERY_CHARS", "Query", "Snippet", "Term", "chunks", "highlight", "index_terms", "parse_query",
           "snippet", "words"]

# Georgian (Mkhedruli and Mtavruli) runs apart from other letter-or-digit runs: "ბავშვის12" is two words.
_WORD = re.compile(r"[ა-ჰᲐ-Ჿ]+|[^\W_ა-ჰᲐ-Ჿ]+")
_GEORGIAN = re.compile(r"[ა-ჰ]+")
_NOT_WORD = re.compile(r"[\W_]+")
_SPACE = re.compile(r"\s+")
# How each engine writes (a stem, a prefix, OR, AND, AND NOT). Stems are our own folded letters and
# digits, so quoting them is all the escaping the two syntaxes need.
_FTS5 = ('"{}"', '"{}"*', " OR ", " AND ", " NOT ")
_TSQUERY = ("'{}'", "'{}':*", " | ", " & ", " & !")
# Longer runs are not words (encoded data, a table flattened into one string): not worth indexing.
MAX_WORD_CHARS = 64
MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 16
MIN_PREFIX_CHARS = 2


def _fold(word: str) -> str:
    # NFKC makes 12¹ "121" and ﬁ "fi"; casefold takes Mtavruli to Mkhedruli.
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", word).casefold())


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`; offsets are into `text` itself."""
    for match in _WORD.finditer(text):
        folded = _fold(match.group())
        if folded and len(folded) <= MAX_WORD_CHARS:
            yield match.start(), match.end(), folded


@lru_cache(maxsize=65536)  # a law repeats its words: this halves the time to index it
def _terms_of(word: str) -> frozenset[str]:
    return stems(word) if _GEORGIAN.fullmatch(word) else frozenset((word,))


@lru_cache(maxsize=65536)
def _indexed(word: str) -> str:
    return " ".join(sorted(_terms_of(word)))


def index_terms(text: str) -> str:
    """What `text` is indexed under: each word's terms, space-separated, in text order."""
    return " ".join(_indexed(word) for _, _, word in words(text))


@dataclass(frozen=True)
class Term:
    """One query word: found where a text word shares one of its stems, or begins with `prefix`."""

    stems: frozenset[str] = frozenset()
    prefix: str | None = None

    def matches(self, word_terms: frozenset[str], word: str) -> bool:
        return bool(self.stems & word_terms) or (self.prefix is not None and word.startswith(self.prefix))


@dataclass(frozen=True)
class Query:
    """All `groups` must match (a group: any of its terms), and none of `excluded`."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.groups

    def fts5(self) -> str:
        """The query as an SQLite FTS5 MATCH expression."""
        return self._expression(*_FTS5)

    def tsquery(self) -> str:
        """The query as a PostgreSQL tsquery (for to_tsquery('simple', ...))."""
        return self._expression(*_TSQUERY)

    def _expression(self, stem: str, prefix: str, either: str, both: str, but_not: str) -> str:
        def any_of(terms) -> str:
            pieces = [piece for term in terms for piece in (*(stem.format(s) for s in sorted(term.stems)),
                                                            *([prefix.format(term.prefix)] if term.prefix else []))]
            return "(" + either.join(pieces) + ")"

        expression = both.join(any_of(group) for group in self.groups)
        return f"({expression}){but_not}{any_of(self.excluded)}" if self.excluded else expression


def parse_query(text: str) -> Query:
    """A visitor's query; one without a single word is `empty` (and matches nothing)."""
    groups: list[tuple[Term, ...]] = []
    excluded: list[Term] = []
    join_next = False
    for chunk in (text or "")[:MAX_QUERY_CHARS].split():
        if chunk in ("OR", "|"):
            join_next = bool(groups)
            continue
        negated = chunk.startswith("-") and len(chunk) > 1
        prefix = chunk.endswith("*")
        found = [word for _, _, word in words(chunk)]
        terms = [Term(stems=_terms_of(word)) for word in found]
        if prefix and found and len(found[-1]) >= MIN_PREFIX_CHARS:
            terms[-1] = Term(prefix=found[-1])
        if not terms:
            continue
        if negated:
            excluded.extend(terms)
        elif join_next:
            groups[-1] = (*groups[-1], terms[0])
            groups.extend((term,) for term in terms[1:])
        else:
            groups.extend((term,) for term in terms)
        join_next = False
    return Query(tuple(groups[:MAX_QUERY_TERMS]), tuple(excluded[:MAX_QUERY_TERMS]))


@dataclass(frozen=True)
class Snippet:
    """Plain text and the (start, end) offsets of the hits in it: whoever shows it escapes the text."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def segments(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, is_hit), for a template to wrap the hits in <mark>."""
        out, at = [], 0
        for start, end in self.marks:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out


def _hits(text: str, query: Query) -> list[tuple[int, int, int]]:
    """(start, end, group number) of each word of `text` the query's groups match."""
    found = []
    for start, end, word in words(text):
        word_terms = _terms_of(word)
        for number, group in enumerate(query.groups):
            if any(term.matches(word_terms, word) for term in group):
                found.append((start, end, number))
                break
    return found


def _render(text: str, left: int, right: int, hits: list[tuple[int, int, int]]) -> Snippet:
    """text[left:right] with its whitespace collapsed and the hits inside it marked."""
    pieces: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    at = left
    for start, end, _ in hits:
        if start < left or end > right:
            continue
        plain = _SPACE.sub(" ", text[at:start])
        pieces.append(plain)
        length += len(plain)
        marks.append((length, length + end - start))
        pieces.append(text[start:end])
        length += end - start
        at = end
    pieces.append(_SPACE.sub(" ", text[at:right]))
    joined = "".join(pieces)
    lead = len(joined) - len(joined.lstrip())
    stripped = joined.strip()
    marks = [(s - lead, e - lead) for s, e in marks]
    if left > 0:
        stripped, marks = "…" + stripped, [(s + 1, e + 1) for s, e in marks]
    if right < len(text):
        stripped += "…"
    return Snippet(stripped, tuple(marks))


def highlight(text: str, query: Query) -> Snippet:
    """All of `text` (a title), its whitespace collapsed, with the query's hits marked."""
    return _render(text, 0, len(text), _hits(text, query))


def snippet(text: str, query: Query, width: int = 240, before: int = 60) -> Snippet:
    """About `width` characters of `text` around the stretch with the most different query words."""
    hits = _hits(text, query)
    if len(text) <= width:
        return _render(text, 0, len(text), hits)
    # A window slides over the hits (in text order): linear in their number, however many there are.
    best, best_count, end = 0, 0, 0
    in_window: Counter[int] = Counter()
    for start, _, number in hits:
        while end < len(hits) and hits[end][0] < start + width - before:
            in_window[hits[end][2]] += 1
            end += 1
        if len(in_window) > best_count:
            best, best_count = start, len(in_window)
        in_window[number] -= 1  # this hit leaves the window before the next one starts it
        if not in_window[number]:
            del in_window[number]
    left = max(0, best - before)
    if left:
        space = text.rfind(" ", 0, left)
        left = space + 1 if space >= 0 else 0
    right = min(len(text), left + width)
    if right < len(text):
        space = text.find(" ", right)
        right = space if 0 <= space < right + 30 else right
    return _render(text, left, right, hits)


def chunks(text: str, size: int = 20_000) -> list[str]:
    """`text` cut at line breaks into pieces of about `size` characters (a draft law can be long)."""
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            newline = text.rfind("\n", start + size // 2, end)
            end = newline + 1 if newline >= 0 else end
        pieces.append(text[start:end])
        start = end
    return pieces
