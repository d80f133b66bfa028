"""Detect changes: diff each newly published version against its predecessor, tag what changed.

Tags come from the text that changed (the amended, added or repealed units), never from the
whole act, and each carries its evidence: the unit and the words that matched.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from alerts.glossary import DEFINITION_HEADINGS
from alerts.i18n import translate
from alerts.topics import load_taxonomy
from vocabulary.parliament_records import STAGE_KINDS
from diffing.changes import diff_documents
from diffing.ranking import bill_significance, significance, sort_units
from diffing.render import to_json
from diffing.units import document_from_units
from tracker.changes import TagRecord, bill_events_to_report, record_change, versions_to_compare
from tracker.models import BillEvent
from tracker.queries import version_units

__all__ = ["DEFINITION_HEADINGS", "detect_bill_changes", "detect_changes", "tag_units"]

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


_STAGES = tuple(kind for kind in STAGE_KINDS if kind != "other")  # the stages with a name of their own


def event_label(event: BillEvent, language: str) -> str:
    """A bill event in the reader's language, from its kind and details; else its stored (English) summary."""
    details, when = event.details or {}, f" ({event.happened_on.isoformat()})" if event.happened_on else ""
    stage = details.get("stage")
    stage_words = translate(f"stage_{stage}", language) if stage in _STAGES else (details.get("name") or "")
    if event.kind == "registered":
        return translate("event_registered", language, number=details.get("number") or "—") + when
    if event.kind == "stage_reached" and (stage in _STAGES or details.get("name")):
        # Parliament's own name of the stage is Georgian: a Georgian reader gets it as written.
        name = details.get("name") if language == "ka" and details.get("name") else stage_words
        return f"{name}{when}"
    if event.kind in ("became_law", "withdrawn"):
        return (translate(f"event_{event.kind}", language, number=details.get("number") or "").strip()) + when
    if event.kind == "committee_assigned" and details.get("role") in ("lead", "opinion"):
        return translate(f"event_committee_{details['role']}", language, committee=details.get("committee", ""))
    if event.kind in ("vote_recorded", "vote_changed") and details.get("votes_for") is not None:
        return translate("event_vote", language, stage=stage_words or stage or "", votes_for=details["votes_for"],
                         votes_against=details.get("votes_against") or 0)
    return event.summary


def detect_bill_changes(session: Session, *, now: datetime | None = None) -> int:
    """One change per bill and Parliament run, listing its events, tagged from the bill's title,
    description and draft text (what a member would read to judge it)."""
    recorded = 0
    for bill, run_id, events, act_ids, draft in bill_events_to_report(session):
        units = [{"unit": {"event": event.kind}, "label": event_label(event, "ka"), "label_en": event_label(event, "en"),
                  "kind": f"bill_{event.kind}", "old": None, "new": None} for event in events]
        evidence = [{"label": bill.number or str(bill.id), "new": "\n".join(filter(None, (bill.title, bill.description, draft)))}]
        kinds = [event.kind for event in events]
        headline = bill.number or str(bill.id)
        _, created = record_change(
            session, source_key=f"bill:{bill.id}:run:{run_id}", kind="bill", title=bill.title, headline=headline,
            units=units, significance=bill_significance(kinds),
            tags=tag_units(evidence), act_id=act_ids[0] if act_ids else None, bill_id=bill.id,
            url=f"https://info.parliament.ge/#law-drafting/{bill.id}", detected_at=now)
        recorded += created
    return recorded


def detect_changes(session: Session, *, now: datetime | None = None) -> int:
    """Record a change for every version pair and bill update not yet reported; returns how many."""
    recorded = detect_bill_changes(session, now=now)
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
        units = sort_units(units)  # definitions first: the one ranking, diffing.ranking
        _, created = record_change(
            session, source_key=f"act:{act.id}:{previous.publication}-{new.publication}", kind="version",
            title=act.title, headline=f"publication {previous.publication} → {new.publication}", units=units,
            significance=significance([u["kind"] for u in units]), tags=tag_units(units),
            act_id=act.id, from_version_id=previous.id, to_version_id=new.id,
            url=f"https://matsne.gov.ge/ka/document/view/{act.id}?publication={new.publication}", detected_at=now)
        recorded += created
    return recorded
