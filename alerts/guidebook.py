"""The guidebook by topic: the terms whose definitions are about a social-sector topic (alerts.tagging)."""

from __future__ import annotations

from collections.abc import Sequence

from alerts.tagging import topics_of
from alerts.topics import Taxonomy, load_taxonomy
from diffing.guidebook import Entry

__all__ = ["entry_topics", "on_topic"]


def entry_topics(entry: Entry, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """The topics of a term: those the tagger finds in the term with any of its definitions."""
    taxonomy = taxonomy or load_taxonomy()
    found: set[str] = set()
    for definition in entry.definitions:
        found.update(topics_of(f"{entry.term} – {definition.text}", taxonomy))
    return tuple(sorted(found))


def on_topic(entries: Sequence[Entry], topic: str, taxonomy: Taxonomy | None = None) -> list[Entry]:
    """The entries about `topic` (a slug of data/topics/topics.tsv)."""
    taxonomy = taxonomy or load_taxonomy()
    return [entry for entry in entries if topic in entry_topics(entry, taxonomy)]
