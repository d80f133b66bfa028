"""A stored change in the reader's language, from its facts alone.

A stored change holds what happened (kinds, unit paths, publication numbers, bill events with their
details and dates); every channel (e-mail, web, feed, API, CSV) names it through these functions, so
nothing language-bound is stored and nothing is parsed back out of display text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from alerts.i18n import translate
from diffing.labels import label
from tracker.changes import parse_unit_key
from vocabulary.parliament_records import STAGE_KINDS

__all__ = ["EVIDENCE_LANGUAGE", "change_headline", "event_facts", "event_label", "tag_label", "unit_label"]

_STAGES = tuple(kind for kind in STAGE_KINDS if kind != "other")  # the stages with a name of their own
# A tag's evidence is a Georgian snippet of the law; the unit it was found in is named beside it in the
# law's language, whatever the reader's (as Kanoni has always shown it).
EVIDENCE_LANGUAGE = "ka"


def _path(unit: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...] | None:
    return tuple((level, str(number)) for level, number in unit.items()) if unit else None


def event_facts(event: Any) -> dict[str, Any]:
    """What a change keeps of a bill event (a `tracker.models.BillEvent`): its id, kind, day and details,
    and the importer's own summary, which is shown only for kinds Kanoni has no words of its own for."""
    return {"id": event.id, "kind": event.kind, "happened_on": event.happened_on.isoformat() if event.happened_on else None,
            "details": dict(event.details or {}), "summary": event.summary or ""}


def event_label(event: Mapping[str, Any], language: str) -> str:
    """A bill event ({"kind", "details", "happened_on", "summary"}, see `event_facts`) in the reader's
    language; else the summary Parliament's importer recorded with it."""
    details = event.get("details") or {}
    happened = event.get("happened_on")
    when = f" ({date.fromisoformat(str(happened)[:10]).isoformat()})" if happened else ""
    kind, stage = event.get("kind"), details.get("stage")
    stage_words = translate(f"stage_{stage}", language) if stage in _STAGES else (details.get("name") or "")
    if kind == "registered":
        return translate("event_registered", language, number=details.get("number") or "—") + when
    if kind == "stage_reached" and (stage in _STAGES or details.get("name")):
        # Parliament's own name of the stage is Georgian: a Georgian reader gets it as written.
        name = details.get("name") if language == "ka" and details.get("name") else stage_words
        return f"{name}{when}"
    if kind in ("became_law", "withdrawn"):
        return (translate(f"event_{kind}", language, number=details.get("number") or "").strip()) + when
    if kind == "committee_assigned" and details.get("role") in ("lead", "opinion"):
        return translate(f"event_committee_{details['role']}", language, committee=details.get("committee", ""))
    if kind in ("vote_recorded", "vote_changed") and details.get("votes_for") is not None:
        return translate("event_vote", language, stage=stage_words or stage or "", votes_for=details["votes_for"],
                         votes_against=details.get("votes_against") or 0)
    return event.get("summary") or ""


def unit_label(unit: Mapping[str, Any], language: str) -> str:
    """"მუხლი 12¹, პუნქტი 2" / "Article 12¹, paragraph 2" from a stored unit's path (and former path);
    a bill event's words from its facts. (A unit migrated from before 0013 whose words its path could not
    say again keeps them as "recorded_labels".)"""
    if unit.get("recorded_labels"):
        return unit["recorded_labels"].get(language) or unit["recorded_labels"].get("ka", "")
    if isinstance(unit.get("event"), Mapping):
        return event_label(unit["event"], language)
    path = _path(unit.get("unit"))
    if not path:
        return ""
    return label(path, language, formerly=_path(unit.get("from")))


def change_headline(kind: str, facts: Mapping[str, Any], language: str) -> str:
    """"ვერსია 15 → 16" / "version 15 → 16" for a version; the bill's number (else its id) for a bill."""
    if "from_publication" in facts and "to_publication" in facts:
        return translate("publication_change", language, old=facts["from_publication"], new=facts["to_publication"])
    if "recorded_headline" in facts:  # migrated from before 0013, not made by detection: shown as it was
        return str(facts["recorded_headline"])
    return str(facts.get("bill_number") or facts.get("bill_id") or "")


def tag_label(key: str, facts: Mapping[str, Any]) -> str:
    """Where a tag's evidence was found (`tracker.changes.unit_key`): the unit, named in the evidence's
    language; "" names the bill itself, by its number."""
    if key.startswith('{"recorded_label"'):  # migrated from before 0013: a label no unit of the change carried
        return str(json.loads(key)["recorded_label"])
    unit = parse_unit_key(key)
    if not unit:
        return str(facts.get("bill_number") or facts.get("bill_id") or "")
    return unit_label(unit, EVIDENCE_LANGUAGE)
