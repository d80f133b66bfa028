"""Write and read the organisation's notes on guidebook terms. Every change appends a revision; nothing is
overwritten, and saving the text a note already has adds nothing (idempotent)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.models import utcnow
from tracker.term_note_models import MAX_NOTE_CHARS, TermNoteRevision
from vocabulary.errors import KanoniError

__all__ = ["MAX_NOTE_CHARS", "TermNote", "TermNoteError", "current_notes", "get_note", "note_history",
           "normalise_note", "save_note"]


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
    return TermNote(row.base_form, row.seq, row.slug, row.term, row.text, row.changed_by, row.changed_at)


def _latest_row(session: Session, base_form: str) -> TermNoteRevision | None:
    return session.scalars(select(TermNoteRevision).where(col(TermNoteRevision.base_form) == base_form)
                           .order_by(col(TermNoteRevision.seq).desc())).first()


def save_note(session: Session, *, base_form: str, text: str, by: str = "", slug: str = "", term: str = "",
              now: datetime | None = None) -> tuple[TermNote, bool]:
    """Record the note on the term `base_form`; returns (the note, whether a revision was added).

    The text is normalised first (normalise_note); the same text as the current note adds no revision. An
    empty text takes the note down (a revision too: the history keeps what it said)."""
    if not base_form:
        raise TermNoteError("a note needs the term it explains")
    text = normalise_note(text)
    if len(text) > MAX_NOTE_CHARS:
        raise TermNoteError(f"a note is at most {MAX_NOTE_CHARS} characters, not {len(text)}")
    latest = _latest_row(session, base_form)
    if (latest.text if latest else "") == text:
        if latest is None:
            raise TermNoteError("there is no note on this term to take down")
        return _view(latest), False
    row = TermNoteRevision(base_form=base_form, seq=(latest.seq + 1) if latest else 1, slug=slug, term=term,
                           text=text, changed_by=by, changed_at=now or utcnow())
    session.add(row)
    session.commit()
    return _view(row), True


def get_note(session: Session, base_form: str) -> TermNote | None:
    """The current note on the term, or None when it has none (never written, or taken down)."""
    latest = _latest_row(session, base_form)
    return _view(latest) if latest and latest.text else None


def note_history(session: Session, base_form: str) -> list[TermNote]:
    """Every revision of the term's note, oldest first."""
    rows = session.scalars(select(TermNoteRevision).where(col(TermNoteRevision.base_form) == base_form)
                           .order_by(col(TermNoteRevision.seq)))
    return [_view(row) for row in rows]


def current_notes(session: Session, base_forms: Iterable[str] | None = None) -> dict[str, TermNote]:
    """The current notes of many terms at once (all of them by default): base form → note; the terms
    without one (or whose note was taken down) are left out."""
    latest = (select(col(TermNoteRevision.base_form), func.max(TermNoteRevision.seq).label("seq"))
              .group_by(col(TermNoteRevision.base_form)).subquery())
    rows = session.scalars(select(TermNoteRevision).join(
        latest, (col(TermNoteRevision.base_form) == latest.c.base_form) & (col(TermNoteRevision.seq) == latest.c.seq)))
    wanted = None if base_forms is None else set(base_forms)
    return {row.base_form: _view(row) for row in rows if row.text and (wanted is None or row.base_form in wanted)}
