"""Joint positions: one organisation drafts a coalition position on an act or bill, others sign on.

The text is kept as append-only revisions (like `tracker.position_models`): each change adds a revision
holding the whole text as it now stands, who changed it, when and which fields changed. An endorsement is a
row too: which organisation signed, who signed for it, when, and the revision it signed; withdrawing fills
`withdrawn_at` (never a delete), and signing again adds a new row.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["JointEndorsement", "JointPosition", "JointPositionRevision"]


class JointPosition(SQLModel, table=True):
    """A joint position: its subject and its drafting organisation, which alone edits its text."""

    __tablename__ = "joint_position"

    id: int | None = Field(default=None, primary_key=True)
    # No foreign key: a position may be taken on a bill or act before it is crawled.
    subject_kind: str = Field(sa_type=sa.String(8))  # act | bill
    subject_id: int = Field(index=True)
    drafter_org_id: int = Field(foreign_key="organisation.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(default="", sa_type=sa.Text)


class JointPositionRevision(SQLModel, table=True):
    """One state of a joint position's text; `seq` counts from 1 per joint position."""

    __tablename__ = "joint_position_revision"
    __table_args__ = (
        sa.UniqueConstraint("joint_id", "seq", name="uq_joint_position_revision_joint_id_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    joint_id: int = Field(foreign_key="joint_position.id", index=True)
    seq: int
    title: str = Field(sa_type=sa.Text)
    stance: str = Field(sa_type=sa.String(16))  # tracker.position_models.STANCES
    text: str = Field(default="", sa_type=sa.Text)
    talking_points: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Public: everyone may read it (the site, briefs, members' digests); else only the drafting and signing
    # organisations' staff.
    public: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    changed_by: str = Field(default="", sa_type=sa.Text)
    changed_at: datetime = Field(sa_type=UTCDateTime)
    changed_fields: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class JointEndorsement(SQLModel, table=True):
    """One organisation's signature on a joint position, while `withdrawn_at` is empty."""

    __tablename__ = "joint_endorsement"
    __table_args__ = (
        # One signature in force per organisation: two forms sent at once cannot both sign (withdrawn ones stay).
        sa.Index("uq_joint_endorsement_active", "joint_id", "org_id", unique=True,
                 sqlite_where=sa.text("withdrawn_at IS NULL"), postgresql_where=sa.text("withdrawn_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    joint_id: int = Field(foreign_key="joint_position.id", index=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    endorsed_by: str = Field(sa_type=sa.Text)  # the staff member's username
    endorsed_at: datetime = Field(sa_type=UTCDateTime)
    revision_seq: int  # the revision of the text that was signed
    withdrawn_by: str | None = Field(default=None, sa_type=sa.Text)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
