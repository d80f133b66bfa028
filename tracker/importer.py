"""Store what a parsed Matsne page says, adding only what is new.

Like Open States' importers, each call reports what it did (new/updated/unchanged for the act,
inserted/noop for the version) so the crawler can count and health-check a run.

Rules (history is append-only):
- a metadata snapshot (`ActRevision`) is appended only when the metadata changed;
- an amending act is inserted only when (act, seq, number) is new;
- a version (act, publication) is inserted once. A re-fetch with the same content only hands
  an unpublished version to the current run (which publishes it when it ends healthy); a
  re-fetch with different content never overwrites a published version: it is reported as a
  conflict. An unpublished version is provisional (its run was broken or gave no verdict), so
  different content from a later run replaces it;
- a paywalled page stores the version row without units; a later readable fetch adds them;
- a unit's content (and its text) is stored once, however many versions or acts say the same:
  a version adds a `UnitContent` only for what it changed, and lists all its units by reference;
- valid_to, version_date and a "final" kind becoming "consolidated" are filled in: they are
  facts that become known later, not rewrites.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from vocabulary.records import ActPage, TranslatedPage, Unit
from tracker.hashing import content_sha256, metadata_fields, metadata_sha256, text_sha256, unit_digest
from tracker.models import (
    Act,
    ActRevision,
    AmendingAct,
    ConsolidatedVersion,
    ListedVersion,
    TextBlob,
    TranslatedUnit,
    TranslatedVersion,
    UnitContent,
    VersionUnit,
)
from tracker.runs import finish_run, record_error, start_run
from tracker.search import index_act
from vocabulary.errors import KanoniError

__all__ = [
    "VERSION_KINDS",
    "ImportOutcome",
    "TranslationNotStored",
    "TranslationOutcome",
    "finish_run",
    "import_act_page",
    "import_translation_page",
    "insert_missing_blobs",
    "previously_parsed_acts",
    "record_error",
    "start_run",
    "stored_publications",
    "translation_states",
]

VERSION_KINDS = ("original", "consolidated", "final")

ActOutcome = Literal["new", "updated", "unchanged"]
VersionOutcome = Literal["inserted", "noop"]


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_act_page` did.

    act: "new" (first seen), "updated" (metadata snapshot or amending acts added), "unchanged".
    version: "inserted" (the version's units were stored now), "noop", or None when the page
    named no publication.
    conflict: the stored version's content differs from this fetch and was kept; the caller
    should `record_error(kind="conflict")`.
    """

    act: ActOutcome
    version: VersionOutcome | None
    conflict: bool = False
    revision_added: bool = False
    amendments_added: int = 0
    units_added: int = 0
    # An unpublished version (from an earlier, unhealthy run) was handed to this run.
    adopted: bool = False
    # Provisional units of an unpublished version were replaced by this fetch's.
    replaced: bool = False
    # Names of version fields filled in (valid_to, version_date, kind).
    filled_in: tuple[str, ...] = ()


def import_act_page(
    session: Session,
    page: ActPage,
    *,
    run_id: int,
    fetched_at: datetime,
    body_sha256: str | None = None,
) -> ImportOutcome:
    """Store one parsed page in a savepoint: all of its rows, or none if anything fails.

    The caller commits (e.g. one `tracker.db.session` block per page or per batch); a failure
    rolls back this page only and the session stays usable.
    """
    _check_page(page)
    fetched_at = _as_utc(fetched_at)
    with session.begin_nested():
        act_is_new = _upsert_act(session, page, fetched_at=fetched_at)
        revision_added = _append_revision(session, page, run_id=run_id, seen_at=fetched_at)
        amendments_added = _insert_new_amendments(session, page, run_id=run_id, seen_at=fetched_at)
        version = (
            _NO_VERSION
            if page.publication is None
            else _import_version(
                session, page, run_id=run_id, fetched_at=fetched_at, body_sha256=body_sha256
            )
        )
        _fill_in_from_version_list(session, page)
        _record_listed_versions(session, page, seen_at=fetched_at)
        session.flush()
        if act_is_new or revision_added:
            # Its title and number; the text is indexed when `finish_run` publishes a version.
            index_act(session, page.metadata.document_id)

    if act_is_new:
        act_outcome: ActOutcome = "new"
    elif revision_added or amendments_added:
        act_outcome = "updated"
    else:
        act_outcome = "unchanged"
    return ImportOutcome(
        act=act_outcome,
        version=version.version,
        conflict=version.conflict,
        revision_added=revision_added,
        amendments_added=amendments_added,
        units_added=version.units_added,
        adopted=version.adopted,
        replaced=version.replaced,
        filled_in=version.filled_in,
    )


