"""The guidebook: every act's definitions of one term side by side, their history and their conflicts. Pure.

    entries = build_guidebook(versions, units)     # versions: VersionSource, units: {unit id: unit}
    for entry in entries:                          # in Georgian alphabetical order
        entry.term, entry.conflict, [d.act for d in entry.definitions]

A definition is one act's definition of a term in one unit; it holds over the run of versions in which the unit
defines the term, and each change of its text is a new wording (`Wording`: the text, in force from, to). Noise
is not a new wording: whitespace, quote and dash style, case (diffing.normalise.comparison_key).

Across acts, definitions are grouped by the term's base form (ბავშვი and ბავშვები are one entry). Two current
definitions differ in substance unless their texts are equal once whitespace, punctuation, quotes and case
endings are set aside (`substance_key`): those that differ only so are `wording_only`; any other difference
is a `conflict`, since the day the later of the differing wordings came into force.

Conventions: an act of the type Matsne gives the international treaties Georgia is party to ("საქართველოს
საერთაშორისო ხელშეკრულება და შეთანხმება", `is_convention`) defines terms as a law does; its definitions are
marked as a convention's (`ActDefinition.convention`), and each entry lists the convention articles that define
or use the term (`Entry.conventions`: the current text of every convention, each article holding the term in
any inflected form, its words next to one another — as the guidebook's search and the act pages match terms).

Each unit is read once however many versions share it (`units` is keyed by the stored content), so the whole
guidebook is computed from the stored versions when asked for.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from diffing.definitions import FoundDefinition, definitions_of_unit
from diffing.normalise import comparison_key
from diffing.redline import Redline, redline
from diffing.term_marks import MIN_LETTERS, term_words
from vocabulary.georgian_words import base_form, stems

__all__ = ["ALPHABET", "ActDefinition", "ConventionArticle", "Entry", "VersionSource", "Wording", "alphabet_key",
           "build_guidebook", "convention_articles", "definition_dict", "entry_dict", "is_convention", "matching",
           "initial", "slug", "substance_key", "wording_redline"]

# The document type Matsne gives the treaties Georgia is party to, in each of its interface languages.
_CONVENTION_TYPE = re.compile(r"საერთაშორისო\s+ხელშეკრულებ|international\s+(?:treaty|treaties|agreement)|"
                              r"международн[а-я]*\s+(?:договор|соглашени)", re.I)


def is_convention(act_type: str | None) -> bool:
    """Whether an act of this Matsne type is an international treaty (a convention, a charter, a protocol)."""
    return bool(act_type and _CONVENTION_TYPE.search(act_type))

ALPHABET = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
# Letters of the older alphabet (ჱ ჲ ჳ ჴ ჵ ჶ ჷ ჸ ჹ ჺ ჻ ჼ) sort after ჰ: no current act uses them in a term.
_ORDER = {letter: index for index, letter in enumerate(ALPHABET)}


@dataclass(frozen=True)
class VersionSource:
    """One stored version of an act: its dates and its units, in order, as keys of `units`."""

    act: int
    act_title: str
    publication: int
    valid_from: date | None
    valid_to: date | None
    unit_ids: tuple[Any, ...]
    act_lost_force: date | None = None  # the act's loss of force: none of its definitions holds after it
    act_type: str = ""  # Matsne's document type ("საქართველოს კანონი", "… საერთაშორისო ხელშეკრულება …")


@dataclass(frozen=True)
class Wording:
    text: str
    valid_from: date | None
    valid_to: date | None  # None: still in force (the act's latest version reads so)
    first_publication: int
    last_publication: int


@dataclass(frozen=True)
class ActDefinition:
    """One act's definition of the term in one unit, and its wordings, oldest first; the last is current
    when `current` (the act's latest stored version still defines the term there)."""

    act: int
    act_title: str
    unit: str
    item: str
    kind: str
    term: str
    wordings: tuple[Wording, ...]
    current: bool
    act_type: str = ""

    @property
    def convention(self) -> bool:
        """Whether the act is an international treaty (is_convention)."""
        return is_convention(self.act_type)

    @property
    def text(self) -> str:
        return self.wordings[-1].text

    @property
    def valid_from(self) -> date | None:
        return self.wordings[-1].valid_from

    @property
    def valid_to(self) -> date | None:
        return self.wordings[-1].valid_to


@dataclass(frozen=True)
class ConventionArticle:
    """A unit of a convention's current text that defines the term (`defines`) or uses it: `words`, the term as
    the unit first writes it ("ბავშვის")."""

    act: int
    act_title: str
    unit: str
    defines: bool
    words: str


@dataclass(frozen=True)
class Entry:
    term: str
    base_form: str
    slug: str
    definitions: tuple[ActDefinition, ...]
    conflict: bool = False  # current definitions that differ in substance
    wording_only: bool = False  # current definitions that differ, but only in wording
    conflict_since: date | None = None
    conflicting_acts: tuple[int, ...] = field(default=())
    conventions: tuple[ConventionArticle, ...] = field(default=())  # the convention articles defining or using it

    @property
    def letter(self) -> str:
        return initial(self.term)


def initial(term: str) -> str:
    """The letter a term is filed under: its first Georgian letter (Mtavruli folded), else "#"."""
    for char in term.casefold():
        if char in _ORDER:
            return char
        if char.isalnum():
            return "#"
    return "#"


def alphabet_key(term: str) -> tuple[tuple[int, str], ...]:
    """Sorts terms in Georgian alphabetical order (ა ბ გ … ჰ), other characters after."""
    return tuple((_ORDER.get(char, len(_ORDER) + 1), char) for char in term.casefold())


def slug(term: str) -> str:
    """The term's permalink part: its folded words joined by "-" ("მინდობით-აღმზრდელი")."""
    words = re.findall(r"[^\W_]+", term.casefold())
    return "-".join(words)[:120] or "term"


def substance_key(text: str) -> str:
    """What is left of a definition once whitespace, punctuation, quotes and case endings are set aside."""
    return base_form(text)


def wording_redline(older: Wording, newer: Wording) -> Redline:
    return redline(older.text, newer.text)


@lru_cache(maxsize=8192)
def _same_text(text: str) -> str:
    return comparison_key(text)


def _definitions(units: Mapping[Any, Any], unit_id: Any, cache: dict[Any, list[FoundDefinition]]) -> list[FoundDefinition]:
    if unit_id not in cache:
        unit = units.get(unit_id)
        cache[unit_id] = definitions_of_unit(unit) if unit is not None else []
    return cache[unit_id]


def _act_definitions(versions: Sequence[VersionSource], units: Mapping[Any, Any],
                     cache: dict[Any, list[FoundDefinition]]) -> list[tuple[str, ActDefinition]]:
    """One act's definitions over its versions (in publication order), each keyed by its base form."""
    spans: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    meta: dict[tuple[str, str, str], FoundDefinition] = {}
    last = versions[-1].publication
    previous = {v.publication: (versions[i - 1].publication if i else None) for i, v in enumerate(versions)}
    for version in versions:
        for unit_id in version.unit_ids:
            for found in _definitions(units, unit_id, cache):
                key = (found.base_form, found.kind, found.unit)
                meta[key] = found
                history = spans.setdefault(key, [])
                current = history[-1] if history else None
                if (current is not None and current["last"] == previous[version.publication]
                        and current["key"] == _same_text(found.text)):
                    current["last"] = version.publication
                    current["valid_to"] = version.valid_to
                else:
                    history.append({"text": found.text, "key": _same_text(found.text), "first": version.publication, "last": version.publication,
                                    "valid_from": version.valid_from, "valid_to": version.valid_to})
    out = []
    for key, history in spans.items():
        found = meta[key]
        wordings = tuple(Wording(h["text"], h["valid_from"], None if h["last"] == last else h["valid_to"],
                                 h["first"], h["last"]) for h in history)
        out.append((key[0], ActDefinition(versions[0].act, versions[-1].act_title, found.unit, found.item, found.kind,
                                          found.term, wordings, history[-1]["last"] == last, versions[-1].act_type)))
    return out


def _conflict(definitions: Sequence[ActDefinition]) -> tuple[bool, bool, date | None, tuple[int, ...]]:
    current = [d for d in definitions if d.current]
    if len({(d.act, d.unit) for d in current}) < 2:
        return False, False, None, ()
    groups: dict[str, list[ActDefinition]] = defaultdict(list)
    for definition in current:
        groups[substance_key(definition.text)].append(definition)
    if len(groups) == 1:
        wording_only = len({comparison_key(d.text) for d in current}) > 1
        return False, wording_only, None, ()
    starts = [min((d.valid_from for d in group if d.valid_from), default=None) for group in groups.values()]
    known = [start for start in starts if start is not None]
    since = max(known) if len(known) == len(starts) else None
    return True, False, since, tuple(sorted({d.act for d in current}))


def build_guidebook(versions: Iterable[VersionSource], units: Mapping[Any, Any], *, today: date | None = None
                    ) -> list[Entry]:
    """Every term defined in the versions given, one entry each, in Georgian alphabetical order. An act that lost
    force (by `today`, when given) defines nothing now: its definitions end on that day, and are history."""
    by_act: dict[int, list[VersionSource]] = defaultdict(list)
    for version in versions:
        by_act[version.act].append(version)
    cache: dict[Any, list[FoundDefinition]] = {}
    grouped: dict[str, list[ActDefinition]] = defaultdict(list)
    for act in sorted(by_act):
        ordered = sorted(by_act[act], key=lambda v: v.publication)
        lost = ordered[-1].act_lost_force
        for key, definition in _act_definitions(ordered, units, cache):
            if lost is not None and (today is None or lost <= today) and definition.current:
                ended = replace(definition.wordings[-1], valid_to=definition.wordings[-1].valid_to or lost)
                definition = replace(definition, wordings=(*definition.wordings[:-1], ended), current=False)
            grouped[key].append(definition)
    entries = []
    for key, definitions in grouped.items():
        spelled = Counter(d.term for d in definitions if d.kind == "article") or Counter(d.term for d in definitions)
        term = min(spelled, key=lambda t: (-spelled[t], len(t), alphabet_key(t)))  # most used, then shortest
        ordered_definitions = tuple(sorted(definitions, key=lambda d: (not d.current, d.kind != "article", d.act,
                                                                       d.unit)))
        conflict, wording_only, since, acts = _conflict(ordered_definitions)
        entries.append(Entry(term, key, slug(term), ordered_definitions, conflict, wording_only, since, acts))
    entries.sort(key=lambda e: (alphabet_key(e.term), e.base_form))
    in_conventions = convention_articles(entries, [sorted(by_act[act], key=lambda v: v.publication)[-1]
                                                   for act in sorted(by_act)], units, today=today)
    taken: dict[str, int] = {}
    unique = []
    for entry in entries:  # two terms one slug (a case the folding makes equal): the second gets "-2"
        count = taken.get(entry.slug, 0) + 1
        taken[entry.slug] = count
        unique.append(replace(entry, slug=entry.slug if count == 1 else f"{entry.slug}-{count}",
                              conventions=in_conventions.get(entry.base_form, ())))
    return unique


@lru_cache(maxsize=65536)
def _word_stems(word: str) -> frozenset[str]:
    return stems(word) if re.fullmatch(r"[ა-ჰ]+", word) else frozenset((word,))


_TOKEN = re.compile(r"[^\W\d_]+")


def convention_articles(entries: Sequence[Entry], latest: Iterable[VersionSource], units: Mapping[Any, Any], *,
                        today: date | None = None) -> dict[str, tuple[ConventionArticle, ...]]:
    """base form → the units of the conventions' latest versions (`latest`: one version per act; those of other
    types are passed over, as is a convention that lost force by `today`) that define or use the entry's term,
    in the conventions' order, then their text's. A unit uses a term where its words follow one another in any
    of their inflected forms, with nothing but spaces between them ("ბავშვის უფლებები" uses ბავშვი)."""
    by_first: dict[str, list[tuple[Entry, tuple[frozenset[str], ...]]]] = defaultdict(list)
    for entry in entries:
        words = term_words(entry.term)
        if words and sum(map(len, _TOKEN.findall(entry.term))) >= MIN_LETTERS:
            for stem in words[0]:
                by_first[stem].append((entry, words))
    found: dict[str, list[ConventionArticle]] = defaultdict(list)
    for version in latest:
        if not is_convention(version.act_type) or (version.act_lost_force is not None and today is not None
                                                   and version.act_lost_force <= today):
            continue
        defined = {(d.unit, entry.base_form) for entry in entries for d in entry.definitions
                   if d.act == version.act and d.current}
        for unit_id in version.unit_ids:
            unit = units.get(unit_id)
            if unit is None:
                continue
            key = unit.get("key") if isinstance(unit, Mapping) else getattr(unit, "key", "")
            text = " ".join(str((unit.get(name) if isinstance(unit, Mapping) else getattr(unit, name, "")) or "")
                            for name in ("heading", "text"))
            tokens = [(m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(text)]
            seen: dict[str, str] = {}
            for index, (start, _, word) in enumerate(tokens):
                for stem in _word_stems(word):
                    for entry, words in by_first.get(stem, ()):
                        if entry.base_form in seen or index + len(words) > len(tokens):
                            continue
                        following = tokens[index + 1:index + len(words)]
                        previous_end = tokens[index][1]
                        ok = True
                        for (w_start, w_end, w_word), wanted in zip(following, words[1:]):
                            if text[previous_end:w_start].strip() or not (_word_stems(w_word) & wanted):
                                ok = False
                                break
                            previous_end = w_end
                        if ok:
                            seen[entry.base_form] = text[start:previous_end]
            for base, words_used in seen.items():
                found[base].append(ConventionArticle(version.act, version.act_title, str(key or ""),
                                                     (str(key or ""), base) in defined, words_used))
            for unit_key, base in defined:  # a definition the words did not meet (a term split by marks)
                if unit_key == str(key or "") and base not in seen:
                    found[base].append(ConventionArticle(version.act, version.act_title, unit_key, True, ""))
    return {base: tuple(articles) for base, articles in found.items()}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def definition_dict(definition: ActDefinition, *, history: bool = True) -> dict[str, Any]:
    """One definition for JSON: the documented keys (act, unit, text, valid_from, valid_to) and more."""
    out: dict[str, Any] = {
        "act": definition.act, "unit": definition.unit, "text": definition.text,
        "valid_from": _iso(definition.valid_from), "valid_to": _iso(definition.valid_to),
        "act_title": definition.act_title, "item": definition.item, "kind": definition.kind, "term": definition.term,
        "current": definition.current, "convention": definition.convention,
    }
    if history:
        out["history"] = [{"text": w.text, "valid_from": _iso(w.valid_from), "valid_to": _iso(w.valid_to),
                           "publications": [w.first_publication, w.last_publication]} for w in definition.wordings]
    return out


def entry_dict(entry: Entry, *, history: bool = True) -> dict[str, Any]:
    """One term for JSON: {"term", "base_form", "definitions": [...], "conflict"} and the rest of the entry."""
    return {"term": entry.term, "base_form": entry.base_form,
            "definitions": [definition_dict(d, history=history) for d in entry.definitions],
            "conflict": entry.conflict, "wording_only": entry.wording_only,
            "conflict_since": _iso(entry.conflict_since), "conflicting_acts": list(entry.conflicting_acts),
            "slug": entry.slug,
            "conventions": [{"act": c.act, "act_title": c.act_title, "unit": c.unit, "defines": c.defines,
                             "words": c.words} for c in entry.conventions]}


def _words(text: str) -> list[tuple[str, frozenset[str]]]:
    return [(word, stems(word) if re.fullmatch(r"[ა-ჰ]+", word) else frozenset((word,)))
            for word in re.findall(r"[^\W_]+", text.casefold())]


def _meets(query_word: tuple[str, frozenset[str]], term_word: tuple[str, frozenset[str]]) -> bool:
    word, word_stems = query_word
    if re.fullmatch(r"[ა-ჰ]+", word):
        return bool(word_stems & term_word[1])
    return term_word[0].startswith(word)


def matching(entries: Sequence[Entry], query: str) -> list[Entry]:
    """The entries whose term holds every word of `query` in some form: "ბავშვების" finds ბავშვი, "აღმზრდელის"
    finds მინდობით აღმზრდელი (the words' stems meet, vocabulary.georgian_words.stems), "პირის" finds პირი but not
    პირველადი; a word in other letters matches the start of a term's word ("aiv" in "aivi")."""
    wanted = _words(query[:256])
    if not wanted:
        return []
    return [entry for entry in entries
            if all(any(_meets(w, t) for t in _words(entry.term)) for w in wanted)]
