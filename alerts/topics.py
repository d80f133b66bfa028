"""The social-sector topic taxonomy (data/topics/) and a matcher for all of it in one pass.

    taxonomy = load_taxonomy()
    for hit in taxonomy.matcher.find("მინდობით აღმზრდელის უფლებები"):
        print(hit.topic, hit.term_ka, hit.start, hit.end)

The matcher finds the evidence; alerts.tagging weighs it (term weights, data/topics/contexts.tsv) and
decides which topics a text is about: callers that want topics use alerts.tagging, not the matcher.

A term's word matches its inflected forms (vocabulary.georgian_words.ENDINGS), and with "+" its derived
ones (DERIVATIONS); the words of a multi-word term match in order (any order for a "~" pattern) with up
to GAP words among them, inside one phrase. Cost grows with the text, not with the number of topics: each distinct word is looked
up once in an index of stems, with at most MAX_ENDING candidate splits.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vocabulary.georgian_words import ENDINGS, MAX_ENDING

__all__ = ["CONJUNCTIONS", "CONTEXT_MARK", "ContextRule", "DERIVATIONS", "DEFAULT_WEIGHT", "GAP", "Hit", "Matcher", "Taxonomy", "Term", "Topic", "load_taxonomy"]

# Suffixes that make a noun, adjective or participle of a stem (before its inflectional ending), for
# pattern words marked "+": ფსიქიატრ-ი-ის, ობლ-ობ-ა, ფსიქიატრ-იულ-ი, უსახლკარო-ბ-ა, ლიცენზი-რებ-ა, პენსი-ონერ-ი, გაშვილებ-ულ-ი.
# Not the participle of a derived verb (ლიცენზირებული, სერტიფიცირებული): "licensed", "certified" qualify a noun of
# any field (a licensed bank, a certified auditor), an incidental mention.
DERIVATIONS = ("ი", "ობ", "ბ", "ულ", "იულ", "ურ", "ირებ", "რებ", "ონერ", "ობრივ", "ობით", "ებულ", "ელ", "ულობ")
# Marks a context rule's hit in Taxonomy.combined (no topic slug starts with it).
CONTEXT_MARK = "\0"
# A term's weight when terms.tsv gives none.
DEFAULT_WEIGHT = 0.8
# How many other words may stand among the words of a multi-word term.
GAP = 2
# Words that join two phrases: a multi-word term never spans one.
CONJUNCTIONS = frozenset({"და", "ან", "თუ", "ანდა", "ხოლო", "ასევე", "რომელიც", "რომ", "ანუ"})
_CACHE_SIZE = 100_000
_BREAKS = re.compile(r"&shy;|[\u00ad\u200b-\u200d\u2060\ufeff]")
_WORD = re.compile(r"[ა-ჰ]+(?:(?:&shy;|[\u00ad\u200b-\u200d\u2060\ufeff])+[ა-ჰ]+)*")
_PHRASE_END = re.compile(r"[.,;:!?„“”\"«»()\[\]\n]")

TOPICS_DIR = Path(__file__).resolve().parents[1] / "data" / "topics"


@dataclass(frozen=True)
class Term:
    topic: str
    ka: str
    en: str
    words: tuple[tuple[tuple[str, ...], bool], ...]  # per word: (alternative stems, exact?)
    weight: float = DEFAULT_WEIGHT  # how strongly one occurrence says the text is about the topic (0–1], terms.tsv column 5
    any_order: bool = False  # pattern starting with "~": its words may come in any order (ძალადობა ოჯახში)


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
    weight: float = DEFAULT_WEIGHT  # the term's weight
    first_token: int = 0  # the words it spans: tokens[first_token:last_token + 1] of Matcher.words(text)
    last_token: int = 0

    def snippet(self, text: str, width: int = 60) -> str:
        """The matched words with some context, for the evidence shown beside a tag."""
        left = max(0, self.start - width)
        right = min(len(text), self.end + width)
        prefix = "…" if left else ""
        suffix = "…" if right < len(text) else ""
        return prefix + " ".join(text[left:right].split()) + suffix


def parse_pattern(pattern: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """"მინდობით= აღმზრდელ|აღმზრდლ" → ((("მინდობით",), True), (("აღმზრდელ", "აღმზრდლ"), False)).

    A trailing + lets that stem take a derivational suffix too (DERIVATIONS): "ობლ+" is
    ობლობა, "ფსიქიატრ+" ფსიქიატრიული, "პენსი+" პენსიონერი, "უსახლკარო+" უსახლკარობა.
    """
    words = []
    for word in pattern.split():
        exact = word.endswith("=")
        if "=" in word.rstrip("="):
            raise ValueError(f"pattern {pattern!r}: '=' applies to a whole word: write it once, at its end")
        alternatives: tuple[str, ...] = ()
        for alternative in word.rstrip("=").split("|"):
            stem = alternative.rstrip("+").casefold()
            if stem:
                alternatives += (stem,)
                if alternative.endswith("+"):
                    alternatives += tuple(stem + suffix for suffix in DERIVATIONS)
        if not alternatives:
            raise ValueError(f"empty word in pattern {pattern!r}")
        words.append((alternatives, exact))
    if not words:
        raise ValueError("empty pattern")
    return tuple(words)


class Matcher:
    """Finds every term of a taxonomy in a text, in one pass over its words.

    The words of a multi-word term match in their order (in any order when the term's pattern starts
    with "~"), with up to GAP other words among them, inside one phrase: punctuation and the
    conjunctions of CONJUNCTIONS end a phrase (unless a term names the conjunction itself). So
    "სპეციალიზებულ ფსიქიატრიულ დაწესებულებაში" and, for "~ოჯახში ძალადობა", "ძალადობა ოჯახში" are found;
    "მინდობით და აღზრდის" is not, nor "დაწესებულების სააღმზრდელო პროგრამა" (an adjective after its
    noun qualifies another one).
    """

    def __init__(self, terms: list[Term], gap: int = GAP):
        self.terms = terms
        self.gap = gap
        self._cache: dict[str, frozenset[tuple[int, int]]] = {}  # word → its matches: legal texts repeat words
        # stem → [(term index, word position, exact)]
        self._index: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        for term_no, term in enumerate(terms):
            for position, (alternatives, exact) in enumerate(term.words):
                for stem in alternatives:
                    self._index[stem].append((term_no, position, exact))

    def _word_matches(self, word: str) -> frozenset[tuple[int, int]]:
        cached = self._cache.get(word)
        if cached is None:
            if len(self._cache) > _CACHE_SIZE:
                self._cache.clear()
            cached = self._cache[word] = frozenset(self._match_word(word))
        return cached

    def _match_word(self, word: str) -> set[tuple[int, int]]:
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

    @staticmethod
    def words(text: str) -> list[tuple[int, int, str, int]]:
        """(start, end, folded word, phrase number) for each Georgian word of text.

        A word broken by soft hyphens or zero-width characters (შვი&shy;ლად, as some Matsne pages
        print it) is one word: its offsets span the breaks, the word is read without them.
        """
        out = []
        folded = text.casefold()
        ends = [m.start() for m in _PHRASE_END.finditer(folded)]
        phrase, last, at, count = 0, 0, 0, len(ends)
        for match in _WORD.finditer(folded):
            start, end = match.span()
            if at < count and ends[at] < start:  # punctuation since the last word (not inside it: &shy;)
                ended = False
                while at < count and ends[at] < start:
                    ended = ended or ends[at] >= last
                    at += 1
                phrase += ended
            last = end
            word = match.group()
            if not word.isalpha():
                word = _BREAKS.sub("", word)
            out.append((start, end, word, phrase))
        return out

    def find(self, text: str, words: list[tuple[int, int, str, int]] | None = None) -> list[Hit]:
        """Every occurrence of every term, in the order they end (overlaps kept: each is evidence)."""
        words = self.words(text) if words is None else words
        hits: list[Hit] = []
        # seen[term] = {word position: token index}, within the current phrase
        seen: dict[int, dict[int, int]] = {}
        phrase = -1
        for index, (start, end, word, word_phrase) in enumerate(words):
            matches = self._word_matches(word)
            if not matches and word_phrase == phrase and word not in CONJUNCTIONS:
                continue
            if word_phrase != phrase:
                seen = {}
                phrase = word_phrase
            elif word in CONJUNCTIONS:  # ends the phrase, but for a term that names the conjunction
                named = {term_no for term_no, _ in matches}
                seen = {term_no: places for term_no, places in seen.items() if term_no in named}
            for term_no, position in (sorted(matches) if len(matches) > 1 else matches):
                term = self.terms[term_no]
                size = len(term.words)
                if size == 1:
                    hits.append(Hit(term.topic, term.ka, start, end, term.weight, index, index))
                    continue
                places = seen.setdefault(term_no, {})
                places[position] = index
                for other, at in list(places.items()):  # too far back to belong to this occurrence
                    if index - at > size - 1 + self.gap:
                        del places[other]
                if len(places) == size and len(set(places.values())) == size and (
                        term.any_order or all(places[k] < places[k + 1] for k in range(size - 1))):
                    first = min(places.values())
                    hits.append(Hit(term.topic, term.ka, words[first][0], end, term.weight, first, index))
                    del seen[term_no]
        return hits

    def topics(self, text: str) -> set[str]:
        return {hit.topic for hit in self.find(text)}


WHERE = ("near", "after", "before", "unit", "quote")


@dataclass(frozen=True)
class ContextRule:
    """A context that changes what an occurrence of a term is worth (data/topics/contexts.tsv).

    where: "near" (the context words within `window` words on either side; 0: anywhere in the text),
    "after" / "before" (within `window` words after / before the term, in the same phrase: an
    institution's name, "… სააგენტო"), "unit" (anywhere in the text), "quote" (the term stands inside
    „…“: a quoted act title; with words, only when they are in the text too). topics / terms: which occurrences it applies to (empty: all).
    factor multiplies the occurrence's weight: below 1 another sense or an incidental mention, above 1
    a context that confirms the topic.
    """

    where: str
    topics: frozenset[str]
    terms: frozenset[str]
    phrases: tuple[tuple[tuple[tuple[str, ...], bool], ...], ...]  # each parsed like a term's pattern
    window: int
    factor: float
    note: str = ""

    def applies(self, hit: Hit) -> bool:
        return (not self.topics or hit.topic in self.topics) and (not self.terms or hit.term_ka in self.terms)


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    matcher: Matcher
    contexts: tuple[ContextRule, ...] = ()
    # finds the context rules' words; a hit's topic is the rule's index in `contexts`
    context_matcher: Matcher = field(default_factory=lambda: Matcher([]))
    # the terms and the context words in one pass (what alerts.tagging reads): a context hit's topic is
    # CONTEXT_MARK + the rule's index
    combined: Matcher | None = None

    def evidence_matcher(self) -> Matcher:
        return self.combined or Matcher(self.matcher.terms + [
            Term(CONTEXT_MARK + term.topic, term.ka, term.en, term.words) for term in self.context_matcher.terms])

    def topic(self, slug: str) -> Topic | None:
        return next((t for t in self.topics if t.slug == slug), None)


def _rows(path: Path):
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#"):
                yield row


def _context_rule(row: list[str], names: dict[str, tuple[str, str]], terms: set[str]) -> ContextRule:
    if len(row) not in (6, 7):
        raise ValueError(f"context row {row!r}: 6 or 7 fields expected, {len(row)} found")
    where, topics, term_list, pattern, window, factor = row[:6]
    if where not in WHERE:
        raise ValueError(f"context row {row!r}: where must be one of {WHERE}")
    chosen = frozenset(t.strip() for t in topics.split(",") if t.strip() not in ("", "*"))
    named = frozenset(t.strip() for t in term_list.split("|") if t.strip() not in ("", "*"))
    if chosen - set(names) or named - terms:
        raise ValueError(f"context row {row!r}: unknown topic or term {sorted((chosen - set(names)) | (named - terms))}")
    phrases = () if pattern.strip() in ("", "-") else tuple(parse_pattern(phrase) for phrase in pattern.split(","))
    if where != "quote" and not phrases:
        raise ValueError(f"context row {row!r}: a pattern is needed")
    return ContextRule(where, chosen, named, phrases, int(window), float(factor), row[6] if len(row) == 7 else "")


def build_taxonomy(topic_rows, term_rows, context_rows=()) -> Taxonomy:
    """Topic rows are (slug, name_ka, name_en[, description_ka, description_en]); term rows (slug, ka, en,
    pattern[, weight]); context rows (where, topics, terms, pattern, window, factor[, note])."""
    names: dict[str, tuple[str, str]] = {}
    descriptions: dict[str, tuple[str, str]] = {}
    for row in topic_rows:
        if len(row) not in (3, 5):
            raise ValueError(f"topic row {row[:1]!r}: 3 or 5 fields expected, {len(row)} found")
        slug, ka, en = row[:3]
        names[slug] = (ka, en)
        descriptions[slug] = (row[3], row[4]) if len(row) == 5 else ("", "")
    by_topic: dict[str, list[Term]] = defaultdict(list)
    for row in term_rows:
        if len(row) not in (4, 5):
            raise ValueError(f"term row {row[:2]!r}: 4 or 5 fields expected, {len(row)} found")
        slug, ka, en, pattern = row[:4]
        if slug not in names:
            raise ValueError(f"term {ka!r} names unknown topic {slug!r}")
        weight = float(row[4]) if len(row) == 5 and row[4].strip() else DEFAULT_WEIGHT
        if not 0 < weight <= 1:
            raise ValueError(f"term {ka!r}: weight {weight} outside (0, 1]")
        if "," in pattern:
            raise ValueError(f"term {ka!r}: a term's pattern is one phrase (commas separate phrases only in contexts.tsv)")
        any_order = pattern.startswith("~")
        by_topic[slug].append(Term(slug, ka, en, parse_pattern(pattern.lstrip("~")), weight, any_order))
    topics = tuple(Topic(slug, ka, en, tuple(by_topic[slug]), *descriptions[slug]) for slug, (ka, en) in names.items())
    all_terms = [term for topic in topics for term in topic.terms]
    contexts = tuple(_context_rule(list(row), names, {t.ka for t in all_terms}) for row in context_rows)
    context_terms = [Term(str(number), "", "", phrase) for number, rule in enumerate(contexts) for phrase in rule.phrases]
    marked = [Term(CONTEXT_MARK + term.topic, "", "", term.words) for term in context_terms]
    return Taxonomy(topics, Matcher(all_terms), contexts, Matcher(context_terms), Matcher(all_terms + marked))


@lru_cache(maxsize=1)
def load_taxonomy(directory: Path = TOPICS_DIR) -> Taxonomy:
    """The curated taxonomy shipped in data/topics/."""
    contexts = directory / "contexts.tsv"
    return build_taxonomy(_rows(directory / "topics.tsv"), _rows(directory / "terms.tsv"),
                          _rows(contexts) if contexts.exists() else ())