def stored_publications(
    session: Session,
    act_id: int,
    *,
    published_only: bool = True,
    include_paywalled: bool = True,
) -> set[int]:
    """The publications of `act_id` that need no fetching.

    published_only: leave out versions whose run was broken or is unfinished, so that the
    next healthy run fetches (and publishes) them again. include_paywalled=False leaves out
    paywalled versions, for a crawler that retries them.
    """
    query = select(col(ConsolidatedVersion.publication)).where(
        col(ConsolidatedVersion.act_id) == act_id
    )
    if published_only:
        query = query.where(col(ConsolidatedVersion.published).is_(True))
    if not include_paywalled:
        query = query.where(col(ConsolidatedVersion.paywalled).is_(False))
    return set(session.scalars(query))


def previously_parsed_acts(session: Session) -> set[int]:
    """Acts with at least one stored version that has units (the parser got something out)."""
    has_units = exists().where(col(VersionUnit.version_id) == col(ConsolidatedVersion.id))
    query = select(col(ConsolidatedVersion.act_id)).where(has_units).distinct()
    return set(session.scalars(query))


# --- act and metadata -------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    # Naive means UTC, as in `UTCDateTime`; normalised here because stored values are
    # compared with it in Python.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _upsert_act(session: Session, page: ActPage, *, fetched_at: datetime) -> bool:
    """Create the act on first sight (True), else note when it was last checked (False)."""
    act_id = page.metadata.document_id
    act = session.get(Act, act_id)
    if act is None:
        act = Act(
            id=act_id,
            first_seen_at=fetched_at,
            last_checked_at=fetched_at,
            **metadata_fields(page.metadata),
        )
        session.add(act)
        # Flushed now: the snapshot, amendments and version below reference it.
        session.flush()
        return True
    # max(): pages of one act may be imported out of order.
    act.last_checked_at = max(act.last_checked_at, fetched_at)
    session.add(act)
    return False


def _append_revision(session: Session, page: ActPage, *, run_id: int, seen_at: datetime) -> bool:
    act_id = page.metadata.document_id
    digest = metadata_sha256(page.metadata)
    last_digest = session.scalars(
        select(col(ActRevision.metadata_sha256))
        .where(col(ActRevision.act_id) == act_id)
        .order_by(col(ActRevision.id).desc())
        .limit(1)
    ).first()
    if last_digest == digest:
        return False
    values = metadata_fields(page.metadata)
    session.add(
        ActRevision(
            act_id=act_id, seen_at=seen_at, crawl_run_id=run_id, metadata_sha256=digest, **values
        )
    )
    # The act row mirrors the latest snapshot.
    act = session.get(Act, act_id)
    assert act is not None
    for name, value in values.items():
        setattr(act, name, value)
    session.add(act)
    return True


def _insert_new_amendments(
    session: Session, page: ActPage, *, run_id: int, seen_at: datetime
) -> int:
    act_id = page.metadata.document_id
    known = {
        (seq, number)
        for seq, number in session.execute(
            select(col(AmendingAct.seq), col(AmendingAct.act_number)).where(
                col(AmendingAct.act_id) == act_id
            )
        )
    }
    added = 0
    for ref in page.amendments:
        identity = (ref.seq, ref.act_number)
        if identity in known:
            continue
        known.add(identity)  # a page listing the same entry twice stores it once
        session.add(
            AmendingAct(
                act_id=act_id,
                seq=ref.seq,
                date=ref.date,
                act_type=ref.act_type,
                act_number=ref.act_number,
                published_in=ref.published_in,
                published_on=ref.published_on,
                note=ref.note,
                document_id=ref.document_id,
                first_seen_at=seen_at,
                crawl_run_id=run_id,
            )
        )
        added += 1
    return added


