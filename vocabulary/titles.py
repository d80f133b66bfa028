"""Act titles: the normal form two spellings of one title share, and the acts a draft's name amends.

A draft amending law names its target in its own title (data/reference/georgian-legal-text.md):
„სოციალური დახმარების შესახებ“ საქართველოს კანონში ცვლილების შეტანის თაობაზე → the Law "On
Social Assistance"; codes go unquoted: საქართველოს ბავშვის უფლებათა კოდექსში … → the Code on the
Rights of the Child. Pure functions over strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vocabulary.georgian import clean_text

__all__ = [
    "ActTarget",
    "TitleTargets",
    "loose_title_key",
    "match_search_results",
    "normalise_title",
    "parse_amended_acts",
    "same_title",
    "title_key",
    "title_keys",
]

_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‟": '"', "″": '"'})
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "‒": "-"})
_SPACE = re.compile(r"\s+")
# A draft as Parliament titles it: საქართველოს კანონის პროექტი „…“ (#07-2/99, 28.06.2017)
_DRAFT_PREFIX = re.compile(r"^(?:საქართველოს\s+)?(?:ორგანული\s+|კონსტიტუციური\s+)?კანონის\s+პროექტი\s*[-:]?\s*")
_TRAILING_REFERENCE = re.compile(r"\s*\(\s*#?\s*[\d-]+/[\d-]+[^)]*\)\s*$")
# "საქართველოს კანონში", "… კანონებში" (several laws), "… კანონსა და …" (a law and a code).
_LAW_PHRASE = re.compile(r"საქართველოს\s+(ორგანულ\s+|კონსტიტუციურ\s+)?კანონ(?:ში|ებში|სა)\b")
_CODE_PHRASE = re.compile(r"კოდექს(?:ში|ებში|სა)\b")
_CONSTITUTION = re.compile(r"საქართველოს\s+კონსტიტუციაში")
_QUOTED = re.compile(r'"([^"]+)"')
_AMENDING = re.compile(r"ცვლილებ|დამატებ|ძალადაკარგულად")
_CODE_STOP = re.compile(r'(?:^|,|"|\sდა\s|\sან\s)')


def normalise_title(text: str) -> str:
    """The form titles are compared in: clean, one line, Mtavruli folded, quotes and dashes unified."""
    text = clean_text(text).replace(",,", "„").translate(_QUOTES).translate(_DASHES)
    text = text.replace("№", "N ").casefold()
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r"\s*-\s*", "-", text)


def title_key(text: str) -> str:
    """What two titles must share to name one act: the normal form without quotes or end dots."""
    key = normalise_title(text).replace('"', "")
    return _SPACE.sub(" ", key).strip(" .;:")


def loose_title_key(text: str) -> str:
    """`title_key` with each word's final -ი dropped: "ზოგად ადმინისტრაციულ კოდექსში" (the locative)
    and "ზოგადი ადმინისტრაციული კოდექსი" (the title) meet here. A second-tier key only."""
    return " ".join(word[:-1] if word.endswith("ი") and len(word) > 2 else word for word in title_key(text).split())


def same_title(one: str, other: str) -> bool:
    """Whether two spellings name one act: equal `title_key`s (quotes, dashes, case, spaces and end dots aside)."""
    return title_key(one) == title_key(other)


def title_keys(title: str, kind: str) -> set[str]:
    """The keys an act of `kind` named `title` may be stored under.

    Codes are named with or without "საქართველოს": the Tax Code's title has it, the Code on the
    Rights of the Child's does not.
    """
    key = title_key(title)
    if kind not in ("code", "constitution"):
        return {key}
    stripped = re.sub(r"^საქართველოს ", "", key)
    return {key, stripped, f"საქართველოს {stripped}"}


@dataclass(frozen=True)
class ActTarget:
    """An act a draft's name says it amends. kind: law, organic_law, constitutional_law, code, constitution."""

    title: str
    kind: str


@dataclass(frozen=True)
class TitleTargets:
    """What a draft's name says it amends. amending: it says it changes acts, found or not."""

    targets: tuple[ActTarget, ...]
    amending: bool


