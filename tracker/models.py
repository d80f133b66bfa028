"""Database tables of the tracker.

History is append-only: a published version, a metadata snapshot, an amending act or a text
blob is never rewritten. `Act` is the one exception: it carries a copy of the latest metadata
so that listing acts needs no join.

Every change to these classes needs an Alembic migration in `tracker/migrations/versions/`;
`tests/tracker/test_tracker_db.py` fails when the models and the migrations disagree.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

__all__ = [
    "Act",
    "ActRevision",
    "AmendingAct",
    "AmendingText",
    "Bill",
    "BillActLink",
    "BillCommittee",
    "BillEnactment",
    "BillEvent",
    "BillFile",
    "BillFileVersion",
    "BillStage",
    "BillVote",
    "ConsolidatedVersion",
    "CrawlError",
    "CrawlRun",
    "MatsneTitleLookup",
    "ParliamentRunCounts",
    "TextBlob",
    "TranslatedUnit",
    "TranslatedVersion",
    "UTCDateTime",
    "UnitContent",
    "VersionCheck",
    "VersionUnit",
    "WatchedAct",
    "utcnow",
]

# Named constraints: SQLite's batch migrations (copy-and-move tables) can only drop or alter a
# constraint that has a name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no time zone and PostgreSQL returns its session's zone; this type gives the
    same value on both. A naive datetime is taken to be UTC already.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> datetime:
    return datetime.now(dt.UTC)


class ActMetadataFields(SQLModel):
    """The metadata table of a Matsne page: shared by the act and each snapshot of it."""

    title: str = Field(sa_type=sa.Text)
    number: str | None = Field(default=None, sa_type=sa.Text)
    issuer: str | None = Field(default=None, sa_type=sa.Text)
    act_type: str | None = Field(default=None, sa_type=sa.Text)
    adopted: date | None = None
    published: date | None = None
    published_source: str | None = Field(default=None, sa_type=sa.Text)
    entry_into_force: date | None = None
    loss_of_force: date | None = None
    registration_code: str | None = Field(default=None, sa_type=sa.Text)
    status: str | None = Field(default=None, sa_type=sa.String(32))


class Act(ActMetadataFields, table=True):
    """One Matsne document; the metadata fields copy its latest `ActRevision`."""

    __tablename__ = "act"

    # Matsne's own document id, never generated here.
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_checked_at: datetime = Field(sa_type=UTCDateTime)


class ActRevision(ActMetadataFields, table=True):
    """A snapshot of an act's metadata, appended each time it differs from the previous one."""

    __tablename__ = "act_revision"
    __table_args__ = (sa.Index("ix_act_revision_act_id", "act_id"),)

    id: int | None = Field(default=None, primary_key=True)
    act_id: int = Field(foreign_key="act.id")
    seen_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")
    metadata_sha256: str = Field(sa_type=sa.String(64))