# --- versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _VersionOutcome:
    version: VersionOutcome | None
    conflict: bool = False
    units_added: int = 0
    adopted: bool = False
    replaced: bool = False
    filled_in: tuple[str, ...] = ()


_NO_VERSION = _VersionOutcome(version=None)


def _import_version(
    session: Session,
    page: ActPage,
    *,
    run_id: int,
    fetched_at: datetime,
    body_sha256: str | None,
) -> _VersionOutcome:
    assert page.publication is not None
    act_id = page.metadata.document_id
    digest = None if page.paywalled else content_sha256(page.units)
    version = session.scalars(
        select(ConsolidatedVersion)
        .where(col(ConsolidatedVersion.act_id) == act_id)
        .where(col(ConsolidatedVersion.publication) == page.publication)
    ).first()

    if version is None:
        version = ConsolidatedVersion(
            act_id=act_id,
            publication=page.publication,
            kind=_version_kind(page),
            valid_from=page.banner.valid_from if page.banner else None,
            valid_to=page.banner.valid_to if page.banner else None,
            version_date=_version_date(page),
            fetched_at=fetched_at,
            content_sha256=digest,
            body_sha256=body_sha256,
            layout=page.layout,
            paywalled=page.paywalled,
            crawl_run_id=run_id,
            published=False,
        )
        session.add(version)
        session.flush()
        units_added = 0 if page.paywalled else _insert_units(session, version, page.units)
        return _VersionOutcome(version="inserted", units_added=units_added)

    filled_in = _fill_in(version, page)

    if digest == version.content_sha256:
        # The same text again (or the paywall again). An unpublished row is handed to this
        # run, whose healthy end publishes it: this run has seen the same content.
        adopted = not version.published and version.crawl_run_id != run_id
        if adopted:
            version.crawl_run_id = run_id
        session.add(version)
        return _VersionOutcome(version="noop", adopted=adopted, filled_in=filled_in)

    if page.paywalled:
        # This fetch saw no text: it can neither confirm nor contradict the stored one.
        session.add(version)
        return _VersionOutcome(version="noop", filled_in=filled_in)

    if version.paywalled:
        # First readable fetch of a paywalled version: its units arrive now, and are vouched
        # for by this run, like a new version.
        _take_content(version, page, run_id=run_id, fetched_at=fetched_at, body_sha256=body_sha256)
        session.add(version)
        session.flush()
        units_added = _insert_units(session, version, page.units)
        return _VersionOutcome(version="inserted", units_added=units_added, filled_in=filled_in)

    if version.published or version.crawl_run_id == run_id:
        # Published history is never rewritten; and two different readings within one run
        # cannot both be right: keep the first, let a person look.
        session.add(version)
        return _VersionOutcome(version="noop", conflict=True, filled_in=filled_in)

    # Unpublished units from an unhealthy earlier run are provisional: replace them.
    session.execute(delete(VersionUnit).where(col(VersionUnit.version_id) == version.id))
    _take_content(version, page, run_id=run_id, fetched_at=fetched_at, body_sha256=body_sha256)
    session.add(version)
    session.flush()
    units_added = _insert_units(session, version, page.units)
    return _VersionOutcome(
        version="inserted", units_added=units_added, replaced=True, filled_in=filled_in
    )


def _take_content(
    version: ConsolidatedVersion,
    page: ActPage,
    *,
    run_id: int,
    fetched_at: datetime,
    body_sha256: str | None,
) -> None:
    version.content_sha256 = content_sha256(page.units)
    version.paywalled = False
    version.fetched_at = fetched_at
    version.body_sha256 = body_sha256
    version.layout = page.layout
    version.crawl_run_id = run_id
    version.published = False


