"""The texts of amending acts, and what the version check reads: an act's versions and its amending acts.

`kanoni crawl matsne --with-amending-acts` fetches the page of each amending act an act's page lists
(`AmendingAct.document_id`) and stores it here once (`AmendingText`): append-only, the same page twice
stores nothing the second time, a stored text is never rewritten (a different fetch is a conflict, the
stored one is kept). `kanoni verify` reads them back with the act's published versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlmodel import Session, col

from tracker.hashing import content_sha256
from tracker.models import AmendingAct, AmendingText, ConsolidatedVersion, VersionCheck
from vocabulary.records import ActPage

__all__ = ["AmendingOutcome", "act_amending_texts", "act_version_checks", "act_version_days", "act_versions",
           "import_amending_page", "store_version_checks", "stored_amending_documents"]


@dataclass(frozen=True)
class AmendingOutcome:
    """outcome: "inserted" (stored now) or "unchanged" (stored before). conflict: the stored text differs
    from this fetch and was kept; the caller records it as an error of the run."""

    outcome: Literal["inserted", "unchanged"]
    conflict: bool = False


def _unit_rows(page: ActPage) -> list[dict[str, Any]]:
    return [{"kind": u.kind, "key": u.key, "number": u.number, "heading": u.heading, "text": u.text}
            for u in page.units]


def import_amending_page(session: Session, page: ActPage, *, run_id: int, fetched_at: datetime,
                         body_sha256: str | None = None) -> AmendingOutcome:
    """Store an amending act's page (its text and metadata), once per Matsne document."""
    if not page.units:
        raise ValueError(f"document {page.metadata.document_id}: an amending act's page without text is not stored")
    digest = content_sha256(page.units)
    meta = page.metadata
    with session.begin_nested():
        stored = session.scalars(select(AmendingText).where(col(AmendingText.document_id) == meta.document_id)).first()
        if stored is not None:
            return AmendingOutcome("unchanged", conflict=stored.content_sha256 != digest)
        moment = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
        session.add(AmendingText(
            document_id=meta.document_id, title=meta.title, act_type=meta.act_type or "", number=meta.number or "",
            adopted=meta.adopted, published=meta.published, entry_into_force=meta.entry_into_force,
            units=_unit_rows(page), content_sha256=digest, body_sha256=body_sha256, layout=page.layout,
            fetched_at=moment.astimezone(UTC), crawl_run_id=run_id))
        session.flush()
    return AmendingOutcome("inserted")


def stored_amending_documents(session: Session, document_ids: list[int] | None = None) -> set[int]:
    """The Matsne ids (of `document_ids`, or all) whose amending-act text is stored."""
    query = select(col(AmendingText.document_id))
    if document_ids is not None:
        query = query.where(col(AmendingText.document_id).in_(document_ids))
    return set(session.scalars(query))


def act_amending_texts(session: Session, act_id: int) -> list[dict[str, Any]]:
    """The act's amending acts, in the order its page lists them, each with its stored text where there is one:
    {"seq", "date", "act_type", "act_number", "published_on", "document_id", "stored": bool, "title",
    "entry_into_force", "published", "units"}."""
    listed = session.scalars(
        select(AmendingAct).where(col(AmendingAct.act_id) == act_id).order_by(col(AmendingAct.seq), col(AmendingAct.id))
    ).all()
    ids = [a.document_id for a in listed if a.document_id is not None]
    texts = {t.document_id: t for t in session.scalars(
        select(AmendingText).where(col(AmendingText.document_id).in_(ids)))} if ids else {}
    out = []
    for entry in listed:
        text = texts.get(entry.document_id) if entry.document_id is not None else None
        out.append({
            "seq": entry.seq, "date": entry.date, "act_type": entry.act_type, "act_number": entry.act_number,
            "published_on": entry.published_on, "document_id": entry.document_id, "stored": text is not None,
            "title": text.title if text else None, "entry_into_force": text.entry_into_force if text else None,
            "published": text.published if text else None, "units": list(text.units) if text else None,
        })
    return out


def act_versions(session: Session, act_id: int) -> list[dict[str, Any]]:
    """Every published, readable version of the act: {"publication", "valid_from", "units"}, oldest first."""
    from tracker.queries import version_units

    rows = session.execute(_published_versions(act_id)).all()
    out = []
    for publication, valid_from, version_date in rows:
        version = version_units(session, act_id, publication)
        if version is None or not version.get("units"):
            continue
        out.append({"publication": publication, "valid_from": valid_from or version_date, "units": version["units"]})
    return out


def _published_versions(act_id: int):
    return (select(col(ConsolidatedVersion.publication), col(ConsolidatedVersion.valid_from),
                   col(ConsolidatedVersion.version_date))
            .where(col(ConsolidatedVersion.act_id) == act_id)
            .where(col(ConsolidatedVersion.published).is_(True))
            .where(col(ConsolidatedVersion.paywalled).is_(False))
            .order_by(col(ConsolidatedVersion.publication)))


def act_version_days(session: Session, act_id: int) -> list[tuple[int, date | None]]:
    """(publication, the day it came into force) of each published, readable version, oldest first: what
    `act_versions` gives without the texts, to tell which versions an amending act falls between."""
    return [(publication, valid_from or version_date)
            for publication, valid_from, version_date in session.execute(_published_versions(act_id)).all()]


def store_version_checks(session: Session, act_id: int, checks: list[dict[str, Any]]) -> int:
    """Keep the version check's outcomes of the act's amending acts, each {"document_id", "base", "next",
    "state", "differences"}; one checked again replaces its earlier outcome. Returns how many were written."""
    now = datetime.now(UTC)
    for check in checks:
        session.execute(delete(VersionCheck).where(
            col(VersionCheck.act_id) == act_id, col(VersionCheck.document_id) == check["document_id"],
            col(VersionCheck.base_publication) == check["base"],
            col(VersionCheck.next_publication) == check["next"]))
        session.add(VersionCheck(act_id=act_id, document_id=check["document_id"], base_publication=check["base"],
                                 next_publication=check["next"], state=check["state"],
                                 differences=list(check["differences"]), checked_at=now))
    session.flush()
    return len(checks)


def act_version_checks(session: Session, act_id: int) -> dict[tuple[int, int, int], dict[str, Any]]:
    """The act's kept version checks by (document_id, base, next): {"state", "differences", "checked_at"}."""
    rows = session.scalars(select(VersionCheck).where(col(VersionCheck.act_id) == act_id)).all()
    return {(row.document_id, row.base_publication, row.next_publication):
            {"state": row.state, "differences": list(row.differences), "checked_at": row.checked_at}
            for row in rows}
