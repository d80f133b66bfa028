"""What the CLI reads about bills: plain dicts, ready for JSON. Dates are ISO strings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from vocabulary.titles import normalise_title
from tracker.models import (
    AmendingAct,
    ConsolidatedVersion,
    Bill,
    BillActLink,
    BillCommittee,
    BillEnactment,
    BillEvent,
    BillFile,
    BillFileVersion,
    BillStage,
    BillVote,
    TextBlob,
)

__all__ = ["bill_detail", "bill_draft_text", "bill_file_text", "bill_page_facts", "bills_with_stages", "list_bills",
           "unlinked_bills"]


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _amends(session: Session, bill_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {bill_id: [] for bill_id in bill_ids}
    rows = session.execute(select(col(BillActLink.bill_id), col(BillActLink.act_id))
                           .where(col(BillActLink.bill_id).in_(bill_ids)).where(col(BillActLink.act_id).is_not(None))
                           .order_by(col(BillActLink.bill_id), col(BillActLink.seq)))
    for bill_id, act_id in rows:
        out[bill_id].append(act_id)
    return out


def list_bills(session: Session, *, open_only: bool = False, topic: str | None = None) -> list[dict[str, Any]]:
    """Bills, newest registration first. `topic`: a word looked for in the normalised title and
    description (the CLI filters by taxonomy topic itself, with Georgian endings)."""
    query = select(Bill).order_by(col(Bill.registered).desc(), col(Bill.id).desc())
    if open_only:
        query = query.where(col(Bill.status) == "open")
    bills = list(session.scalars(query))
    if topic:
        word = normalise_title(topic)
        bills = [b for b in bills if word in normalise_title(f"{b.title} {b.description}")]
    amends = _amends(session, [b.id for b in bills])
    return [{
        "id": b.id, "number": b.number, "registered": _iso(b.registered), "title": b.title,
        "description": b.description,
        "initiator": b.initiator, "status": b.status, "stage": b.stage, "link_status": b.link_status,
        "amends": amends[b.id],
    } for b in bills]


def _stages(session: Session, bill_id: int) -> list[dict[str, Any]]:
    stages = list(session.scalars(select(BillStage).where(col(BillStage.bill_id) == bill_id)
                                  .order_by(col(BillStage.seq), col(BillStage.id))))
    votes = {v.stage_id: v for v in session.scalars(select(BillVote).where(col(BillVote.bill_id) == bill_id))}
    committees: dict[int, list[dict[str, Any]]] = {}
    for c in session.scalars(select(BillCommittee).where(col(BillCommittee.bill_id) == bill_id)
                             .order_by(col(BillCommittee.id))):
        committees.setdefault(c.stage_id, []).append({"name": c.name, "role": c.role, "committee_id": c.committee_id})
    out = []
    for stage in stages:
        vote = votes.get(stage.id)
        out.append({
            "id": stage.id, "name": stage.name, "kind": stage.kind, "date": _iso(stage.date),
            "document_number": stage.document_number or None,
            "votes_for": vote.votes_for if vote else None, "votes_against": vote.votes_against if vote else None,
            "committees": sorted(committees.get(stage.id, []), key=lambda c: c["role"] != "lead"),
        })
    return out


def _files(session: Session, bill_id: int) -> list[dict[str, Any]]:
    out = []
    for f in session.scalars(select(BillFile).where(col(BillFile.bill_id) == bill_id).order_by(col(BillFile.id))):
        versions = list(session.scalars(select(BillFileVersion).where(col(BillFileVersion.file_id) == f.id)
                                        .order_by(col(BillFileVersion.seq))))
        latest = versions[-1] if versions else None
        out.append({
            "id": f.id, "stage_id": f.stage_id, "kind": f.kind_code, "type": f.kind, "name": f.name, "url": f.url,
            "sha256": latest.sha256 if latest else None, "format": latest.format if latest else None,
            "text_chars": latest.text_chars if latest else 0, "versions": len(versions),
            "error": (latest.extract_error if latest else None) or f.download_error,
        })
    return out


def _enactment(session: Session, bill_id: int) -> dict[str, Any] | None:
    enactment = session.get(BillEnactment, bill_id)
    if enactment is None:
        return None
    amending = session.get(AmendingAct, enactment.amending_act_id) if enactment.amending_act_id else None
    return {
        "law_number": enactment.law_number, "law_date": _iso(enactment.law_date), "status": enactment.status,
        "note": enactment.note,
        "amending_act": None if amending is None else {
            "act_id": amending.act_id, "seq": amending.seq, "act_number": amending.act_number,
            "date": _iso(amending.date), "document_id": amending.document_id},
    }


def bill_detail(session: Session, bill_id: int) -> dict[str, Any] | None:
    """One bill as JSON: metadata, stages with votes and committees, files, links, events."""
    bill = session.get(Bill, bill_id)
    if bill is None:
        return None
    links = list(session.scalars(select(BillActLink).where(col(BillActLink.bill_id) == bill_id)
                                 .order_by(col(BillActLink.seq))))
    events = session.scalars(select(BillEvent).where(col(BillEvent.bill_id) == bill_id)
                             .order_by(col(BillEvent.id)))
    return {
        "id": bill.id, "number": bill.number, "registered": _iso(bill.registered), "title": bill.title,
        "description": bill.description, "type": bill.type_name, "initiator": bill.initiator, "author": bill.author,
        "package": bill.package_name, "status": bill.status, "stage": bill.stage, "confirmed": bill.confirmed,
        "stages": _stages(session, bill_id),
        "files": _files(session, bill_id),
        "amends": [link.act_id for link in links if link.act_id is not None],
        "link_status": bill.link_status, "link_note": bill.link_note,
        "targets": [{"title": link.target_title, "kind": link.target_kind, "status": link.status,
                     "act_id": link.act_id, "note": link.note} for link in links],
        "enactment": _enactment(session, bill_id),
        "events": [{"kind": e.kind, "happened_on": _iso(e.happened_on), "details": dict(e.details or {}),
                    "published": e.published} for e in events],
    }


def unlinked_bills(session: Session) -> list[dict[str, Any]]:
    """Bills whose targets could not all be linked, and bills whose enactment is pending, with why."""
    out = []
    for bill in session.scalars(select(Bill).where(col(Bill.link_status).not_in(("linked", "none")))
                                .order_by(col(Bill.id))):
        links = session.scalars(select(BillActLink).where(col(BillActLink.bill_id) == bill.id)
                                .where(col(BillActLink.status) != "linked").order_by(col(BillActLink.seq)))
        reasons = [f"„{link.target_title}“: {link.status} — {link.note}" for link in links] or [bill.link_note]
        out.append({"id": bill.id, "number": bill.number, "status": bill.link_status, "reasons": reasons})
    for enactment in session.scalars(select(BillEnactment).where(col(BillEnactment.status) == "pending")
                                     .order_by(col(BillEnactment.bill_id))):
        enacted = session.get(Bill, enactment.bill_id)
        out.append({"id": enactment.bill_id, "number": enacted.number if enacted else "", "status": "law_pending",
                    "reasons": [enactment.note]})
    return out


def bill_draft_text(session: Session, bill_id: int) -> str | None:
    """The text of the bill's latest draft ("draft" attachment), as extracted; None when there is none."""
    return session.scalars(select(col(TextBlob.text))
                           .join(BillFileVersion, col(BillFileVersion.text_sha256) == col(TextBlob.sha256))
                           .join(BillFile, col(BillFile.id) == col(BillFileVersion.file_id))
                           .where(col(BillFile.bill_id) == bill_id, col(BillFile.kind_code) == "draft")
                           .order_by(col(BillFileVersion.fetched_at).desc(), col(BillFileVersion.id).desc())).first()


