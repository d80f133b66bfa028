"""What the CLI and reports read from the tracker: plain dicts, ready for JSON.

Dates and timestamps are ISO strings. Only published versions are shown unless one is asked
for by number: unpublished ones come from runs nobody vouched for. The watch-list helpers of
`tracker.watchlist` are re-exported here for the CLI.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import LargeBinary, cast, func, literal, select, text
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlmodel import Session, SQLModel, col

from tracker.models import (
    Act,
    ActRevision,
    AmendingAct,
    ConsolidatedVersion,
    CrawlError,
    CrawlRun,
    TextBlob,
    TranslatedUnit,
    TranslatedVersion,
    UnitContent,
    VersionUnit,
    WatchedAct,
)
from tracker.read_models import StoredUnit, VersionAmendment, VersionReading
from tracker.watchlist import watch, watched_act_ids

__all__ = [
    "act_detail",
    "act_identities",
    "act_titles",
    "list_acts",
    "recent_runs",
    "run_errors",
    "storage_bytes",
    "version_translation",
    "version_content_hash",
    "version_reading",
    "version_dates",
    "version_units",
    "unit_versions",
    "watch",
    "watched_act_ids",
]

# Unit kinds that `act_detail` lists as "articles". Articles of annexes are kind "article"
# too (key "annex-1/5"), so they come along in document order.
ARTICLE_KINDS = ("article",)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def list_acts(session: Session) -> list[dict[str, Any]]:
    """Every act with its count of published versions and its latest publication number."""
    versions = (
        select(
            col(ConsolidatedVersion.act_id),
            func.count().label("versions"),
            func.max(col(ConsolidatedVersion.publication)).label("latest_publication"),
        )
        .where(col(ConsolidatedVersion.published).is_(True))
        .group_by(col(ConsolidatedVersion.act_id))
        .subquery()
    )
    query = (
        select(Act, versions.c.versions, versions.c.latest_publication)
        .outerjoin(versions, versions.c.act_id == col(Act.id))
        .order_by(col(Act.id))
    )
    return [
        {
            "id": act.id,
            "title": act.title,
            "number": act.number,
            "type": act.act_type,
            "versions": count or 0,
            "latest_publication": latest,
            "last_checked_at": _iso(act.last_checked_at),
        }
        for act, count, latest in session.execute(query)
    ]


def act_titles(session: Session, act_ids) -> dict[int, str]:
    """The stored titles of those acts that are stored (to name an act by its title, not its number)."""
    ids = list({int(i) for i in act_ids})
    if not ids:
        return {}
    return {act_id: title for act_id, title in session.execute(select(col(Act.id), col(Act.title)).where(col(Act.id).in_(ids)))
            if title}


def act_identities(session: Session, act_ids) -> dict[int, tuple[str | None, str | None]]:
    """act id → (type, number) as Matsne publishes them, for the stored acts among `act_ids` (what tells two
    acts with one title apart)."""
    ids = list({int(i) for i in act_ids})
    if not ids:
        return {}
    rows = session.execute(select(col(Act.id), col(Act.act_type), col(Act.number)).where(col(Act.id).in_(ids)))
    return {act_id: (act_type, number) for act_id, act_type, number in rows}


def act_detail(
    session: Session, act_id: int, publication: int | None = None, *, include_articles: bool = True
) -> dict[str, Any] | None:
    """One act as JSON: metadata, amending acts, and its versions with their articles.

    publication None: every published version; a number: that version, published or not.
    include_articles False: the versions without their articles (a page listing them).
    A version whose official translation was looked up (`crawl matsne --translations`) has
    "translations": {language: {"status": "present", "title", "units"} or {"status": "missing",
    "reason"}}; without articles, the translations come without their units. None when the act is unknown.
    """
    act = session.get(Act, act_id)
    if act is None:
        return None
    versions_query = select(ConsolidatedVersion).where(col(ConsolidatedVersion.act_id) == act_id)
    if publication is None:
        versions_query = versions_query.where(col(ConsolidatedVersion.published).is_(True))
    else:
        versions_query = versions_query.where(col(ConsolidatedVersion.publication) == publication)
    versions = session.scalars(versions_query.order_by(col(ConsolidatedVersion.publication))).all()
    amendments = session.scalars(
        select(AmendingAct)
        .where(col(AmendingAct.act_id) == act_id)
        .order_by(col(AmendingAct.seq), col(AmendingAct.id))
    ).all()
    translations = _translations(session, [v.id for v in versions if v.id is not None], with_units=include_articles)
    return {
        "id": act.id,
        "title": act.title,
        "number": act.number,
        "type": act.act_type,
        "issuer": act.issuer,
        "adopted": _iso(act.adopted),
        "published": _iso(act.published),
        "entry_into_force": _iso(act.entry_into_force),
        "registration_code": act.registration_code,
        "status": act.status,
        "amendments": [
            {
                "seq": a.seq,
                "date": _iso(a.date),
                "act_type": a.act_type,
                "act_number": a.act_number,
                "published_in": a.published_in,
                "published_on": _iso(a.published_on),
                "note": a.note,
                "document_id": a.document_id,
            }
            for a in amendments
        ],
        "versions": [
            {
                "publication": v.publication,
                "kind": v.kind,
                "valid_from": _iso(v.valid_from),
                "valid_to": _iso(v.valid_to),
                "fetched_at": _iso(v.fetched_at),
                "paywalled": v.paywalled,
                "published": v.published,
                **({"articles": _articles(session, v)} if include_articles else {}),
                **({"translations": translations[v.id]} if v.id in translations else {}),
            }
            for v in versions
        ],
    }


def _articles(session: Session, version: ConsolidatedVersion) -> list[dict[str, str]]:
    query = (
        _units_of(version.id, col(UnitContent.key), col(UnitContent.heading), col(TextBlob.text))
        .where(col(UnitContent.kind).in_(ARTICLE_KINDS))
    )
    return [
        {"key": key, "heading": heading, "text": body or ""}
        for key, heading, body in session.execute(query)
    ]


def _units_of(version_id: int | None, *columns: Any) -> Any:
    """SELECT `columns` of a version's units (their `UnitContent` and text) in document order."""
    return (
        select(*columns)
        .select_from(VersionUnit)
        .join(UnitContent, col(UnitContent.id) == col(VersionUnit.content_id))
        .outerjoin(TextBlob, col(TextBlob.sha256) == col(UnitContent.text_sha256))
        .where(col(VersionUnit.version_id) == version_id)
        .order_by(col(VersionUnit.seq))
    )


