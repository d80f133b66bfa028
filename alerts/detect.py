"""Detect changes: diff each newly published version against its predecessor, tag what changed.

Tags come from the text that changed (the amended, added or repealed units), never from the
whole act, and each carries its evidence: the unit and the words that matched.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from alerts.glossary import DEFINITION_HEADINGS
from alerts.tagging import tag_text
from alerts.topics import load_taxonomy
from alerts.wording import event_facts
from diffing.changes import diff_documents
from diffing.labels import unit_dict
from diffing.ranking import bill_significance, significance, sort_units
from diffing.redline import redline
from diffing.render import to_json
from diffing.units import document_from_units
from tracker.changes import (TagRecord, bill_events_to_report, discrepancies_to_report, discrepancy_key, record_change,
                             unit_key, versions_to_compare)
from tracker.queries import version_units

__all__ = ["DEFINITION_HEADINGS", "detect_bill_changes", "detect_changes", "detect_discrepancies", "tag_units"]


def tag_units(units: list[dict]) -> list[TagRecord]:
    """(topic, unit key, term, snippet) for each topic alerts.tagging tags in each unit's new (else old)
    text: the term and the words around it are the tag's strongest evidence."""
    taxonomy = load_taxonomy()
    tags: list[TagRecord] = []
    for unit in units:
        text = unit.get("new") or unit.get("old") or ""
        for tag in tag_text(text, taxonomy):
            tags.append((tag.topic, unit_key(unit), tag.term, tag.snippet(text)))
    return tags


def _definition_articles(units: list[dict]) -> set[str]:
    return {u["key"] for u in units if u.get("kind") == "article" and DEFINITION_HEADINGS.search(u.get("heading") or "")}


def detect_bill_changes(session: Session, *, now: datetime | None = None) -> int:
    """One change per bill and Parliament run, listing its events, tagged from the bill's title,
    description and draft text (what a member would read to judge it)."""
    recorded = 0
    for bill, run_id, events, act_ids, draft in bill_events_to_report(session):
        units = [{"unit": {"event": event.kind}, "event": event_facts(event), "kind": f"bill_{event.kind}",
                  "old": None, "new": None} for event in events]
        evidence = [{"new": "\n".join(filter(None, (bill.title, bill.description, draft)))}]  # the bill itself
        kinds = [event.kind for event in events]
        facts = {"bill_id": bill.id, "bill_number": bill.number or "", "run_id": run_id,
                 "event_ids": [event.id for event in events]}
        _, created = record_change(
            session, source_key=f"bill:{bill.id}:run:{run_id}", kind="bill", title=bill.title, facts=facts,
            units=units, significance=bill_significance(kinds),
            tags=tag_units(evidence), act_id=act_ids[0] if act_ids else None, bill_id=bill.id,
            url=f"https://info.parliament.ge/#law-drafting/{bill.id}", detected_at=now)
        recorded += created
    return recorded


def _stored_units(session: Session, act_id: int, publication: int) -> list:
    found = version_units(session, act_id, publication)
    if found is None:  # listed as a version to compare, so stored: never read as an empty text
        raise LookupError(f"version {publication} of act {act_id} is listed but not stored")
    return found["units"] or []


def detect_discrepancies(session: Session, *, now: datetime | None = None) -> int:
    """One change for each kept version check that found Matsne's consolidated version differing from the
    amending act applied in full: news to an advocate. Its units are the provisions that differ, "old" the
    wording the amending act gives, "new" Matsne's; it links to the diff of the two versions."""
    recorded = 0
    for act, check, act_number in discrepancies_to_report(session):
        units = []
        for difference in check.differences:
            path = tuple((str(level), str(number)) for level, number in difference["path"])
            old, new = difference.get("amended"), difference.get("consolidated")
            unit: dict = {"unit": unit_dict(path), "kind": "discrepancy", "old": old, "new": new}
            if old and new:
                unit["ops"] = [[op, text] for op, text in redline(old, new).ops]
            units.append(unit)
        facts = {"from_publication": check.base_publication, "to_publication": check.next_publication,
                 "amending_document_id": check.document_id, "amending_act_number": act_number}
        _, created = record_change(
            session, source_key=discrepancy_key(act.id, check.document_id, check.base_publication,
                                                check.next_publication),
            kind="discrepancy", title=act.title, facts=facts, units=units,
            significance=significance(["discrepancy"]), tags=tag_units(units), act_id=act.id,
            url=f"https://matsne.gov.ge/ka/document/view/{act.id}?publication={check.next_publication}",
            detected_at=now)
        recorded += created
    return recorded


def detect_changes(session: Session, *, now: datetime | None = None) -> int:
    """Record a change for every version pair, discrepancy and bill update not yet reported; returns how many."""
    recorded = detect_bill_changes(session, now=now) + detect_discrepancies(session, now=now)
    for act, previous, new in versions_to_compare(session):
        old_units = _stored_units(session, act.id, previous.publication)
        new_units = _stored_units(session, act.id, new.publication)
        diff = diff_documents(document_from_units(old_units), document_from_units(new_units))
        definitions = _definition_articles(old_units) | _definition_articles(new_units)
        units = []
        for entry in to_json(diff)["changes"]:
            unit = {name: value for name, value in entry.items() if name != "label"}  # words are rendered, not kept
            if unit["unit"].get("article") in definitions and unit["kind"] in ("amended", "added", "repealed"):
                unit["change"], unit["kind"] = unit["kind"], "definition"  # always shown first
            units.append(unit)
        units = sort_units(units)  # definitions first: the one ranking, diffing.ranking
        _, created = record_change(
            session, source_key=f"act:{act.id}:{previous.publication}-{new.publication}", kind="version",
            title=act.title, facts={"from_publication": previous.publication, "to_publication": new.publication},
            units=units,
            significance=significance([u["kind"] for u in units]), tags=tag_units(units),
            act_id=act.id, from_version_id=previous.id, to_version_id=new.id,
            url=f"https://matsne.gov.ge/ka/document/view/{act.id}?publication={new.publication}", detected_at=now)
        recorded += created
    return recorded
