"""Build an act's units (chapters, articles, annexes...) from a flat run of text blocks.

Each body layout is first reduced to blocks — `(hint, text)` where hint is "heading" when the
layout marks the block as a structural heading, a specific kind when the layout says which
(chapter, annex, footer...), or "text" — so one state machine serves all three layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawlers.parsing.georgian import normalise_unit_number, resolve_flattened_number
from crawlers.records import Unit

__all__ = ["Block", "build_units", "detect_heading"]

_ARTICLE = re.compile(r"^მუხლი\s*(\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)\s*\.?\s*(.*)$", re.S)
_CHAPTER = re.compile(r"^თავი\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b\.?\s*(.*)$", re.S)
_PART = re.compile(r"^კარი\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b\.?\s*(.*)$", re.S)
_BOOK = re.compile(r"^წიგნი\s+([IVXLCDM]+|\d+|[ა-ჰ]+)\b\.?\s*(.*)$", re.S)
_SECTION = re.compile(r"^განყოფილება\s+([IVXLCDM]+|\d+)\b\.?\s*(.*)$", re.S)
_ANNEX = re.compile(r"^დანართი(?:\s*(?:№|N)?\s*(\d+))?\.?$")
# Matsne's English translations: "Article 1 - Scope", "Chapter I – General Provisions" (hyphen or dash).
# Read only on English pages (language="en"): a Georgian text never switches to these.
_EN_DASH = r"\s*(?:[-–—.]\s*)?"
_EN_HEADINGS = (
    ("article", re.compile(r"^Article\s+(\d+(?:\s*\^\s*\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)" + _EN_DASH + r"(.*)$", re.S)),
    ("chapter", re.compile(r"^Chapter\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b" + _EN_DASH + r"(.*)$", re.S)),
    ("part", re.compile(r"^Part\s+([IVXLCDM]+|\d+(?:\^\d+)?)\b" + _EN_DASH + r"(.*)$", re.S)),
    ("book", re.compile(r"^Book\s+([IVXLCDM]+|\d+)\b" + _EN_DASH + r"(.*)$", re.S)),
    ("section", re.compile(r"^Section\s+([IVXLCDM]+|\d+)\b" + _EN_DASH + r"(.*)$", re.S)),
)
_EN_ANNEX = re.compile(r"^(?:Annex|Appendix)(?:\s*(?:№|No\.?|N)?\s*(\d+))?\.?$")
_EN_SIGNATURE = re.compile(r"^(President of Georgia|Chairperson of the Parliament of Georgia|"
                           r"Prime Minister of Georgia|Prime Minister)\b")
_SIGNATURE = re.compile(
    r"^(საქართველოს\s+პრეზიდენტი|საქართველოს\s+პარლამენტის\s+თავმჯდომარე|"
    r"საქართველოს\s+პრემიერ-მინისტრი|პრემიერ-მინისტრი)"
)
_PARAGRAPH = re.compile(r"^(\d+(?:\^\d+)?)\.(?!\d)")
_QUOTES = ("„", '"', ",,", "“", "«")


@dataclass(frozen=True)
class Block:
    hint: str  # "heading", "text", or a unit kind the layout states outright
    text: str


def detect_heading(text: str, language: str = "ka") -> tuple[str, str, str] | None:
    """(kind, raw number, heading) when `text` opens a structural unit, else None.

    language "en": the headings of Matsne's official English translations instead of Georgian ones.
    """
    if language == "en":
        return _detect_english_heading(text)
    for kind, pattern in (("article", _ARTICLE), ("chapter", _CHAPTER), ("part", _PART),
                          ("book", _BOOK), ("section", _SECTION)):
        match = pattern.match(text)
        if match:
            return kind, match.group(1), match.group(2).strip()
    match = _ANNEX.match(text)
    if match:
        return "annex", match.group(1) or "", ""
    return None


def _detect_english_heading(text: str) -> tuple[str, str, str] | None:
    for kind, pattern in _EN_HEADINGS:
        match = pattern.match(text)
        if match:
            return kind, match.group(1), match.group(2).strip()
    match = _EN_ANNEX.match(text)
    if match:
        return "annex", match.group(1) or "", ""
    return None


@dataclass
class _Pending:
    kind: str
    number: str
    heading: str
    lines: list[str] = field(default_factory=list)
    annex: int = 0
    titled: bool = False


def _collect(blocks: list[Block], language: str = "ka") -> list[_Pending]:
    pending: list[_Pending] = []
    signature = _EN_SIGNATURE if language == "en" else _SIGNATURE
    annex = 0
    seen_article = False
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        current = pending[-1] if pending else None
        quoted = text.startswith(_QUOTES)
        if block.hint == "footer" or (seen_article and signature.match(text) and
                                      (current is None or current.kind != "footer")):
            if current is not None and current.kind == "footer":
                current.lines.append(text)
            else:
                pending.append(_Pending("footer", "", "", [text], annex))
            continue
        if current is not None and current.kind == "footer" and block.hint == "text":
            current.lines.append(text)
            continue
        found = None if quoted else detect_heading(text, language)
        if found and found[0] == "annex":
            annex += 1
            pending.append(_Pending("annex", str(annex), text, [], annex))
            continue
        if block.hint == "annex":
            annex += 1
            pending.append(_Pending("annex", str(annex), " ".join(text.split()), [], annex, "\n" in text))
            continue
        if block.hint != "text" and found:
            kind, number, heading = found
            pending.append(_Pending(kind, number, heading, [], annex))
            seen_article = seen_article or kind == "article"
            continue
        if block.hint == "header" and current is None:
            continue  # the act's type and title above its body: the metadata table has them
        if current is None:
            pending.append(_Pending("preamble", "", "", [text], annex))
            continue
        if current.kind == "annex" and not current.titled:
            current.heading = f"{current.heading} {text}"  # an annex's first line is its title
            current.titled = True
            continue
        current.lines.append(text)
    return pending


def build_units(blocks: list[Block], language: str = "ka") -> tuple[Unit, ...]:
    """Units in document order with keys unique within the act (language: see `detect_heading`)."""
    pending = _collect(blocks, language)
    articles = [p for p in pending if p.kind == "article"]
    numbers = [normalise_unit_number(p.number) for p in articles]
    for index, article in enumerate(articles):
        previous = numbers[index - 1] if index else None
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        article.number = resolve_flattened_number(numbers[index], previous, following)
        numbers[index] = article.number

    units: list[Unit] = []
    used: set[str] = set()
    implicit_annex = 0
    parent_by_kind: dict[str, str] = {}
    for item in pending:
        number = item.number if item.kind == "article" else normalise_unit_number(item.number)
        annex = item.annex + implicit_annex
        if item.kind == "article":
            key = f"annex-{annex}/{number}" if annex else number
            if key in used:
                # Numbering restarted with no annex heading: keep every article, in its own scope.
                implicit_annex += 1
                annex = item.annex + implicit_annex
                key = f"annex-{annex}/{number}"
        elif item.kind == "annex":
            key = f"annex-{annex}"
        elif item.kind in ("preamble", "footer"):
            key = item.kind if not annex else f"annex-{annex}/{item.kind}"
        else:
            key = f"{item.kind}-{number}" if not annex else f"annex-{annex}/{item.kind}-{number}"
        base, suffix = key, 2
        while key in used:
            key = f"{base}~{suffix}"
            suffix += 1
        used.add(key)
        text = "\n".join(item.lines)
        paragraphs = tuple(normalise_unit_number(m.group(1)) for line in item.lines
                           if (m := _PARAGRAPH.match(line))) if item.kind == "article" else ()
        parent = None
        if item.kind == "article":
            parent = parent_by_kind.get("chapter") or parent_by_kind.get("annex")
        elif item.kind == "chapter":
            parent = parent_by_kind.get("part") or parent_by_kind.get("book") or parent_by_kind.get("annex")
        if item.kind in ("book", "part", "chapter", "annex"):
            parent_by_kind[item.kind] = key
            if item.kind == "annex":
                parent_by_kind.pop("chapter", None)
            if item.kind in ("book", "part"):
                parent_by_kind.pop("chapter", None)
        units.append(Unit(item.kind, key, number if item.kind != "preamble" else "", item.heading,
                          text, parent, paragraphs))
    return tuple(units)