def _translations(session: Session, version_ids: list[int], *, with_units: bool) -> dict[int, dict[str, Any]]:
    """{version id: {language: translation}} for these versions, as `act_detail` lists them."""
    if not version_ids:
        return {}
    rows = session.scalars(
        select(TranslatedVersion).where(col(TranslatedVersion.version_id).in_(version_ids))
    ).all()
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry: dict[str, Any] = {"status": row.status}
        if row.status == "present":
            entry["title"] = row.title
            if with_units:
                entry["units"] = _translated_units(session, row)
        else:
            entry["reason"] = row.reason
        found.setdefault(row.version_id, {})[row.language] = entry
    return found


def _translated_units(session: Session, translation: TranslatedVersion) -> list[dict[str, Any]]:
    query = (
        select(col(TranslatedUnit.kind), col(TranslatedUnit.key), col(TranslatedUnit.number),
               col(TranslatedUnit.heading), col(TranslatedUnit.parent_key), col(TextBlob.text))
        .outerjoin(TextBlob, col(TextBlob.sha256) == col(TranslatedUnit.text_sha256))
        .where(col(TranslatedUnit.translation_id) == translation.id)
        .order_by(col(TranslatedUnit.seq))
    )
    return [
        {"kind": kind, "key": key, "number": number, "heading": heading, "parent_key": parent, "text": body or ""}
        for kind, key, number, heading, parent, body in session.execute(query)
    ]