def bills_with_stages(session: Session) -> set[int]:
    """Bills whose stages were stored: those that parsed before (for the crawl's health check)."""
    return set(session.scalars(select(col(BillStage.bill_id)).distinct()))


# -- what the bill's page adds to the detail -------------------------------------------------------

_MATCHED_BY = (("matched by the law's number", "number"), ("matched by the adoption date", "date"),
               ("matched by the amending act's title", "title"))


def _date_source(stage: BillStage) -> str:
    """Which of Parliament's dates the stage's date is: "session" (the plenary's), "bureau", "submitted",
    or "other" (validation or appearance: the parser takes the first one given, in that order)."""
    if stage.date is None:
        return "none"
    for name, value in (("session", stage.session_date), ("bureau", stage.bureau_date),
                        ("submitted", stage.submitted_date)):
        if value is not None and value == stage.date:
            return name
    return "other"


def _enacted_version(session: Session, amending: AmendingAct) -> dict[str, Any] | None:
    """The act's published version the amending act produced: the first whose validity starts on or after the
    amending act's publication (else adoption) date, the one before it starting earlier; as the version page
    matches amending acts to versions (`tracker.queries.version_reading`). None when no version fits yet."""
    day = amending.published_on or amending.date
    if day is None:
        return None
    rows = list(session.execute(select(col(ConsolidatedVersion.publication), col(ConsolidatedVersion.valid_from))
                                .where(col(ConsolidatedVersion.act_id) == amending.act_id,
                                       col(ConsolidatedVersion.published).is_(True))
                                .order_by(col(ConsolidatedVersion.publication))))
    for (before, before_from), (publication, valid_from) in zip(rows, rows[1:]):
        if before_from is not None and valid_from is not None and before_from < day <= valid_from:
            return {"act_id": amending.act_id, "publication": publication, "previous_publication": before,
                    "valid_from": _iso(valid_from), "matched_on": _iso(day),
                    "matched_by": "published_on" if amending.published_on else "date"}
    return None


