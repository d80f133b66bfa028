"""The glossary of an act: its legal definitions ("ტერმინთა განმარტება"), each with its source article.

A definition decides who a law covers ("ბენეფიციარი – სოციალური დახმარების მიმღები"), which is
why a changed definition is its own change kind, shown first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from alerts.tagging import topics_of
from alerts.topics import load_taxonomy

__all__ = ["DEFINITION_HEADINGS", "Definition", "extract_definitions", "glossary"]

DEFINITION_HEADINGS = re.compile(r"ტერმინ|ცნებ|განმარტებ")
_ITEM = re.compile(r"^(?P<item>[ა-ჰ](?:\.[ა-ჰ])?\)|\d+(?:\^\d+)?\.)\s*(?P<rest>.+)$")
_DASH = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str
    article: str
    item: str
    topics: tuple[str, ...] = ()


def extract_definitions(text: str, *, article: str = "") -> list[Definition]:
    """Every "ა) term – definition;" item of a definitions article."""
    taxonomy = load_taxonomy()
    found = []
    for line in text.splitlines():
        match = _ITEM.match(line.strip())
        if not match:
            continue
        parts = _DASH.split(match.group("rest"), maxsplit=1)
        if len(parts) != 2:
            continue
        term, definition = parts[0].strip(" „“\""), parts[1].strip().rstrip(";.")
        if not term or len(term.split()) > 10 or not definition:
            continue  # not a definition: a sentence that happens to hold a dash
        topics = tuple(sorted(topics_of(f"{term} {definition}", taxonomy)))
        found.append(Definition(term, definition, article, match.group("item"), topics))
    return found


def glossary(units: Iterable[Mapping], *, social_only: bool = False) -> list[Definition]:
    """The definitions of every definitions article among a version's units (dicts or Unit records)."""
    entries: list[Definition] = []
    for unit in units:
        get = unit.get if isinstance(unit, Mapping) else lambda name, default=None: getattr(unit, name, default)
        if get("kind") != "article" or not DEFINITION_HEADINGS.search(get("heading") or ""):
            continue
        entries.extend(extract_definitions(get("text") or "", article=get("key") or ""))
    return [entry for entry in entries if entry.topics] if social_only else entries
