"""The organisation's own plain-language explanation of a guidebook term, kept as append-only revisions.

A note is never updated in place: each change adds a revision holding the whole text as it now stands, who
wrote it and when. The current note is the latest revision (an empty text: the note was taken down); the
history is all of them. A note belongs to the term's base form (diffing.guidebook.Entry.base_form: ბავშვი and
ბავშვები are one term), which stays the same when the term's shown form or permalink changes; the slug and the
term as shown when the revision was written are kept beside it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["MAX_NOTE_CHARS", "TermNoteRevision"]

# A few paragraphs (longer belongs in a brief). A browser sends a Georgian letter as 9 bytes (%E1%83%91), and a
# form field may be 64 KiB (kanoni.web.security.FORM_PART_BYTES): 6000 letters fit.
MAX_NOTE_CHARS = 6000


class TermNoteRevision(SQLModel, table=True):
    """One state of one organisation's note on one term; `seq` counts from 1 per (organisation, base form)."""

    __tablename__ = "term_note_revision"
    __table_args__ = (sa.UniqueConstraint("org_id", "base_form", "seq",
                                          name="uq_term_note_revision_org_id_base_form_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)  # the organisation whose note it is
    # No foreign key: the guidebook is computed from the stored versions, not stored.
    base_form: str = Field(sa_type=sa.Text)
    seq: int
    slug: str = Field(default="", sa_type=sa.Text)  # the permalink when written (/guidebook/{slug})
    term: str = Field(default="", sa_type=sa.Text)  # the term as shown when written
    text: str = Field(default="", sa_type=sa.Text)  # plain text; paragraphs separated by a blank line
    changed_by: str = Field(default="", sa_type=sa.Text)
    changed_at: datetime = Field(sa_type=UTCDateTime)