def version_translation(
    session: Session, act_id: int, publication: int, language: str = "en"
) -> dict[str, Any] | None:
    """A version's official translation: {"publication", "language", "status", "reason", "title",
    "units"} (units [] when missing), or None when nobody looked it up (or the version is unknown)."""
    row = session.scalars(
        select(TranslatedVersion)
        .join(ConsolidatedVersion, col(ConsolidatedVersion.id) == col(TranslatedVersion.version_id))
        .where(col(ConsolidatedVersion.act_id) == act_id)
        .where(col(ConsolidatedVersion.publication) == publication)
        .where(col(TranslatedVersion.language) == language)
    ).first()
    if row is None:
        return None
    return {
        "publication": publication,
        "language": language,
        "status": row.status,
        "reason": row.reason,
        "title": row.title,
        "units": _translated_units(session, row) if row.status == "present" else [],
    }


def recent_runs(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    """The latest crawl runs, newest first, each with how many errors it logged."""
    logged = (
        select(col(CrawlError.run_id), func.count().label("errors_logged"))
        .group_by(col(CrawlError.run_id))
        .subquery()
    )
    query = (
        select(CrawlRun, logged.c.errors_logged)
        .outerjoin(logged, logged.c.run_id == col(CrawlRun.id))
        .order_by(col(CrawlRun.id).desc())
        .limit(limit)
    )
    return [
        {
            "id": run.id,
            "source": run.source,
            "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at),
            "status": run.status,
            "verdict": run.verdict,
            "pages_fetched": run.pages_fetched,
            "acts_new": run.acts_new,
            "acts_updated": run.acts_updated,
            "acts_unchanged": run.acts_unchanged,
            "versions_added": run.versions_added,
            "errors": run.errors,
            "errors_logged": errors_logged or 0,
            "reason": run.reason,
            "reason_facts": run.reason_facts or {},
            "options": run.options,
        }
        for run, errors_logged in session.execute(query)
    ]


def run_errors(session: Session, run_id: int) -> list[dict[str, Any]]:
    """The errors one run logged, in the order they happened."""
    errors = session.scalars(
        select(CrawlError).where(col(CrawlError.run_id) == run_id).order_by(col(CrawlError.id))
    ).all()
    return [{"at": _iso(e.at), "url": e.url, "kind": e.kind, "message": e.message} for e in errors]


def storage_bytes(session: Session) -> dict[str, Any]:
    """What the stored history costs: text bytes, row counts and the tables' size on disk.

    text_bytes: the UTF-8 size of all text blobs (each distinct text once);
    text_chars: the same in characters; rows: count per table;
    database_bytes: the SQLite file (without its WAL) or the PostgreSQL tables with indexes.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        text_bytes = func.octet_length(col(TextBlob.text))
    else:
        # SQLite's length() counts characters in TEXT and bytes in a BLOB.
        text_bytes = func.length(cast(col(TextBlob.text), LargeBinary))
    total_bytes, total_chars = session.execute(
        select(
            func.coalesce(func.sum(text_bytes), 0), func.coalesce(func.sum(col(TextBlob.chars)), 0)
        )
    ).one()
    rows = {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in _COUNTED_MODELS
    }
    return {
        "text_bytes": int(total_bytes),
        "text_chars": int(total_chars),
        "rows": rows,
        "database_bytes": _database_bytes(session, dialect),
    }


_COUNTED_MODELS: tuple[type[SQLModel], ...] = (
    Act,
    ActRevision,
    AmendingAct,
    ConsolidatedVersion,
    VersionUnit,
    UnitContent,
    TextBlob,
    CrawlRun,
    CrawlError,
    WatchedAct,
)


def _database_bytes(session: Session, dialect: str) -> int | None:
    if dialect == "sqlite":
        page_count = session.execute(text("PRAGMA page_count")).scalar_one()
        page_size = session.execute(text("PRAGMA page_size")).scalar_one()
        return int(page_count) * int(page_size)
    if dialect == "postgresql":
        total = 0
        for model in _COUNTED_MODELS:
            # The table name is a bound value cast to regclass, resolved on the search_path.
            relation = cast(literal(model.__tablename__), REGCLASS)
            total += int(session.scalar(select(func.pg_total_relation_size(relation))) or 0)
        return total
    return None


def version_content_hash(session: Session, act_id: int, publication: int) -> str | None:
    """The sha256 of a stored version's text, or None (not stored, or paywalled): what a cached diff is keyed on."""
    return session.scalar(select(col(ConsolidatedVersion.content_sha256))
                          .where(col(ConsolidatedVersion.act_id) == act_id)
                          .where(col(ConsolidatedVersion.publication) == publication))


def version_units(session: Session, act_id: int, publication: int | None = None) -> dict[str, Any] | None:
    """One version's units in document order, every kind (chapters, annexes, the signature too):
    what the diff engine reads a version from.

    publication None: the latest published version; a number: that version, published or not.
    None when the act is not stored. "publication" and "units" are None when the act has no such
    version; "publications" lists the published ones either way. A paywalled version has no units.
    """
    act = session.get(Act, act_id)
    if act is None:
        return None
    published = list(
        session.scalars(
            select(col(ConsolidatedVersion.publication))
            .where(col(ConsolidatedVersion.act_id) == act_id)
            .where(col(ConsolidatedVersion.published).is_(True))
            .order_by(col(ConsolidatedVersion.publication))
        )
    )
    wanted = (published[-1] if published else None) if publication is None else publication
    version = None
    if wanted is not None:
        version = session.scalars(
            select(ConsolidatedVersion)
            .where(col(ConsolidatedVersion.act_id) == act_id)
            .where(col(ConsolidatedVersion.publication) == wanted)
        ).first()
    units = None
    if version is not None:
        query = _units_of(
            version.id,
            col(UnitContent.kind),
            col(UnitContent.key),
            col(UnitContent.number),
            col(UnitContent.heading),
            col(UnitContent.parent_key),
            col(TextBlob.text),
        )
        units = [
            {"kind": kind, "key": key, "number": number, "heading": heading, "parent_key": parent,
             "text": body or ""}
            for kind, key, number, heading, parent, body in session.execute(query)
        ]
    return {
        "id": act.id,
        "title": act.title,
        "type": act.act_type,
        "publication": version.publication if version is not None else None,
        "paywalled": version.paywalled if version is not None else None,
        "publications": published,
        "units": units,
    }


def version_dates(session: Session, act_id: int) -> list[dict[str, Any]]:
    """Each stored version of an act with its dates, by publication: in force from and to, and the date
    Matsne's list of versions gives it (ISO strings, None when not known)."""
    rows = session.scalars(select(ConsolidatedVersion).where(col(ConsolidatedVersion.act_id) == act_id)
                           .order_by(col(ConsolidatedVersion.publication)))
    return [{"publication": v.publication, "valid_from": _iso(v.valid_from), "valid_to": _iso(v.valid_to),
             "version_date": _iso(v.version_date)} for v in rows]


def version_reading(session: Session, act_id: int, publication: int, *, with_units: bool = True) -> VersionReading | None:
    """Version `publication` of an act in full (published or not, as `version_units`), or None when the act
    or the version is not stored. Its amending acts are those of the act's list published (else adopted)
    after the previous version came into force and on or before this one did; none when a date is missing.
    with_units=False: its dates, neighbours and amending acts only (`units` None), for a diff's or a history's
    heading."""
    act = session.get(Act, act_id)
    if act is None:
        return None
    version = session.scalars(select(ConsolidatedVersion).where(col(ConsolidatedVersion.act_id) == act_id,
                                                                col(ConsolidatedVersion.publication) == publication)).first()
    if version is None:
        return None
    published = list(session.scalars(select(col(ConsolidatedVersion.publication))
                                     .where(col(ConsolidatedVersion.act_id) == act_id,
                                            col(ConsolidatedVersion.published).is_(True))
                                     .order_by(col(ConsolidatedVersion.publication))))
    earlier = [p for p in published if p < publication]
    later = [p for p in published if p > publication]
    previous = session.scalars(select(ConsolidatedVersion).where(
        col(ConsolidatedVersion.act_id) == act_id,
        col(ConsolidatedVersion.publication) == earlier[-1])).first() if earlier else None
    amending: list[VersionAmendment] = []
    if previous is not None and previous.valid_from is not None and version.valid_from is not None:
        listed = session.scalars(select(AmendingAct).where(col(AmendingAct.act_id) == act_id)
                                 .order_by(col(AmendingAct.seq), col(AmendingAct.id))).all()
        matched = [a for a in listed if (a.published_on or a.date) is not None
                   and previous.valid_from < (a.published_on or a.date) <= version.valid_from]  # type: ignore[operator]
        stored = set(session.scalars(select(col(Act.id)).where(
            col(Act.id).in_([a.document_id for a in matched if a.document_id is not None])))) if matched else set()
        amending = [VersionAmendment(seq=a.seq, date=_iso(a.date), act_type=a.act_type, act_number=a.act_number,
                                     published_in=a.published_in, published_on=_iso(a.published_on), note=a.note,
                                     document_id=a.document_id, stored=a.document_id in stored) for a in matched]
    units = None
    if with_units and not version.paywalled and version.content_sha256 is not None:
        query = _units_of(version.id, col(UnitContent.kind), col(UnitContent.key), col(UnitContent.number),
                          col(UnitContent.heading), col(UnitContent.parent_key), col(TextBlob.text))
        units = [StoredUnit(kind=kind, key=key, number=number, heading=heading, parent_key=parent, text=body or "")
                 for kind, key, number, heading, parent, body in session.execute(query)]
    return VersionReading(id=act.id, title=act.title, number=act.number, type=act.act_type,
                          publication=version.publication, kind=version.kind, valid_from=_iso(version.valid_from),
                          valid_to=_iso(version.valid_to), paywalled=version.paywalled, published=version.published,
                          previous_publication=earlier[-1] if earlier else None,
                          next_publication=later[0] if later else None, publications=published,
                          amending_acts=amending, units=units)


def unit_versions(session: Session, act_id: int, key: str, kinds: tuple[str, ...]) -> list[dict[str, Any]] | None:
    """One unit (of kind in `kinds`, by its stored key: "5", "12^1", "annex-1/point-2") in every published
    version of an act, oldest first: {"publication", "valid_from", "valid_to", "unit"} where "unit" is
    {"kind", "key", "number", "heading", "parent_key", "text"}, or None when that version has no such unit or
    its text is not stored ("stored" False). None when the act is not stored."""
    if session.get(Act, act_id) is None:
        return None
    versions = session.scalars(select(ConsolidatedVersion).where(col(ConsolidatedVersion.act_id) == act_id,
                                                                 col(ConsolidatedVersion.published).is_(True))
                               .order_by(col(ConsolidatedVersion.publication))).all()
    found: dict[int, dict[str, Any]] = {}
    if versions:
        query = (select(col(VersionUnit.version_id), col(UnitContent.kind), col(UnitContent.key),
                        col(UnitContent.number), col(UnitContent.heading), col(UnitContent.parent_key),
                        col(TextBlob.text))
                 .select_from(VersionUnit)
                 .join(UnitContent, col(UnitContent.id) == col(VersionUnit.content_id))
                 .outerjoin(TextBlob, col(TextBlob.sha256) == col(UnitContent.text_sha256))
                 .where(col(VersionUnit.version_id).in_([v.id for v in versions]), col(UnitContent.key) == key,
                        col(UnitContent.kind).in_(kinds))
                 .order_by(col(VersionUnit.seq)))
        for version_id, kind, unit_key, number, heading, parent, body in session.execute(query):
            found.setdefault(version_id, {"kind": kind, "key": unit_key, "number": number, "heading": heading,
                                          "parent_key": parent, "text": body or ""})
    return [{"publication": v.publication, "valid_from": _iso(v.valid_from), "valid_to": _iso(v.valid_to),
             "stored": not v.paywalled and v.content_sha256 is not None, "unit": found.get(v.id) if v.id is not None else None} for v in versions]
