"""The network's own proposed amendments: proposals (an act, its base version and edits to it) and packages of
them, both kept as append-only revisions.

A proposal is one act and the stored version it starts from (`base_publication`); each save adds a
`ProposalRevision` (title, status, who, when) and its ordered `ProposalEdit`s: the edits as facts (kind, the
unit's path and stored key, the new wording, the sibling an insertion follows), never the amending act's
sentences — those are written from the edits when asked for (diffing.drafting). A package is a named group of
proposals (the main act and its consequential amendments to other acts); each change to it adds a
`PackageRevision` whose `PackageMember`s pin the proposal revisions it held then. Once Parliament registers the
drafts, `PackageBill` links the package to the tracker's bills. Proposals and packages belong to the
organisation that made them (`org_id`); a package holds only its own organisation's proposals.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["EDIT_KINDS", "MAX_EDITS", "MAX_EDIT_CHARS", "MAX_TITLE_CHARS", "PACKAGE_ROLES", "PACKAGE_STATUSES",
           "PROPOSAL_STATUSES", "Package", "PackageBill", "PackageMember", "PackageRevision", "Proposal",
           "ProposalEdit", "ProposalRevision"]

EDIT_KINDS = ("replace", "insert", "repeal")  # as diffing.edits.EDIT_KINDS (tracker cannot import diffing)
PROPOSAL_STATUSES = ("draft", "review", "final", "withdrawn")
PACKAGE_STATUSES = ("draft", "submitted", "registered", "withdrawn")
PACKAGE_ROLES = ("main", "consequential")
MAX_TITLE_CHARS = 300
# One unit's wording: the longest article of the corpus's codes is well under this. A browser sends a Georgian
# letter as 9 bytes and a form part may be 64 KiB (kanoni.web.security.FORM_PART_BYTES): 6000 letters fit a form.
MAX_EDIT_CHARS = 20000
MAX_EDITS = 500


class Proposal(SQLModel, table=True):
    """One proposed amendment of one act, from one stored version of it; its content is in its revisions."""

    __tablename__ = "proposal"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)  # the organisation whose proposal it is
    act_id: int = Field(foreign_key="act.id", index=True)
    base_publication: int  # ConsolidatedVersion.publication the edits apply to
    created_by: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ProposalRevision(SQLModel, table=True):
    """One saved state of a proposal; `seq` counts from 1 per proposal; never updated."""

    __tablename__ = "proposal_revision"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "seq", name="uq_proposal_revision_proposal_id_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id")
    seq: int
    title: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default="draft", sa_type=sa.String(16))  # PROPOSAL_STATUSES
    changed_by: str = Field(default="", sa_type=sa.Text)
    changed_at: datetime = Field(sa_type=UTCDateTime)


class ProposalEdit(SQLModel, table=True):
    """The `position`-th edit of one proposal revision (applied in that order).

    kind: EDIT_KINDS. path: the unit as diffing.units.UnitPath, [[level, number], ...] ([["article", "12^1"]]).
    unit_key: the stored key (VersionUnit's UnitContent.key) of the act's unit the edit is in, or, for an inserted
    top unit, the key it will have ("12^1", "annex-1/point-3"). text: the unit's new wording as the act writes
    it (replace, insert); "" for a repeal. after: the sibling an insertion follows, a path; None: where its
    number puts it."""

    __tablename__ = "proposal_edit"
    __table_args__ = (sa.UniqueConstraint("revision_id", "position", name="uq_proposal_edit_revision_id_position"),)

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="proposal_revision.id")
    position: int
    kind: str = Field(sa_type=sa.String(16))
    unit_key: str = Field(sa_type=sa.String(255))
    path: list[Any] = Field(default_factory=list, sa_type=sa.JSON)
    text: str = Field(default="", sa_type=sa.Text)
    after: list[Any] | None = Field(default=None, sa_type=sa.JSON)


class Package(SQLModel, table=True):
    """A group of proposals the network lobbies for together; its content is in its revisions."""

    __tablename__ = "package"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)  # the organisation whose package it is
    created_by: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class PackageRevision(SQLModel, table=True):
    """One state of a package: its name and status, and (PackageMember) the proposals it held."""

    __tablename__ = "package_revision"
    __table_args__ = (sa.UniqueConstraint("package_id", "seq", name="uq_package_revision_package_id_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    package_id: int = Field(foreign_key="package.id")
    seq: int
    name: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default="draft", sa_type=sa.String(16))  # PACKAGE_STATUSES
    changed_by: str = Field(default="", sa_type=sa.Text)
    changed_at: datetime = Field(sa_type=UTCDateTime)


class PackageMember(SQLModel, table=True):
    """The `position`-th proposal of a package revision, pinned to the proposal revision it had then."""

    __tablename__ = "package_member"
    __table_args__ = (sa.UniqueConstraint("revision_id", "position", name="uq_package_member_revision_id_position"),)

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="package_revision.id")
    position: int
    proposal_id: int = Field(foreign_key="proposal.id")
    proposal_seq: int
    role: str = Field(default="main", sa_type=sa.String(16))  # PACKAGE_ROLES


class PackageBill(SQLModel, table=True):
    """A Parliament bill (the tracker's `Bill`) registered from the package; written once."""

    __tablename__ = "package_bill"
    __table_args__ = (sa.UniqueConstraint("package_id", "bill_id", name="uq_package_bill_package_id_bill_id"),)

    id: int | None = Field(default=None, primary_key=True)
    package_id: int = Field(foreign_key="package.id")
    bill_id: int = Field(foreign_key="bill.id", index=True)
    registration_number: str = Field(default="", sa_type=sa.Text)  # the bill's number when linked ("07-2/412")
    linked_by: str = Field(default="", sa_type=sa.Text)
    linked_at: datetime = Field(sa_type=UTCDateTime)