def _fill_in_from_version_list(session: Session, page: ActPage) -> None:
    """Close the validity of stored versions a newer one has replaced, from the page's version list.

    The version that was the latest when fetched has no end date; the next crawl fetches only
    the new versions, so its end date (the next version's date) comes from the list instead.
    """
    dated = sorted((ref.publication, ref.date) for ref in page.versions)
    if len(dated) < 2:
        return
    next_date = {publication: following for (publication, _), (_, following) in zip(dated, dated[1:])}
    newest = dated[-1][0]
    open_versions = session.scalars(select(ConsolidatedVersion).where(
        col(ConsolidatedVersion.act_id) == page.metadata.document_id,
        (col(ConsolidatedVersion.valid_to).is_(None)) | (col(ConsolidatedVersion.kind) == "final"))).all()
    for version in open_versions:
        if version.publication >= newest:
            continue
        if version.valid_to is None and next_date.get(version.publication) is not None:
            version.valid_to = next_date[version.publication]
        if version.kind == "final":
            version.kind = "consolidated"


def _record_listed_versions(session: Session, page: ActPage, *, seen_at: datetime) -> None:
    """Keep the publications the page's versions list names: what a crawl of this act should
    store, and what change detection waits for before comparing past a gap."""
    listed: dict[int, date | None] = {}
    for ref in page.versions:
        listed.setdefault(ref.publication, ref.date)  # a list repeating a publication names it once
    if page.publication is not None:
        listed.setdefault(page.publication, None)
    act_id = page.metadata.document_id
    known = set(session.scalars(select(col(ListedVersion.publication)).where(col(ListedVersion.act_id) == act_id)))
    rows = [{"act_id": act_id, "publication": publication, "listed_on": listed_on, "first_seen_at": seen_at}
            for publication, listed_on in sorted(listed.items()) if publication not in known]
    if rows:
        session.execute(insert(ListedVersion), rows)


def _fill_in(version: ConsolidatedVersion, page: ActPage) -> tuple[str, ...]:
    """Set what was unknown when the version was stored; never change a known value."""
    filled: list[str] = []
    banner = page.banner
    if version.valid_to is None and banner is not None and banner.valid_to is not None:
        version.valid_to = banner.valid_to
        filled.append("valid_to")
    version_date = _version_date(page)
    if version.version_date is None and version_date is not None:
        version.version_date = version_date
        filled.append("version_date")
    # The latest version becomes an ordinary consolidated one once a newer one exists.
    if version.kind == "final" and banner is not None and banner.kind == "consolidated":
        version.kind = "consolidated"
        filled.append("kind")
    return tuple(filled)


def _version_kind(page: ActPage) -> str | None:
    if page.banner is not None:
        return page.banner.kind
    # Without a banner only the original text is certain of its kind.
    return "original" if page.publication == 0 else None


def _version_date(page: ActPage) -> date | None:
    for ref in page.versions:
        if ref.publication == page.publication:
            return ref.date
    return None


# --- units and text blobs ---------------------------------------------------------------


def _check_page(page: ActPage) -> None:
    """Refuse what only a parser bug produces, before anything is written: storing it would
    hide the bug."""
    if page.banner is not None and page.banner.kind not in VERSION_KINDS:
        raise ValueError(
            f"act {page.metadata.document_id}: banner kind {page.banner.kind!r} "
            f"is not one of {VERSION_KINDS}"
        )
    repeated = [key for key, count in Counter(u.key for u in page.units).items() if count > 1]
    if repeated:
        raise ValueError(
            f"act {page.metadata.document_id}: unit keys repeat within one version: "
            f"{sorted(repeated)[:10]}"
        )


