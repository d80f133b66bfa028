"""The watch list: acts to keep fetching, added by users or queued by other crawlers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from tracker.models import Act, WatchedAct, utcnow
from tracker.organisation_models import OrgWatch

__all__ = ["org_unwatch", "org_watch", "org_watch_list", "watch", "watch_list", "watched_act_ids"]


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


def watch_list(session: Session, configured: Iterable[int] = ()) -> list[dict]:
    """Every act the crawl fetches by name, by id: the configuration's (`configured`, from kanoni.toml)
    and those added to the database, each with its stored title (None before its first crawl), the
    reason it was added and where it comes from ("config" or "database")."""
    configured = set(configured)
    stored = {watched.act_id: watched for watched in session.scalars(select(WatchedAct))}
    act_ids = sorted(configured | set(stored))
    titles: dict[int, str | None] = {}
    if act_ids:
        rows = session.execute(select(col(Act.id), col(Act.title)).where(col(Act.id).in_(act_ids)))
        titles = {act_id: title for act_id, title in rows}
    return [{"act_id": act_id, "title": titles.get(act_id),
             "reason": stored[act_id].reason if act_id in stored else "",
             "source": "config" if act_id in configured else "database"} for act_id in act_ids]


def org_watch(session: Session, org_id: int, act_id: int, *, by: str = "", reason: str = "",
              added_at: datetime | None = None) -> bool:
    """Add `act_id` to one organisation's watch list, and to the crawl's (`watch`) so it is fetched; False if
    the organisation already watched it."""
    when = added_at or utcnow()
    watch(session, act_id, reason, added_at=when)
    if session.get(OrgWatch, (org_id, act_id)) is not None:
        return False
    session.add(OrgWatch(org_id=org_id, act_id=act_id, added_at=when, added_by=by))
    session.flush()
    return True


def org_unwatch(session: Session, org_id: int, act_id: int) -> bool:
    """Take `act_id` off one organisation's watch list; False if it was not on it. The crawl keeps fetching it
    (another organisation or the configuration may want it, and its history stays useful)."""
    row = session.get(OrgWatch, (org_id, act_id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def org_watch_list(session: Session, org_id: int) -> list[dict]:
    """One organisation's watch list by act id: each with its stored title (None before its first crawl), who
    added it and when."""
    rows = list(session.scalars(select(OrgWatch).where(col(OrgWatch.org_id) == org_id).order_by(col(OrgWatch.act_id))))
    titles: dict[int, str | None] = {}
    if rows:
        found = session.execute(select(col(Act.id), col(Act.title)).where(col(Act.id).in_([r.act_id for r in rows])))
        titles = {act_id: title for act_id, title in found}
    return [{"act_id": row.act_id, "title": titles.get(row.act_id), "added_by": row.added_by,
             "added_at": row.added_at} for row in rows]
