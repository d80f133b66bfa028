"""The organisation's lobbying position on a bill or an act, kept as append-only revisions.

A position is never updated in place: each change adds a revision holding the whole position as
it now stands, who changed it, when, and which fields changed. The current position is the
latest revision; the history is all of them.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["STANCES", "SUBJECT_KINDS", "PositionRevision"]

STANCES = ("support", "oppose", "seek_amendment", "watch")
SUBJECT_KINDS = ("act", "bill")


class PositionRevision(SQLModel, table=True):
    """One state of one organisation's position on one act or bill; `seq` counts from 1 per (organisation,
    subject)."""

    __tablename__ = "position_revision"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "subject_kind", "subject_id", "seq",
                            name="uq_position_revision_org_id_subject_kind_subject_id_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Each organisation keeps its own position on a subject; its internal fields are for its staff alone.
    org_id: int = Field(foreign_key="organisation.id", index=True)
    # No foreign key: a position may be taken on a bill or act before it is crawled.
    subject_kind: str = Field(sa_type=sa.String(8))  # act | bill
    subject_id: int
    seq: int
    stance: str = Field(sa_type=sa.String(16))  # support | oppose | seek_amendment | watch
    talking_points: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    owner: str = Field(default="", sa_type=sa.Text)
    deadline_on: date | None = None
    deadline_what: str = Field(default="", sa_type=sa.Text)
    notes: str = Field(default="", sa_type=sa.Text)
    # Members may read it in their e-mails; otherwise only staff do (the website shows positions to staff).
    public: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    changed_by: str = Field(default="", sa_type=sa.Text)
    changed_at: datetime = Field(sa_type=UTCDateTime)
    changed_fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)