def _insert_units(session: Session, version: ConsolidatedVersion, units: Sequence[Unit]) -> int:
    """Store a version's units: each unit's content once (shared with every version, of any act,
    that says the same), and one small row per unit naming it, in document order."""
    assert version.id is not None
    _insert_missing_blobs(session, {text_sha256(u.text): u.text for u in units if u.text})
    contents: list[dict[str, Any]] = [
        {
            "digest": unit_digest(u.kind, u.key, u.number, u.heading, u.parent_key, u.text, u.paragraphs),
            "kind": u.kind,
            "key": u.key,
            "number": u.number,
            "heading": u.heading,
            "parent_key": u.parent_key,
            "text_sha256": text_sha256(u.text) if u.text else None,
            "paragraphs": list(u.paragraphs),
        }
        for u in units
    ]
    ids = _content_ids(session, contents)
    rows = [
        {"version_id": version.id, "seq": seq, "content_id": ids[content["digest"]]}
        for seq, content in enumerate(contents)
    ]
    if rows:
        session.execute(insert(VersionUnit), rows)
    return len(rows)


# Digests looked up per statement: well under any engine's limit of bound parameters.
_LOOKUP_BATCH = 500


def _content_ids(session: Session, contents: list[dict[str, Any]]) -> dict[bytes, int]:
    """{digest: id} of these unit contents, inserting the ones not stored yet."""
    digests = list({content["digest"]: None for content in contents})

    def known(wanted: list[bytes]) -> dict[bytes, int]:
        found: dict[bytes, int] = {}
        for start in range(0, len(wanted), _LOOKUP_BATCH):
            batch = wanted[start:start + _LOOKUP_BATCH]
            query = select(col(UnitContent.digest), col(UnitContent.id)).where(col(UnitContent.digest).in_(batch))
            found.update((bytes(digest), content_id) for digest, content_id in session.execute(query))
        return found

    ids = known(digests)
    missing = {content["digest"]: content for content in contents if content["digest"] not in ids}
    if missing:
        _insert_ignoring_duplicates(session, UnitContent, "digest", list(missing.values()))
        ids.update(known(list(missing)))
    return ids


def _insert_translated_rows(session: Session, translation_id: int, units: Sequence[Unit]) -> int:
    """Store a translation's texts (once each) and one row per unit, in document order."""
    _insert_missing_blobs(session, {text_sha256(u.text): u.text for u in units if u.text})
    rows = [
        {
            "translation_id": translation_id,
            "seq": seq,
            "kind": unit.kind,
            "key": unit.key,
            "number": unit.number,
            "heading": unit.heading,
            "parent_key": unit.parent_key,
            "text_sha256": text_sha256(unit.text) if unit.text else None,
        }
        for seq, unit in enumerate(units)
    ]
    if rows:
        session.execute(insert(TranslatedUnit), rows)
    return len(rows)


def _insert_missing_blobs(session: Session, blobs: dict[str, str]) -> None:
    """Insert the blobs not stored yet; one already there (same hash, same text) is skipped."""
    rows = [{"sha256": digest, "text": text, "chars": len(text)} for digest, text in blobs.items()]
    _insert_ignoring_duplicates(session, TextBlob, "sha256", rows)