def _unwrap(title: str) -> str:
    """Drop the "draft law" wrapper and the trailing registration reference Parliament adds."""
    text = _TRAILING_REFERENCE.sub("", title)
    stripped = _DRAFT_PREFIX.sub("", text)
    if stripped != text and stripped.startswith('"') and stripped.endswith('"') and _LAW_PHRASE.search(stripped):
        # საქართველოს კანონის პროექტი „„X“ საქართველოს კანონში …“: the outer quotes wrap the whole name.
        stripped = stripped[1:-1]
    return stripped.strip()


def _quoted_before(text: str, end: int) -> list[str]:
    """The quoted titles right before position `end`: „A“ და „B“ საქართველოს კანონებში → [A, B]."""
    head = text[:end]
    # Only the run of quoted titles adjoining the phrase: stop at an earlier law phrase.
    previous = list(_LAW_PHRASE.finditer(head))
    if previous:
        head = head[previous[-1].end():]
    return [m.group(1).strip() for m in _QUOTED.finditer(head) if m.group(1).strip()]


def _code_title(text: str, match: re.Match) -> str | None:
    head = text[: match.start()]
    cut = max((m.end() for m in _CODE_STOP.finditer(head)), default=0)
    words = head[cut:].strip()
    words = re.sub(r"^საქართველოს\s+", "", words)
    if not words or len(words.split()) > 8:
        return None
    return f"{words} კოდექსი"


def parse_amended_acts(bill_title: str) -> TitleTargets:
    """The acts a draft's name says it amends, in the order named.

    Works on the display form (quotes kept): „A“ საქართველოს კანონში …, „A“ და „B“ საქართველოს
    კანონებში …, საქართველოს X კოდექსში …, საქართველოს კონსტიტუციაში …. A name that amends
    "some legislative acts" names none: `targets` is empty and `amending` True.
    """
    text = clean_text(bill_title).replace("\n", " ").replace(",,", "„").translate(_QUOTES).translate(_DASHES)
    text = _unwrap(_SPACE.sub(" ", text))
    found: list[tuple[int, ActTarget]] = []
    for match in _LAW_PHRASE.finditer(text):
        qualifier = (match.group(1) or "").strip()
        kind = {"ორგანულ": "organic_law", "კონსტიტუციურ": "constitutional_law"}.get(qualifier, "law")
        found.extend((match.start(), ActTarget(title, kind)) for title in _quoted_before(text, match.start()))
    for match in _CODE_PHRASE.finditer(text):
        title = _code_title(text, match)
        if title:
            found.append((match.start(), ActTarget(title, "code")))
    for match in _CONSTITUTION.finditer(text):
        found.append((match.start(), ActTarget("საქართველოს კონსტიტუცია", "constitution")))
    # sorted() is stable: titles quoted before one phrase keep their order.
    unique = list(dict.fromkeys(target for _, target in sorted(found, key=lambda pair: pair[0])))
    return TitleTargets(tuple(unique), bool(_AMENDING.search(text)))


def match_search_results(results, title: str, kind: str) -> tuple[str, int | None, str]:
    """Pick the act a queued title names among Matsne search results (`SearchResult`s).

    (status, document id, note): "resolved" when exactly one result in force (or of unknown
    status) bears the title, "ambiguous" when several do, "not_found" otherwise. Never a guess:
    a result whose title merely contains the words is no match.
    """
    results = list(results)
    for key_of in (title_key, loose_title_key):
        wanted = {key_of(k) for k in title_keys(title, kind)}
        same = [r for r in results if key_of(r.title) in wanted]
        if same:
            break
    current = [r for r in same if r.status != "no_longer_in_force"]
    if len(current) == 1:
        return "resolved", current[0].document_id, f"Matsne document {current[0].document_id}"
    if current:
        return "ambiguous", None, "several acts in force: " + ", ".join(str(r.document_id) for r in current)
    if same:
        return "not_found", None, "only acts no longer in force: " + ", ".join(str(r.document_id) for r in same)
    return "not_found", None, f"no act with this title among {len(results)} search results"
