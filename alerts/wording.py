"""A stored change in the reader's language, from its facts alone.

A stored change holds what happened (kinds, unit paths, publication numbers, bill events with their
details and dates); every channel (e-mail, web, feed, API, CSV) names it through these functions, so
nothing language-bound is stored and nothing is parsed back out of display text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from alerts.i18n import known_keys, translate
from diffing.labels import label
from tracker.changes import parse_unit_key
from vocabulary.parliament_records import STAGE_KINDS

__all__ = ["act_identity", "change_headline", "change_summary", "event_facts", "event_label", "tag_label", "unit_label"]

_STAGES = tuple(kind for kind in STAGE_KINDS if kind != "other")  # the stages with a name of their own
_FIELD_KEYS = known_keys("field_")
_FILE_KINDS = known_keys("file_kind_")


def _path(unit: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...] | None:
    return tuple((level, str(number)) for level, number in unit.items()) if unit else None


def event_facts(event: Any) -> dict[str, Any]:
    """What a change keeps of a bill event (a `tracker.models.BillEvent`): its id, kind, day and details."""
    return {"id": event.id, "kind": event.kind, "happened_on": event.happened_on.isoformat() if event.happened_on else None,
            "details": dict(event.details or {})}


def _stage_words(details: Mapping[str, Any], language: str) -> str:
    """A stage by its kind in the reader's language; Parliament's own name of it (Georgian) for a Georgian
    reader, or for a stage Kanoni has no name of its own for."""
    stage, name = details.get("stage"), details.get("name") or ""
    if language == "ka" and name:
        return str(name)
    if stage in _STAGES:
        return translate(f"stage_{stage}", language)
    return str(name) or translate("stage_other", language)


def _fields(names: Any, language: str) -> str:
    return ", ".join(translate(f"field_{name}", language) if f"field_{name}" in _FIELD_KEYS else str(name)
                     for name in names or ())


def _file(kind: str, details: Mapping[str, Any], language: str) -> str:
    code = details.get("file_kind")
    what = (str(details["kind_name"]) if language == "ka" and details.get("kind_name")
            else translate(f"file_kind_{code}" if f"file_kind_{code}" in _FILE_KINDS else "file_kind_other", language))
    if kind == "file_added":
        text = translate("event_file_added", language, kind=what, name=details.get("name") or "—")
    else:
        text = translate("event_file_changed", language, kind=what, name=details.get("name") or "—",
                         version=details.get("version") or "—")
    return text if details.get("readable", True) else f"{text} — {translate('event_file_unreadable', language)}"


def event_label(event: Mapping[str, Any], language: str) -> str:
    """A bill event ({"kind", "details", "happened_on"}, see `event_facts`) in the reader's language, from its
    facts alone. (An event migrated from before 0014 whose stored sentence its facts could not say again
    keeps it as details["recorded_summary"], shown as it was.)"""
    details = event.get("details") or {}
    if details.get("recorded_summary"):
        return str(details["recorded_summary"])
    happened = event.get("happened_on")
    when = f" ({date.fromisoformat(str(happened)[:10]).isoformat()})" if happened else ""
    kind = event.get("kind")
    if kind == "registered":
        return translate("event_registered", language, number=details.get("number") or "—") + when
    if kind == "stage_reached":
        return f"{_stage_words(details, language)}{when}"
    if kind in ("became_law", "withdrawn"):
        return (translate(f"event_{kind}", language, number=details.get("number") or "").strip()) + when
    if kind == "committee_assigned":
        role = details.get("role") if details.get("role") in ("lead", "opinion") else "other"
        return translate(f"event_committee_{role}", language, committee=details.get("committee") or "—")
    if kind in ("vote_recorded", "vote_changed"):
        votes_for = details.get("votes_for")
        return translate("event_vote", language, stage=_vote_stage(details, language),
                         votes_for="—" if votes_for is None else votes_for,
                         votes_against=details.get("votes_against") or 0)
    if kind == "details_changed":
        return translate("event_details_changed", language, fields=_fields(details.get("fields"), language))
    if kind == "stage_updated":
        return translate("event_stage_updated", language, stage=_stage_words(details, language),
                         fields=_fields(details.get("fields"), language))
    if kind in ("file_added", "file_changed"):
        return _file(kind, details, language)
    return translate("event_other", language, kind=kind or "—")


def _vote_stage(details: Mapping[str, Any], language: str) -> str:
    # As alerts have always said it: the stage by its kind in both languages, Parliament's name otherwise.
    stage = details.get("stage")
    if stage in _STAGES:
        return translate(f"stage_{stage}", language)
    return str(details.get("name") or "") or translate("stage_other", language)


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


def tag_label(key: str, facts: Mapping[str, Any], language: str) -> str:
    """Where a tag's evidence was found (`tracker.changes.unit_key`): the unit, named in the reader's language
    (the evidence beside it is the law's own Georgian words, a quotation, and stays as written); "" names
    the bill itself, by its number. A label migrated from before 0013 is shown as it was recorded."""
    if key.startswith('{"recorded_label"'):  # migrated from before 0013: a label no unit of the change carried
        return str(json.loads(key)["recorded_label"])
    unit = parse_unit_key(key)
    if not unit:
        return str(facts.get("bill_number") or facts.get("bill_id") or "")
    return unit_label(unit, language)


# Matsne's act types (as it publishes them, in Georgian) Kanoni has English words for; others are shown as published.
_ACT_TYPES_EN = {
    "საქართველოს კანონი": "Law of Georgia", "კანონი": "Law", "ორგანული კანონი": "Organic law",
    "საქართველოს ორგანული კანონი": "Organic law of Georgia", "კოდექსი": "Code",
    "საქართველოს კონსტიტუციური კანონი": "Constitutional law of Georgia",
    "საქართველოს მთავრობის დადგენილება": "Resolution of the Government of Georgia",
    "დადგენილება": "Resolution", "ბრძანება": "Order", "ბრძანებულება": "Decree", "განკარგულება": "Ordinance",
    "გადაწყვეტილება": "Decision", "საქართველოს პრეზიდენტის ბრძანებულება": "Decree of the President of Georgia",
    "საქართველოს მინისტრის ბრძანება": "Order of a Minister of Georgia", "საქართველოს კოდექსი": "Code of Georgia",
    "საქართველოს პარლამენტის დადგენილება": "Resolution of the Parliament of Georgia",
    "საქართველოს მთავრობის განკარგულება": "Ordinance of the Government of Georgia",
    "საქართველოს კონსტიტუცია": "Constitution of Georgia",
}


def act_identity(act_type: str | None, number: str | None, language: str) -> str:
    """"საქართველოს კანონი №4321-IIს" / "Law of Georgia No 4321-IIს": what tells two acts with one title apart.
    The number is Matsne's own; the type in English where Kanoni has words for it, else as published."""
    kind = " ".join((act_type or "").split())
    if kind and language != "ka":
        kind = _ACT_TYPES_EN.get(kind, kind)
    code = " ".join((number or "").split())
    if not code:
        return kind
    return f"{kind} {translate('number_sign', language)}{code}".strip()


_BILL_EVENT_ORDER = ("became_law", "withdrawn", "registered", "stage_reached", "vote_recorded", "vote_changed",
                     "committee_assigned", "file_added", "file_changed", "stage_updated", "details_changed")


def change_summary(kind: str, units: Sequence[Mapping[str, Any]], language: str) -> str:
    """What happened, in a few words, from the stored facts alone: "3 articles amended", "new bill",
    "passed the first reading"."""
    if kind == "bill":
        events = [u.get("event") for u in units if isinstance(u.get("event"), Mapping)]
        event_kinds = [str(e.get("kind")) for e in events if e]
        for wanted in _BILL_EVENT_ORDER:
            if wanted in event_kinds:
                event = next(e for e in events if e and e.get("kind") == wanted)
                stage = (event.get("details") or {}).get("stage")
                if wanted == "registered":
                    return translate("summary_new_bill", language)
                if wanted == "stage_reached" and stage in _STAGES:
                    return translate(f"summary_stage_{stage}", language)
                return translate(f"kind_bill_{wanted}", language)
        return translate("summary_bill_changed", language)
    if kind == "discrepancy":
        return translate("summary_discrepancy" + ("_one" if len(units) == 1 else ""), language, count=len(units))
    articles = {str((u.get("unit") or {}).get("article")) for u in units if (u.get("unit") or {}).get("article")}
    kinds = {u.get("kind") for u in units}
    count = len(articles)
    what = ("repealed" if kinds == {"repealed"} else "added" if kinds == {"added"} else "amended")
    if count:
        return translate(f"summary_articles_{what}" + ("_one" if count == 1 else ""), language, count=count)
    return translate("summary_provisions" + ("_one" if len(units) == 1 else ""), language, count=len(units))
