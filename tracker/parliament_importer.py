"""Store what the Parliament crawler learnt about a bill, adding only what is new.

Like the act importer (and Open States'), each call reports what it did — the bill "new",
"updated" or "unchanged", the events it added, the file versions it stored — so the crawler can
count and health-check a run. One bill is stored in one savepoint: all of it or none of it.

Rules:
- a bill's, stage's or committee's fields are updated in place; each change becomes a
  `BillEvent` (registered, committee_assigned, stage_reached, vote_recorded, became_law,
  withdrawn, file_added, file_changed, details_changed, stage_updated, vote_changed);
- an attachment's bytes are only ever added: a download whose sha256 differs from the file's
  latest version adds a version; an unreadable file is stored with the reason, the bill
  still imports;
- events stay unpublished until their run ends healthy (`finish_parliament_run`); a bill seen
  unchanged by a later run adopts the unpublished events an unhealthy run left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlmodel import Session, col

from vocabulary.parliament_records import BillRecord, BillStage as StageRecord, FileDownload, StageFile
from vocabulary.parliament_records import fingerprint
from tracker.hashing import text_sha256
from tracker.importer import insert_missing_blobs
from tracker.models import (
    Bill,
    BillCommittee,
    BillEvent,
    BillFile,
    BillFileVersion,
    BillStage,
    BillVote,
    ParliamentRunCounts,
)
from tracker.parliament_linking import link_bill
from tracker.runs import PUBLISHING_VERDICTS
from tracker.search import index_bill

__all__ = [
    "BillImportOutcome",
    "BillState",
    "bill_content_sha256",
    "bill_states",
    "finish_parliament_run",
    "import_bill",
    "stored_files",
]

BillOutcome = Literal["new", "updated", "unchanged"]
_BILL_FIELDS = ("number", "registered", "title", "description", "type_id", "type_name", "package_name",
                "initiator", "author", "bill_count")


@dataclass(frozen=True)
class BillImportOutcome:
    bill: BillOutcome
    events: tuple[str, ...] = ()
    file_versions_added: int = 0
    files_unreadable: int = 0  # of the versions added, those whose text could not be read
    adopted: bool = False  # unpublished events of an earlier, unhealthy run were handed to this one


@dataclass(frozen=True)
class BillState:
    """What the spider needs to know of a stored bill to decide whether to fetch it again."""

    list_sha256: str
    status: str
    complete: bool
    confirmed: bool

    @property
    def settled(self) -> bool:
        """Stored, vouched for by a healthy run, nothing missing: re-fetch only if still open."""
        return self.complete and self.confirmed


def bill_content_sha256(record: BillRecord) -> str:
    """The hash of what the API says about a bill beyond its listing item (not the files' bytes)."""
    return fingerprint([[s.review_id, s.index, s.name, s.kind, _iso(s.date), s.document_number, s.votes_for,
                         s.votes_against, [[c.assignment_id, c.role, c.name] for c in s.committees],
                         [[f.file_id, f.fingerprint] for f in s.files]] for s in record.stages])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class _Events:
    def __init__(self, session: Session, bill_id: int, run_id: int, seen_at: datetime):
        self.session, self.bill_id, self.run_id, self.seen_at = session, bill_id, run_id, seen_at
        self.kinds: list[str] = []

    def add(self, kind: str, happened_on: date | None = None, **details: Any) -> None:
        """Store what happened as facts (`alerts.wording.event_label` says them in the reader's language)."""
        self.session.add(BillEvent(bill_id=self.bill_id, kind=kind, happened_on=happened_on, seen_at=self.seen_at,
                                   crawl_run_id=self.run_id, details=details))
        self.kinds.append(kind)


def import_bill(session: Session, record: BillRecord, *, run_id: int, fetched_at: datetime) -> BillImportOutcome:
    """Store one bill in a savepoint; the caller commits. A failure rolls back this bill only."""
    fetched_at = fetched_at.astimezone(UTC) if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    summary = record.summary
    with session.begin_nested():
        bill = session.get(Bill, summary.bill_id)
        is_new = bill is None
        events = _Events(session, summary.bill_id, run_id, fetched_at)
        values = {name: getattr(summary, name) for name in _BILL_FIELDS}
        if bill is None:
            bill = Bill(id=summary.bill_id, first_seen_at=fetched_at, last_checked_at=fetched_at,
                        crawl_run_id=run_id, **values)
            session.add(bill)
            session.flush()
            events.add("registered", summary.registered, number=summary.number, initiator=summary.initiator)
        else:
            changed = [name for name, value in values.items() if getattr(bill, name) != value]
            if changed:
                events.add("details_changed", None, fields={name: str(values[name]) for name in changed})
                for name in changed:
                    setattr(bill, name, values[name])
            bill.last_checked_at = max(bill.last_checked_at, fetched_at)
        for stage in record.stages:
            _import_stage(session, bill.id, stage, events, run_id=run_id, seen_at=fetched_at)
        downloads = {d.file_id: d for d in record.downloads}
        added = unreadable = 0
        for stage in record.stages:
            for entry in stage.files:
                new_version = _import_file(session, bill.id, stage.review_id, entry, downloads.get(entry.file_id),
                                           dict(record.failed_files).get(entry.file_id), events,
                                           run_id=run_id, seen_at=fetched_at)
                if new_version is not None:
                    added += 1
                    unreadable += new_version.extract_error is not None
        if record.stages:
            last = record.stages[-1]
            bill.stage = last.kind
        kinds = {s.kind for s in record.stages}
        bill.status = "law" if "law" in kinds else "withdrawn" if "withdrawn" in kinds else "open"
        bill.list_sha256 = summary.fingerprint
        bill.content_sha256 = bill_content_sha256(record)
        bill.complete = _complete(session, bill.id, record)
        adopted = False
        if events.kinds:
            bill.crawl_run_id, bill.confirmed = run_id, False
        elif not bill.confirmed and bill.crawl_run_id != run_id:
            # The same bill again: this run vouches for what an unhealthy one stored.
            session.execute(update(BillEvent).where(col(BillEvent.bill_id) == bill.id)
                            .where(col(BillEvent.published).is_(False)).values(crawl_run_id=run_id))
            bill.crawl_run_id, adopted = run_id, True
        session.add(bill)
        session.flush()
        link_bill(session, bill, now=fetched_at)
        if is_new or events.kinds:  # what is indexed (title, description, files) changes only with an event
            index_bill(session, bill.id)
    outcome: BillOutcome = "new" if is_new else ("updated" if events.kinds else "unchanged")
    return BillImportOutcome(outcome, tuple(events.kinds), added, unreadable, adopted)


def _import_stage(session: Session, bill_id: int, record: StageRecord, events: _Events, *,
                  run_id: int, seen_at: datetime) -> None:
    stage = session.get(BillStage, record.review_id)
    values: dict[str, Any] = {"seq": record.index, "name": record.name, "kind": record.kind, "date": record.date,
              "bureau_date": record.bureau_date, "session_date": record.session_date,
              "submitted_date": record.submitted_date, "document_number": record.document_number}
    if stage is None:
        stage = BillStage(id=record.review_id, bill_id=bill_id, first_seen_at=seen_at, **values)
        session.add(stage)
        session.flush()
        events.add("stage_reached", record.date, stage=record.kind, name=record.name)
        if record.kind == "law":
            events.add("became_law", record.date, number=record.document_number)
        elif record.kind == "withdrawn":
            events.add("withdrawn", record.date)
    else:
        changed = [name for name, value in values.items() if getattr(stage, name) != value]
        if changed:
            for name in changed:
                setattr(stage, name, values[name])
            session.add(stage)
            events.add("stage_updated", record.date, stage=record.kind, name=record.name, fields=changed,
                       stage_id=record.review_id)
    for committee in record.committees:
        row = session.get(BillCommittee, committee.assignment_id)
        if row is None:
            session.add(BillCommittee(id=committee.assignment_id, stage_id=record.review_id, bill_id=bill_id,
                                      committee_id=committee.committee_id, name=committee.name, role=committee.role,
                                      first_seen_at=seen_at))
            events.add("committee_assigned", record.date, role=committee.role,
                       committee=committee.name, committee_id=committee.committee_id)
        elif (row.name, row.role) != (committee.name, committee.role):
            row.name, row.role = committee.name, committee.role
            session.add(row)
    if record.votes_for is not None or record.votes_against is not None:
        vote = session.scalars(select(BillVote).where(col(BillVote.stage_id) == record.review_id)).first()
        numbers = (record.votes_for, record.votes_against)
        if vote is None:
            session.add(BillVote(stage_id=record.review_id, bill_id=bill_id, votes_for=record.votes_for,
                                 votes_against=record.votes_against, voted_on=record.session_date or record.date,
                                 first_seen_at=seen_at, crawl_run_id=run_id))
            events.add("vote_recorded", record.session_date or record.date, stage=record.kind, name=record.name,
                       votes_for=record.votes_for, votes_against=record.votes_against)
        elif (vote.votes_for, vote.votes_against) != numbers:
            vote.votes_for, vote.votes_against = numbers
            session.add(vote)
            events.add("vote_changed", record.session_date or record.date, stage=record.kind, name=record.name,
                       votes_for=record.votes_for, votes_against=record.votes_against)
    session.flush()


def _import_file(session: Session, bill_id: int, stage_id: int, entry: StageFile, download: FileDownload | None,
                 failure: str | None, events: _Events, *, run_id: int, seen_at: datetime) -> BillFileVersion | None:
    row = session.get(BillFile, entry.file_id)
    if row is None:
        row = BillFile(id=entry.file_id, bill_id=bill_id, stage_id=stage_id, name=entry.name, kind=entry.kind,
                       kind_code=entry.kind_code, url=entry.url, entry_sha256=entry.fingerprint,
                       first_seen_at=seen_at, last_checked_at=seen_at)
        session.add(row)
        session.flush()
    else:
        row.name, row.kind, row.kind_code, row.url = entry.name, entry.kind, entry.kind_code, entry.url
        row.entry_sha256 = entry.fingerprint
        row.last_checked_at = max(row.last_checked_at, seen_at)
    if failure is not None:
        row.download_error = failure
    session.add(row)
    if download is None:
        return None
    row.download_error = None
    latest = session.scalars(select(BillFileVersion).where(col(BillFileVersion.file_id) == entry.file_id)
                             .order_by(col(BillFileVersion.seq).desc()).limit(1)).first()
    if latest is not None and latest.sha256 == download.sha256:
        return None
    text = download.extracted.text if download.extracted.readable else ""
    digest = text_sha256(text) if text else None
    if digest:
        insert_missing_blobs(session, {digest: text})
    version = BillFileVersion(
        file_id=entry.file_id, seq=(latest.seq + 1) if latest else 1, sha256=download.sha256, size=download.size,
        content_type=download.content_type, format=download.extracted.format, text_sha256=digest,
        text_chars=len(text), extract_error=download.extracted.error, fetched_at=seen_at, crawl_run_id=run_id)
    session.add(version)
    session.flush()
    facts: dict[str, Any] = {"file_id": entry.file_id, "file_kind": entry.kind_code, "kind_name": entry.kind,
                             "name": entry.name, "version": version.seq, "readable": download.extracted.readable,
                             "error": download.extracted.error, "sha256": download.sha256}
    if latest is None:
        events.add("file_added", None, **facts)
    else:
        events.add("file_changed", None, **facts, previous_sha256=latest.sha256)
    return version


def _complete(session: Session, bill_id: int, record: BillRecord) -> bool:
    """Every listed file has a stored version and none failed this time."""
    if record.failed_files:
        return False
    listed = [f.file_id for s in record.stages for f in s.files]
    if not listed:
        return True
    stored = set(session.scalars(select(col(BillFileVersion.file_id)).where(col(BillFileVersion.file_id).in_(listed))))
    return stored == set(listed)


# -- what the spider asks -------------------------------------------------------------------------


def bill_states(session: Session) -> dict[int, BillState]:
    """Every stored bill's state, for the incremental crawl."""
    rows = session.execute(select(col(Bill.id), col(Bill.list_sha256), col(Bill.status), col(Bill.complete),
                                  col(Bill.confirmed)))
    return {bill_id: BillState(sha, status, complete, confirmed) for bill_id, sha, status, complete, confirmed in rows}


def stored_files(session: Session, bill_id: int) -> dict[int, str]:
    """file id → listing-entry sha256, for files with a stored version and no failed download since."""
    has_version = select(col(BillFileVersion.file_id))
    rows = session.execute(select(col(BillFile.id), col(BillFile.entry_sha256)).where(col(BillFile.bill_id) == bill_id)
                           .where(col(BillFile.id).in_(has_version)).where(col(BillFile.download_error).is_(None)))
    return {file_id: sha for file_id, sha in rows}


# -- the end of a run -----------------------------------------------------------------------------


def finish_parliament_run(session: Session, run_id: int, *, verdict: str | None, counts: Mapping[str, int]) -> int:
    """Store the run's Parliament counts; publish its events and confirm its bills unless it is broken.

    Call with `tracker.runs.finish_run` in one transaction. Returns how many events were published.
    """
    session.merge(ParliamentRunCounts(run_id=run_id, **counts))
    if verdict not in PUBLISHING_VERDICTS:
        session.flush()
        return 0
    published = session.execute(update(BillEvent).where(col(BillEvent.crawl_run_id) == run_id)
                                .where(col(BillEvent.published).is_(False)).values(published=True)
                                ).rowcount  # type: ignore[attr-defined]  # an UPDATE's CursorResult
    session.execute(update(Bill).where(col(Bill.crawl_run_id) == run_id).values(confirmed=True))
    session.flush()
    return published
