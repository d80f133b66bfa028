"""The watch list: acts to keep fetching, added by users or queued by other crawlers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.models import Act, WatchedAct, utcnow

__all__ = ["watch", "watched_act_ids", "watched_acts"]


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


def watched_acts(session: Session) -> list[dict]:
    """The watch list with each act's stored title (None before its first crawl), most recently added first."""
    rows = session.execute(select(WatchedAct, Act.title).outerjoin(Act, col(Act.id) == col(WatchedAct.act_id))
                           .order_by(col(WatchedAct.added_at).desc(), col(WatchedAct.act_id)))
    return [{"act_id": watched.act_id, "reason": watched.reason, "added_at": watched.added_at, "title": title}
            for watched, title in rows]
