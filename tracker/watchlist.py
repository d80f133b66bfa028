"""The watch list: acts to keep fetching, added by users or queued by other crawlers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.models import WatchedAct, utcnow

__all__ = ["watch", "watched_act_ids"]


def watch(
    session: Session, act_id: int, reason: str = "", *, added_at: datetime | None = None
) -> bool:
    """Add `act_id` to the watch list; False (and the first reason kept) if already there."""
    if session.get(WatchedAct, act_id) is not None:
        return False
    session.add(WatchedAct(act_id=act_id, added_at=added_at or utcnow(), reason=reason))
    session.flush()
    return True


def watched_act_ids(session: Session) -> set[int]:
    return set(session.scalars(select(col(WatchedAct.act_id))))
