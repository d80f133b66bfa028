"""The fingerprint each publication was last built from (tracker.publication_models.Publication)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from tracker.models import utcnow
from tracker.publication_models import Publication

__all__ = ["Publication", "last_build", "record_build"]


def last_build(session: Session, name: str) -> Publication | None:
    """The last successful build of publication `name`, or None when it was never built."""
    return session.get(Publication, name)


def record_build(session: Session, name: str, fingerprint: str, files: int, *, now: datetime | None = None) -> None:
    """Publication `name` was just built, whole, from the facts `fingerprint` names."""
    row = session.get(Publication, name)
    if row is None:
        session.add(Publication(name=name, fingerprint=fingerprint, files=files, built_at=now or utcnow()))
    else:
        row.fingerprint, row.files, row.built_at = fingerprint, files, now or utcnow()
        session.add(row)
    session.flush()
