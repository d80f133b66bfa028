"""The guidebook of the stored acts, for the CLI and the website: computed from the stored versions
(tracker.definition_sources → diffing.guidebook), kept in memory while the stored versions stay the same."""

from __future__ import annotations

from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from diffing.guidebook import Entry, VersionSource, build_guidebook
from tracker.definition_sources import definition_sources
from tracker.models import Act, ConsolidatedVersion

__all__ = ["load_guidebook"]

_CACHE: dict[Any, list[Entry]] = {}
_LOCK = Lock()


def _state(session: Session) -> tuple[Any, ...]:
    """What the guidebook depends on: the published versions and the acts' metadata (a loss of force)."""
    versions = session.execute(select(func.count(), func.max(ConsolidatedVersion.id))
                               .where(col(ConsolidatedVersion.published).is_(True))).one()
    acts = session.execute(select(func.count(), func.max(Act.last_checked_at))).one()
    return (str(session.get_bind().engine.url), *versions, *acts, date.today())


def load_guidebook(session: Session, act_ids: list[int] | None = None) -> list[Entry]:
    """Every term the stored acts (or `act_ids`) define, in Georgian alphabetical order."""
    key = (_state(session), tuple(sorted(act_ids)) if act_ids is not None else None)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    versions, units = definition_sources(session, act_ids)
    entries = build_guidebook([VersionSource(**v) for v in versions], units, today=date.today())
    with _LOCK:
        _CACHE.clear()
        _CACHE[key] = entries
    return entries
