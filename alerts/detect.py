"""Detect changes: diff each newly published version against its predecessor, tag what changed.

Tags come from the text that changed (the amended, added or repealed units), never from the
whole act, and each carries its evidence: the unit and the words that matched.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from alerts.topics import load_taxonomy
from diffing.changes import diff_documents
from diffing.render import to_json
from diffing.units import document_from_units
from tracker.changes import TagRecord, record_change, versions_to_compare
from tracker.queries import version_units

__all__ = ["DEFINITION_HEADINGS", "detect_changes", "tag_units"]

# The definitions article: "ტერმინთა განმარტება", "ძირითადი ტერმინები", "ცნებების განსაზღვრა"...
DEFINITION_HEADINGS = re.compile(r"ტერმინ|ცნებ|განმარტებ", re.I)
_RANK = {"definition": 0, "repealed": 1, "added": 2, "renumbered": 3, "moved": 3, "amended": 4}


def tag_units(units: list[dict]) -> list[TagRecord]:
    matcher = load_taxonomy().matcher
    tags: list[TagRecord] = []
    for unit in units:
        text = unit.get("new") or unit.get("old") or ""
        for hit in matcher.find(text):
            tags.append((hit.topic, unit.get("label", ""), hit.term_ka, hit.snippet(text)))
    return tags


def _definition_articles(units: list[dict]) -> set[str]:
    return {u["key"] for u in units if u.get("kind") == "article" and DEFINITION_HEADINGS.search(u.get("heading") or "")}


def detect_changes(session: Session, *, now: datetime | None = None) -> int:
    """Record a change for every version pair not yet compared; returns how many were recorded."""
    recorded = 0
    for act, previous, new in versions_to_compare(session):
        old_units = version_units(session, act.id, previous.publication)["units"] or []
        new_units = version_units(session, act.id, new.publication)["units"] or []
        diff = diff_documents(document_from_units(old_units), document_from_units(new_units))
        georgian = to_json(diff, lang="ka")["changes"]
        english = to_json(diff, lang="en")["changes"]
        definitions = _definition_articles(old_units) | _definition_articles(new_units)
        units = []
        for ka, en in zip(georgian, english):
            unit = {**ka, "label_en": en["label"]}
            if unit["unit"].get("article") in definitions and unit["kind"] in ("amended", "added", "repealed"):
                unit["change"], unit["kind"] = unit["kind"], "definition"  # always shown first
            units.append(unit)
        units.sort(key=lambda u: _RANK.get(u["kind"], 5))
        _, created = record_change(
            session, source_key=f"act:{act.id}:{previous.publication}-{new.publication}", kind="version",
            title=act.title, headline=f"publication {previous.publication} → {new.publication}", units=units,
            significance=min((_RANK.get(u["kind"], 5) for u in units), default=9), tags=tag_units(units),
            act_id=act.id, from_version_id=previous.id, to_version_id=new.id,
            url=f"https://matsne.gov.ge/ka/document/view/{act.id}?publication={new.publication}", detected_at=now)
        recorded += created
    return recorded