def _insert_ignoring_duplicates(
    session: Session, table: type[TextBlob] | type[UnitContent], key: str, rows: list[dict[str, Any]]
) -> None:
    """Insert content-addressed rows, skipping those whose `key` is stored already.

    ON CONFLICT DO NOTHING rather than select-then-insert: two crawls storing the same text
    at once must not fail on the unique key.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
    else:
        column = getattr(table, key)
        known = set(session.scalars(select(column).where(column.in_([row[key] for row in rows]))))
        rows = [row for row in rows if row[key] not in known]
        statement = insert(table)
    if rows:
        session.execute(statement, rows)


# Public for the other importers (bill attachments keep their text in `text_blob` too).
insert_missing_blobs = _insert_missing_blobs


# --- official translations ----------------------------------------------------------------


class TranslationNotStored(KanoniError):
    """A translation whose Georgian version is not stored: it has nothing to stand beside."""


@dataclass(frozen=True)
class TranslationOutcome:
    """What `import_translation_page` did.

    outcome: "added" (the translation's units were stored now), "missing" (recorded now that the
    version has no translation), "unchanged" (nothing new). conflict: a stored translation differs
    from this fetch and was kept; the caller should `record_error(kind="conflict")`.
    """

    outcome: Literal["added", "missing", "unchanged"]
    conflict: bool = False
    units_added: int = 0


def import_translation_page(
    session: Session,
    page: TranslatedPage,
    *,
    run_id: int,
    fetched_at: datetime,
    body_sha256: str | None = None,
) -> TranslationOutcome:
    """Store a version's official translation (or the fact it has none) beside that version.

    Never touches the act, its metadata or its Georgian versions: an English page's metadata
    ("Parliament of Georgia") is the translation's, not the act's. Idempotent: the same page
    twice stores nothing the second time. Raises `TranslationNotStored` when the Georgian
    version is not stored (the next crawl fetches both). All rows or none, in a savepoint.
    """
    if page.status not in ("present", "missing"):
        raise ValueError(f"translation status {page.status!r} is not 'present' or 'missing'")
    repeated = [key for key, count in Counter(u.key for u in page.units).items() if count > 1]
    if repeated:
        raise ValueError(f"act {page.document_id}: unit keys repeat within one translation: {sorted(repeated)[:10]}")
    fetched_at = _as_utc(fetched_at)
    version_id = session.scalar(
        select(col(ConsolidatedVersion.id))
        .where(col(ConsolidatedVersion.act_id) == page.document_id)
        .where(col(ConsolidatedVersion.publication) == page.publication)
    )
    if version_id is None:
        raise TranslationNotStored(
            f"act {page.document_id}, publication {page.publication}: the Georgian version is not stored, "
            "so its translation is not stored either"
        )
    present = page.status == "present"
    digest = content_sha256(page.units) if present else None
    with session.begin_nested():
        row = session.scalars(
            select(TranslatedVersion)
            .where(col(TranslatedVersion.version_id) == version_id)
            .where(col(TranslatedVersion.language) == page.language)
        ).first()
        if row is None:
            row = TranslatedVersion(
                version_id=version_id, language=page.language, status=page.status, reason=page.reason,
                title=page.title, content_sha256=digest, body_sha256=body_sha256,
                layout=page.layout, fetched_at=fetched_at, checked_at=fetched_at, crawl_run_id=run_id,
            )
            session.add(row)
            session.flush()
            if not present:
                return TranslationOutcome("missing")
            return TranslationOutcome("added", units_added=_insert_translated_units(session, row, page.units))
        row.checked_at = max(row.checked_at, fetched_at)
        session.add(row)
        if not present:
            # No translation again, or none this time where one is stored: a page that shows none
            # cannot take a stored translation back.
            return TranslationOutcome("unchanged")
        if row.status == "missing":
            row.status, row.reason, row.title = "present", "", page.title
            row.content_sha256, row.body_sha256, row.layout = digest, body_sha256, page.layout
            row.fetched_at, row.crawl_run_id = fetched_at, run_id
            session.flush()
            return TranslationOutcome("added", units_added=_insert_translated_units(session, row, page.units))
        return TranslationOutcome("unchanged", conflict=row.content_sha256 != digest)


def _insert_translated_units(session: Session, translation: TranslatedVersion, units: Sequence[Unit]) -> int:
    assert translation.id is not None
    return _insert_translated_rows(session, translation.id, units)


def translation_states(session: Session, act_id: int, language: str = "en") -> dict[int, str]:
    """{publication: "present" | "missing"} for the act's versions whose translation was looked up."""
    query = (
        select(col(ConsolidatedVersion.publication), col(TranslatedVersion.status))
        .join(TranslatedVersion, col(TranslatedVersion.version_id) == col(ConsolidatedVersion.id))
        .where(col(ConsolidatedVersion.act_id) == act_id)
        .where(col(TranslatedVersion.language) == language)
    )
    return {publication: status for publication, status in session.execute(query)}
