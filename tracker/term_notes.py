"""Write and read the organisations' notes on guidebook terms. Every change appends a revision; nothing is
overwritten, and saving the text a note already has adds nothing (idempotent). Each organisation has its own
note on a term (`org_id`; default: the installation's own, tracker.organisations.installation_org_id);
`notes_on` gives every organisation's, for the public page."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.models import utcnow
from tracker.organisations import home_organisation, installation_org_id
from tracker.term_note_models import MAX_NOTE_CHARS, TermNoteRevision
from vocabulary.errors import KanoniError

__all__ = ["MAX_NOTE_CHARS", "TermNote", "TermNoteError", "current_notes", "get_note", "note_history",
           "normalise_note", "notes_on", "save_note"]


class TermNoteError(KanoniError, ValueError):
    """A note that cannot be recorded (too long, no term)."""


@dataclass(frozen=True)
class TermNote:
    """One revision of a term's note, detached from the session (safe to render after it closes)."""

    base_form: str
    seq: int
    slug: str
    term: str
    text: str
    changed_by: str
    changed_at: datetime
    org_id: int = 0  # the organisation whose note it is

    @property
    def paragraphs(self) -> list[list[str]]:
        """The text as paragraphs (split at blank lines), each a list of its lines."""
        return [block.split("\n") for block in self.text.split("\n\n") if block.strip()]


def normalise_note(text: str) -> str:
    """The text as stored: line breaks as \\n, no trailing spaces on a line, at most one blank line between
    paragraphs, nothing before the first or after the last. So re-saving what a form shows changes nothing."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _view(row: TermNoteRevision) -> TermNote:
    return TermNote(row.base_form, row.seq, row.slug, row.term, row.text, row.changed_by, row.changed_at,
                    row.org_id)


def _latest_row(session: Session, org_id: int | None, base_form: str) -> TermNoteRevision | None:
    if org_id is None:
        return None
    return session.scalars(select(TermNoteRevision).where(col(TermNoteRevision.org_id) == org_id,
                                                          col(TermNoteRevision.base_form) == base_form)
                           .order_by(col(TermNoteRevision.seq).desc())).first()


def _reading(session: Session, org_id: int | None) -> int | None:
    return org_id if org_id is not None else installation_org_id(session)


def save_note(session: Session, *, base_form: str, text: str, by: str = "", slug: str = "", term: str = "",
              now: datetime | None = None, org_id: int | None = None) -> tuple[TermNote, bool]:
    """Record the organisation's (`org_id`; default: the installation's own) note on the term `base_form`;
    returns (the note, whether a revision was added).

    The text is normalised first (normalise_note); the same text as the current note adds no revision. An
    empty text takes the note down (a revision too: the history keeps what it said)."""
    if not base_form:
        raise TermNoteError("a note needs the term it explains")
    text = normalise_note(text)
    if len(text) > MAX_NOTE_CHARS:
        raise TermNoteError(f"a note is at most {MAX_NOTE_CHARS} characters, not {len(text)}")
    if org_id is None:
        org_id = home_organisation(session).id
    latest = _latest_row(session, org_id, base_form)
    if (latest.text if latest else "") == text:
        if latest is None:
            raise TermNoteError("there is no note on this term to take down")
        return _view(latest), False
    row = TermNoteRevision(org_id=org_id, base_form=base_form, seq=(latest.seq + 1) if latest else 1, slug=slug, term=term,
                           text=text, changed_by=by, changed_at=now or utcnow())
    session.add(row)
    session.commit()
    return _view(row), True


def get_note(session: Session, base_form: str, *, org_id: int | None = None) -> TermNote | None:
    """The organisation's current note on the term, or None when it has none (never written, or taken down)."""
    latest = _latest_row(session, _reading(session, org_id), base_form)
    return _view(latest) if latest and latest.text else None


def note_history(session: Session, base_form: str, *, org_id: int | None = None) -> list[TermNote]:
    """Every revision of the organisation's note on the term, oldest first."""
    org = _reading(session, org_id)
    rows = session.scalars(select(TermNoteRevision).where(col(TermNoteRevision.org_id) == org,
                                                          col(TermNoteRevision.base_form) == base_form)
                           .order_by(col(TermNoteRevision.seq)))
    return [_view(row) for row in rows]


def _current_rows(session: Session, org_id: int | None, base_form: str | None = None) -> list[TermNoteRevision]:
    latest = select(col(TermNoteRevision.org_id), col(TermNoteRevision.base_form),
                    func.max(TermNoteRevision.seq).label("seq"))
    if org_id is not None:
        latest = latest.where(col(TermNoteRevision.org_id) == org_id)
    if base_form is not None:
        latest = latest.where(col(TermNoteRevision.base_form) == base_form)
    subquery = latest.group_by(col(TermNoteRevision.org_id), col(TermNoteRevision.base_form)).subquery()
    return [row for row in session.scalars(select(TermNoteRevision).join(
        subquery, (col(TermNoteRevision.org_id) == subquery.c.org_id)
        & (col(TermNoteRevision.base_form) == subquery.c.base_form) & (col(TermNoteRevision.seq) == subquery.c.seq))
        .order_by(col(TermNoteRevision.org_id))) if row.text]


def current_notes(session: Session, base_forms: Iterable[str] | None = None, *,
                  org_id: int | None = None) -> dict[str, TermNote]:
    """The organisation's current notes of many terms at once (all of them by default): base form → note; the
    terms without one (or whose note was taken down) are left out."""
    org = _reading(session, org_id)
    if org is None:
        return {}
    wanted = None if base_forms is None else set(base_forms)
    return {row.base_form: _view(row) for row in _current_rows(session, org)
            if wanted is None or row.base_form in wanted}


def notes_on(session: Session, base_form: str) -> list[TermNote]:
    """Every organisation's current note on the term, by organisation id (the taken-down ones left out)."""
    return [_view(row) for row in _current_rows(session, None, base_form)]