class AmendingAct(SQLModel, table=True):
    """One entry of an act's list of amending acts; entries are only ever added."""

    __tablename__ = "amending_act"
    __table_args__ = (
        sa.UniqueConstraint(
            "act_id", "seq", "act_number", name="uq_amending_act_act_id_seq_act_number"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    act_id: int = Field(foreign_key="act.id")
    seq: int
    # `dt.date`: the field name `date` would shadow the type inside this class body.
    date: dt.date | None = None
    act_type: str = Field(sa_type=sa.Text)
    act_number: str = Field(sa_type=sa.Text)
    published_in: str = Field(default="", sa_type=sa.Text)
    published_on: dt.date | None = None
    note: str = Field(default="", sa_type=sa.Text)
    # Matsne id of the amending act itself, when the list links to it.
    document_id: int | None = None
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")


class AmendingText(SQLModel, table=True):
    """The text of an amending act itself (its own Matsne page), fetched by `kanoni crawl matsne
    --with-amending-acts` for the version check (`diffing.verify`). One row per Matsne document, written
    once: the text of an amending act never changes. `units` are the page's units as parsed
    ([{"kind", "key", "number", "heading", "text"}]); the metadata are its page's."""

    __tablename__ = "amending_text"
    __table_args__ = (sa.UniqueConstraint("document_id", name="uq_amending_text_document_id"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int
    title: str = Field(sa_type=sa.Text)
    act_type: str = Field(default="", sa_type=sa.Text)
    number: str = Field(default="", sa_type=sa.Text)
    adopted: date | None = None
    published: date | None = None
    entry_into_force: date | None = None
    units: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    # sha256 of the units' kind/key/heading/text, as `ConsolidatedVersion.content_sha256`.
    content_sha256: str = Field(sa_type=sa.String(64))
    body_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    layout: str = Field(default="", sa_type=sa.String(64))
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")


class VersionCheck(SQLModel, table=True):
    """The outcome of the version check (`diffing.verify`) for one amending act of an act: the act's version
    `base_publication` with the amending act applied, compared with its next version `next_publication`.
    Derived facts, kept so that the act page does not apply every amending act on each request: written by
    `kanoni verify` and after `kanoni crawl matsne --with-amending-acts`, replaced when checked again.
    `differences` ([{"path": [[kind, number], ...], "amended", "consolidated"}]) are the units that differ;
    the words are the reader's."""

    __tablename__ = "version_check"
    __table_args__ = (
        sa.UniqueConstraint("act_id", "document_id", "base_publication", "next_publication",
                            name="uq_version_check_step"),
    )

    id: int | None = Field(default=None, primary_key=True)
    act_id: int = Field(foreign_key="act.id", index=True)
    document_id: int  # the amending act's Matsne document
    base_publication: int
    next_publication: int
    state: str = Field(sa_type=sa.String(16))  # diffing.verify.STATES: agrees, differs, unsettled
    differences: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    checked_at: datetime = Field(sa_type=UTCDateTime)


class ConsolidatedVersion(SQLModel, table=True):
    """One publication of an act: 0 is the original text, N the N-th consolidated version.

    `published` stays False until the crawl run that stored the row ends with a verdict other
    than "broken"; readers and incremental crawling only trust published rows.
    """

    __tablename__ = "consolidated_version"
    __table_args__ = (
        sa.UniqueConstraint(
            "act_id", "publication", name="uq_consolidated_version_act_id_publication"
        ),
        sa.Index("ix_consolidated_version_crawl_run_id", "crawl_run_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    act_id: int = Field(foreign_key="act.id")
    publication: int
    # original / consolidated / final; None when the page had no banner and publication > 0.
    kind: str | None = Field(default=None, sa_type=sa.String(16))
    valid_from: date | None = None
    valid_to: date | None = None
    # The date the versions list gives for this publication.
    version_date: date | None = None
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    # sha256 of the units' kind/key/heading/text; None while the text is paywalled.
    content_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    # sha256 of the fetched page body, to find it in the mirror.
    body_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    layout: str = Field(default="", sa_type=sa.String(64))
    paywalled: bool = False
    crawl_run_id: int = Field(foreign_key="crawl_run.id")
    published: bool = False


class TextBlob(SQLModel, table=True):
    """A unit's text, stored once however many versions repeat it."""

    __tablename__ = "text_blob"

    sha256: str = Field(primary_key=True, sa_type=sa.String(64))
    text: str = Field(sa_type=sa.Text)
    chars: int


class UnitFields(SQLModel):
    """The columns of a structural unit: shared by a Georgian version's units and a translation's."""

    kind: str = Field(sa_type=sa.String(16))
    key: str = Field(sa_type=sa.String(255))
    number: str = Field(default="", sa_type=sa.String(64))
    heading: str = Field(default="", sa_type=sa.Text)
    parent_key: str | None = Field(default=None, sa_type=sa.String(255))
    # None when the unit has no text of its own (a chapter heading).
    text_sha256: str | None = Field(
        default=None, foreign_key="text_blob.sha256", sa_type=sa.String(64)
    )


class UnitContent(UnitFields, table=True):
    """What one structural unit says (kind, key, number, heading, parent, paragraphs, text), stored
    once for every version that repeats it: a later version that changes 2% of an act adds rows
    here only for the units it changed. Immutable, like `TextBlob`; `digest` (sha256 of all of it,
    `tracker.hashing.unit_digest`) finds an equal unit already stored."""

    __tablename__ = "unit_content"
    __table_args__ = (sa.UniqueConstraint("digest", name="uq_unit_content_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    digest: bytes = Field(sa_type=sa.LargeBinary(32))
    # Normalised numbers of the article's numbered paragraphs, e.g. ["1", "2", "2^1"].
    paragraphs: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class VersionUnit(SQLModel, table=True):
    """The seq-th unit of one version, in document order: a reference to its `UnitContent`.

    Three integers a row, so each version lists all of its units at little cost. Keys are unique
    within a version (the importer refuses a page repeating one). WITHOUT ROWID on SQLite: the
    primary key is the table, with no second copy in a rowid b-tree.
    """

    __tablename__ = "version_unit"
    __table_args__ = ({"sqlite_with_rowid": False},)

    version_id: int = Field(
        foreign_key="consolidated_version.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    content_id: int = Field(foreign_key="unit_content.id")


class TranslatedVersion(SQLModel, table=True):
    """Matsne's official translation of one version into one language, or the fact that it has none.

    It sits beside the Georgian `ConsolidatedVersion`, never instead of it, and is shown only where
    that version is. status "present": its units are `TranslatedUnit`s; "missing": Matsne has none
    (reason "not_found": it said so; "untranslated_body": its page in that language showed the
    Georgian text). A missing translation found later becomes present: a fact learnt later, like a
    paywalled text that becomes readable; a present one is never rewritten.
    """

    __tablename__ = "translated_version"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "language", name="uq_translated_version_version_id_language"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="consolidated_version.id")
    language: str = Field(sa_type=sa.String(8))
    status: str = Field(sa_type=sa.String(16))
    reason: str = Field(default="", sa_type=sa.String(32))
    # The act's title as the translation gives it.
    title: str = Field(default="", sa_type=sa.Text)
    # sha256 of the units' kind/key/heading/text, as `ConsolidatedVersion.content_sha256`; None when missing.
    content_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    body_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    layout: str = Field(default="", sa_type=sa.String(64))
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    # The last time Matsne was asked (a missing translation is asked again while its version is the newest).
    checked_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")


class TranslatedUnit(UnitFields, table=True):
    """A unit of a translation, keyed as the Georgian version's units are ("5", "chapter-I")."""

    __tablename__ = "translated_unit"
    __table_args__ = (
        sa.UniqueConstraint("translation_id", "key", name="uq_translated_unit_translation_id_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translated_version.id")
    seq: int


class CrawlRun(SQLModel, table=True):
    """One crawl, with its counts and the verdict of its health checks."""

    __tablename__ = "crawl_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_type=sa.String(32))
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # running / finished / interrupted
    status: str = Field(default="running", sa_type=sa.String(16))
    # ok / degraded / broken, None while running or when no verdict was reached
    verdict: str | None = Field(default=None, sa_type=sa.String(16))
    pages_fetched: int = 0
    acts_new: int = 0
    acts_updated: int = 0
    acts_unchanged: int = 0
    versions_added: int = 0
    errors: int = 0
    # Why the verdict (or why none): a code (crawlers.health.REASONS, or process_gone / did_not_finish),
    # "" while running; the site and the CLI say it in each language from `reason_facts`.
    reason: str = Field(default="", sa_type=sa.String(32))
    reason_facts: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # What was asked: act ids, limits, flags.
    options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class CrawlError(SQLModel, table=True):
    """One failure during a crawl run (a page that could not be fetched, parsed or stored)."""

    __tablename__ = "crawl_error"
    __table_args__ = (sa.Index("ix_crawl_error_run_id", "run_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="crawl_run.id")
    at: datetime = Field(sa_type=UTCDateTime)
    url: str = Field(default="", sa_type=sa.Text)
    # http_5xx, timeout, access_denied, truncated, too_large, broken_charset, parse_error, ...
    kind: str = Field(sa_type=sa.String(32))
    message: str = Field(default="", sa_type=sa.Text)


class WatchedAct(SQLModel, table=True):
    """An act to keep fetching: added by a user or queued by another crawler.

    No foreign key to `act`: an act may be watched before it was ever fetched.
    """

    __tablename__ = "watched_act"

    act_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    added_at: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(default="", sa_type=sa.Text)


# --- Parliament: bills, their stages, committees, votes, files and links to acts ------------------
#
# Parliament's own ids (bill, stage = billReview, committee assignment, file) are kept as primary
# keys, never generated here. A bill's rows are updated as it moves on; what changed is kept as
# `BillEvent`s, and an attachment's bytes are only ever added (`BillFileVersion`).


class Bill(SQLModel, table=True):
    """One draft law. `confirmed` stays False until the run that last changed it ends healthy."""

    __tablename__ = "bill"
    __table_args__ = (sa.Index("ix_bill_status", "status"),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    number: str = Field(default="", sa_type=sa.Text)  # registration number, "07-2/412"
    registered: date | None = None
    title: str = Field(sa_type=sa.Text)
    description: str = Field(default="", sa_type=sa.Text)
    type_id: int | None = None
    type_name: str = Field(default="", sa_type=sa.Text)
    package_name: str = Field(default="", sa_type=sa.Text)
    initiator: str = Field(default="", sa_type=sa.Text)
    author: str = Field(default="", sa_type=sa.Text)
    bill_count: int | None = None
    # open / law / withdrawn
    status: str = Field(default="open", sa_type=sa.String(16))
    # kind of the latest stage: initiated, reading_1..3, law, withdrawn, other
    stage: str = Field(default="", sa_type=sa.String(16))
    # sha256 of the listing item and of the stages with their committees and file entries.
    list_sha256: str = Field(default="", sa_type=sa.String(64))
    content_sha256: str = Field(default="", sa_type=sa.String(64))
    # Every listed attachment has a stored version (none failed to download).
    complete: bool = True
    # linked / partial / queued / ambiguous / unresolved / none (the title amends no act)
    link_status: str = Field(default="none", sa_type=sa.String(16))
    link_note: str = Field(default="", sa_type=sa.Text)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_checked_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")
    confirmed: bool = False


class BillStage(SQLModel, table=True):
    """One stage of a bill (`billReview`): as initiated, a reading, became law, withdrawn."""

    __tablename__ = "bill_stage"
    __table_args__ = (sa.Index("ix_bill_stage_bill_id", "bill_id"),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    bill_id: int = Field(foreign_key="bill.id")
    seq: int
    name: str = Field(default="", sa_type=sa.Text)
    kind: str = Field(sa_type=sa.String(16))
    # `dt.date`: the field name `date` would shadow the type inside this class body.
    date: dt.date | None = None
    bureau_date: dt.date | None = None
    session_date: dt.date | None = None
    submitted_date: dt.date | None = None
    document_number: str = Field(default="", sa_type=sa.Text)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)


class BillCommittee(SQLModel, table=True):
    """A committee assigned to a stage: the lead committee or one whose opinion is mandatory."""

    __tablename__ = "bill_committee"
    __table_args__ = (sa.Index("ix_bill_committee_stage_id", "stage_id"),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    stage_id: int = Field(foreign_key="bill_stage.id")
    bill_id: int = Field(foreign_key="bill.id")
    committee_id: int | None = None  # Parliament's structure node: the same committee across bills
    name: str = Field(default="", sa_type=sa.Text)
    role: str = Field(sa_type=sa.String(16))  # lead / opinion / other
    first_seen_at: datetime = Field(sa_type=UTCDateTime)


class BillVote(SQLModel, table=True):
    """The plenary vote of one stage."""

    __tablename__ = "bill_vote"
    __table_args__ = (sa.UniqueConstraint("stage_id", name="uq_bill_vote_stage_id"),)

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="bill_stage.id")
    bill_id: int = Field(foreign_key="bill.id")
    votes_for: int | None = None
    votes_against: int | None = None
    voted_on: date | None = None
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")


class BillFile(SQLModel, table=True):
    """An attachment of a stage; its contents are its `BillFileVersion`s."""

    __tablename__ = "bill_file"
    __table_args__ = (sa.Index("ix_bill_file_bill_id", "bill_id"),)

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    bill_id: int = Field(foreign_key="bill.id")
    stage_id: int = Field(foreign_key="bill_stage.id")
    name: str = Field(default="", sa_type=sa.Text)
    kind: str = Field(default="", sa_type=sa.Text)  # the attachment type as Parliament names it
    kind_code: str = Field(default="other", sa_type=sa.String(32))  # draft / explanatory_note / ...
    url: str = Field(default="", sa_type=sa.Text)
    entry_sha256: str = Field(default="", sa_type=sa.String(64))  # the listing entry, to spot a replacement
    # Why the latest download failed (None once one succeeded): the file is fetched again.
    download_error: str | None = Field(default=None, sa_type=sa.Text)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_checked_at: datetime = Field(sa_type=UTCDateTime)


class BillFileVersion(SQLModel, table=True):
    """One content of an attachment: a changed file adds a version, never overwrites one."""

    __tablename__ = "bill_file_version"
    __table_args__ = (sa.UniqueConstraint("file_id", "seq", name="uq_bill_file_version_file_id_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="bill_file.id")
    seq: int
    sha256: str = Field(sa_type=sa.String(64))
    size: int
    content_type: str = Field(default="", sa_type=sa.Text)
    format: str = Field(default="", sa_type=sa.String(16))  # docx / pdf / doc / unknown
    # The extracted text (stored once in text_blob); None when unreadable, see extract_error.
    text_sha256: str | None = Field(default=None, foreign_key="text_blob.sha256", sa_type=sa.String(64))
    text_chars: int = 0
    extract_error: str | None = Field(default=None, sa_type=sa.Text)
    fetched_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")


class BillEvent(SQLModel, table=True):
    """A change to a bill, for alerts: registered, committee_assigned, stage_reached, vote_recorded,
    became_law, withdrawn, file_added, file_changed. Published once its run ends healthy."""

    __tablename__ = "bill_event"
    __table_args__ = (
        sa.Index("ix_bill_event_bill_id", "bill_id"),
        sa.Index("ix_bill_event_crawl_run_id", "crawl_run_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bill_id: int = Field(foreign_key="bill.id")
    kind: str = Field(sa_type=sa.String(32))
    happened_on: date | None = None  # the day Parliament gives, when it gives one
    seen_at: datetime = Field(sa_type=UTCDateTime)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")
    published: bool = False
    # What happened, never a sentence (`alerts.wording.event_label` says it per language): e.g. a stage's
    # kind and Parliament's name, a committee and its role, votes, changed field names, a file's id, kind,
    # name, version and whether its text was readable.
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class BillActLink(SQLModel, table=True):
    """An act a bill's title says it amends, and the stored act it was matched to.

    status: linked (act_id set), queued (not stored yet: looked up on Matsne), ambiguous
    (several stored acts fit: nobody guesses), not_found (Matsne has no such act in force).
    """

    __tablename__ = "bill_act_link"
    __table_args__ = (
        sa.UniqueConstraint("bill_id", "target_key", name="uq_bill_act_link_bill_id_target_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bill_id: int = Field(foreign_key="bill.id")
    seq: int
    target_title: str = Field(sa_type=sa.Text)
    target_key: str = Field(sa_type=sa.Text)
    target_kind: str = Field(sa_type=sa.String(32))  # law / organic_law / constitutional_law / code / constitution
    act_id: int | None = Field(default=None, foreign_key="act.id")
    status: str = Field(sa_type=sa.String(16))
    note: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class BillEnactment(SQLModel, table=True):
    """A bill that became law, and the amending act Matsne publishes for it (once it does)."""

    __tablename__ = "bill_enactment"

    bill_id: int = Field(primary_key=True, foreign_key="bill.id", sa_column_kwargs={"autoincrement": False})
    law_number: str = Field(default="", sa_type=sa.Text)
    law_date: date | None = None
    amending_act_id: int | None = Field(default=None, foreign_key="amending_act.id")
    # linked / pending
    status: str = Field(default="pending", sa_type=sa.String(16))
    note: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class MatsneTitleLookup(SQLModel, table=True):
    """An act title a bill names but the tracker does not hold: the Matsne crawler looks it up.

    status: pending, resolved (act_id found; the act is then crawled and watched), not_found,
    ambiguous. No foreign key on act_id: the act is found before it is stored.
    """

    __tablename__ = "matsne_title_lookup"
    __table_args__ = (sa.UniqueConstraint("title_key", name="uq_matsne_title_lookup_title_key"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=sa.Text)
    title_key: str = Field(sa_type=sa.Text)
    kind: str = Field(sa_type=sa.String(32))
    first_bill_id: int | None = None
    queued_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="pending", sa_type=sa.String(16))
    act_id: int | None = None
    attempts: int = 0
    last_tried_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    note: str = Field(default="", sa_type=sa.Text)


class ParliamentRunCounts(SQLModel, table=True):
    """What one Parliament crawl run stored, beside the counts every `CrawlRun` has."""

    __tablename__ = "parliament_run_counts"

    run_id: int = Field(primary_key=True, foreign_key="crawl_run.id", sa_column_kwargs={"autoincrement": False})
    bills_new: int = 0
    bills_updated: int = 0
    bills_unchanged: int = 0
    file_versions_added: int = 0
    files_unreadable: int = 0
    date_problems: int = 0
    events_added: int = 0


class CrawlLock(SQLModel, table=True):
    """The one crawl of a source allowed at a time: a row per source, held by a running run.

    A row in the database rather than a lock file: it holds across machines on PostgreSQL, and
    the primary key makes taking it atomic.
    """

    __tablename__ = "crawl_lock"

    source: str = Field(primary_key=True, sa_type=sa.String(32))
    run_id: int = Field(foreign_key="crawl_run.id")
    host: str = Field(default="", sa_type=sa.String(255))
    pid: int = 0
    acquired_at: datetime = Field(sa_type=UTCDateTime)


class ListedVersion(SQLModel, table=True):
    """A publication an act's page lists in its versions list, whether or not it is stored yet.

    What a run should have stored: a run that leaves a listed version unstored is not "ok", and
    a version is not compared past a listed one that is still missing.
    """

    __tablename__ = "listed_version"

    act_id: int = Field(primary_key=True, foreign_key="act.id", sa_column_kwargs={"autoincrement": False})
    publication: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    listed_on: dt.date | None = None
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