def bill_page_facts(session: Session, bill_id: int) -> dict[str, Any] | None:
    """What the bill's page shows beside `bill_detail`: which date each stage's date is ({stage id: source}),
    how its enactment was matched ("number" / "date" / "title", None when not linked), the act version it
    produced, the amending act's publication date, and the bills registered with it in one package
    (same registration number and package name). None when the bill is unknown."""
    bill = session.get(Bill, bill_id)
    if bill is None:
        return None
    stages = session.scalars(select(BillStage).where(col(BillStage.bill_id) == bill_id))
    enactment = session.get(BillEnactment, bill_id)
    amending = (session.get(AmendingAct, enactment.amending_act_id)
                if enactment is not None and enactment.amending_act_id else None)
    matched_by = None
    if enactment is not None and enactment.status == "linked":
        matched_by = next((code for prefix, code in _MATCHED_BY if enactment.note.startswith(prefix)), "other")
    companions: list[dict[str, Any]] = []
    if bill.number and bill.package_name:
        companions = [{"id": b.id, "title": b.title, "status": b.status, "stage": b.stage} for b in session.scalars(
            select(Bill).where(col(Bill.number) == bill.number, col(Bill.package_name) == bill.package_name,
                               col(Bill.id) != bill_id).order_by(col(Bill.id)))]
    return {
        "date_sources": {stage.id: _date_source(stage) for stage in stages},
        "enactment_matched_by": matched_by,
        "amending_published_on": _iso(amending.published_on) if amending else None,
        "enacted_version": _enacted_version(session, amending) if amending else None,
        "package_count": bill.bill_count, "companions": companions,
    }


def bill_file_text(session: Session, bill_id: int, file_id: int) -> dict[str, Any] | None:
    """One of the bill's stored files and the text extracted from its latest version: {"id", "name", "type",
    "kind", "url", "format", "versions", "fetched_at", "text" (None when unreadable), "error"}. None when the
    bill has no such file."""
    entry = session.get(BillFile, file_id)
    if entry is None or entry.bill_id != bill_id:
        return None
    versions = list(session.scalars(select(BillFileVersion).where(col(BillFileVersion.file_id) == file_id)
                                    .order_by(col(BillFileVersion.seq))))
    latest = versions[-1] if versions else None
    text = None
    if latest is not None and latest.text_sha256:
        text = session.scalars(select(col(TextBlob.text)).where(col(TextBlob.sha256) == latest.text_sha256)).first()
    return {
        "id": entry.id, "name": entry.name, "type": entry.kind, "kind": entry.kind_code, "url": entry.url,
        "format": latest.format if latest else None, "versions": len(versions),
        "fetched_at": _iso(latest.fetched_at) if latest else None, "text": text,
        "error": (latest.extract_error if latest else None) or entry.download_error,
    }
