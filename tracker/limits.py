"""Shared limits: hits counted per fixed window, and sign-in back-off, in the database (tracker.limit_models).

Every web worker, on every machine, counts into the same rows, so a limit holds across workers and restarts.
A hit is one statement, `INSERT … ON CONFLICT DO UPDATE SET hits = hits + 1 … RETURNING hits`, atomic on SQLite
(one writer at a time) and on PostgreSQL (the conflicting row is locked and updated, never inserted twice): of N
concurrent hits on one key, each gets its own count, so exactly `limit` of them see a count within the limit.

Windows are fixed (they start at whole multiples of their length since 1970): a key may make `limit` hits at the
end of one window and `limit` more at the start of the next. Times are seconds since 1970 (`time.time()`), the
same on every machine; tests pass their own. Keys come from strangers: `bounded_key` stores a long or unprintable
one as its SHA-256. Rows are deleted once their window no longer matters (`prune`), so the tables stay bounded
by the hits of one window or two.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from tracker.limit_models import KEY_CHARS, LimitCounter, SignInBackoff

__all__ = ["Backoff", "bounded_key", "count_hit", "forget_expired", "hits_within", "limit_rows", "record_failure",
           "record_success", "sign_in_backoff"]

_PLAIN_KEY_CHARS = 64


def bounded_key(key: str) -> str:
    """`key` as stored: itself when short and printable, else "sha256:" and its hash (never longer than KEY_CHARS;
    PostgreSQL refuses a NUL in text, and a megabyte-long typed username must not become a megabyte-long row)."""
    if len(key) <= _PLAIN_KEY_CHARS and key.isprintable() and not key.startswith("sha256:"):
        return key
    hashed = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    assert len(hashed) <= KEY_CHARS
    return hashed


def _insert(session: Session, table: Any) -> Any:
    """The dialect's INSERT, which has `on_conflict_do_update` (both spell it the same)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"shared limits need SQLite or PostgreSQL, not {name}")


def _window_start(now: float, window: float) -> int:
    length = max(1, math.ceil(window))
    return int(now // length) * length


def count_hit(session: Session, *, bucket: str, key: str, window: float, now: float, keep_windows: int = 1) -> int:
    """Count one hit of `key` in `bucket` now; the hits of the current window, this one included. The row is kept
    until `keep_windows` windows after its own have passed (for `hits_within` over more than one window)."""
    start = _window_start(now, window)
    length = max(1, math.ceil(window))
    table = LimitCounter.__table__  # type: ignore[attr-defined]
    statement = _insert(session, table).values(bucket=bucket, key=bounded_key(key), window_start=start, hits=1,
                                               expires_at=start + length * (1 + keep_windows))
    statement = statement.on_conflict_do_update(index_elements=[table.c.bucket, table.c.key, table.c.window_start],
                                                set_={"hits": table.c.hits + 1}).returning(table.c.hits)
    return int(session.execute(statement).scalar_one())


def hits_within(session: Session, *, bucket: str, key: str, window: float, now: float, windows: int = 1) -> int:
    """The hits of `key` in the current window and the `windows - 1` before it, without counting one."""
    length = max(1, math.ceil(window))
    start = _window_start(now, window)
    total = session.execute(select(func.coalesce(func.sum(LimitCounter.hits), 0)).where(
        col(LimitCounter.bucket) == bucket, col(LimitCounter.key) == bounded_key(key),
        col(LimitCounter.window_start) > start - length * windows,
        col(LimitCounter.window_start) <= start)).scalar_one()
    return int(total)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Backoff:
    """One (username, address)'s record: failures since its last success there, the last failure's time (seconds
    since 1970), and whether that address ever signed in to that username (within the time it is remembered)."""

    __slots__ = ("failures", "last_failed", "known")

    def __init__(self, failures: int, last_failed: float | None, known: bool) -> None:
        self.failures, self.last_failed, self.known = failures, last_failed, known


def sign_in_backoff(session: Session, *, username: str, address: str) -> Backoff | None:
    row = session.get(SignInBackoff, (bounded_key(username), bounded_key(address)))
    if row is None:
        return None
    last = row.last_failed_at.timestamp() if row.last_failed_at is not None else None
    return Backoff(row.failures, last, row.signed_in_at is not None)


def record_failure(session: Session, *, username: str, address: str, now: float, forget_after: float) -> int:
    """One more failed sign-in from `address` for `username`; the failures now on record. Forgotten
    `forget_after` seconds after the last failure, unless the address is remembered longer for a success."""
    table = SignInBackoff.__table__  # type: ignore[attr-defined]
    expires = _at(now + forget_after)
    statement = _insert(session, table).values(username=bounded_key(username), address=bounded_key(address),
                                               failures=1, last_failed_at=_at(now), expires_at=expires)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.username, table.c.address],
        set_={"failures": table.c.failures + 1, "last_failed_at": statement.excluded.last_failed_at,
              "expires_at": case((table.c.expires_at > statement.excluded.expires_at, table.c.expires_at),
                                 else_=statement.excluded.expires_at)}).returning(table.c.failures)
    return int(session.execute(statement).scalar_one())


def record_success(session: Session, *, username: str, address: str, now: float, remember_for: float) -> None:
    """`address` signed in to `username`: its failures are cleared, and it is known good for `remember_for`."""
    table = SignInBackoff.__table__  # type: ignore[attr-defined]
    statement = _insert(session, table).values(username=bounded_key(username), address=bounded_key(address),
                                               failures=0, last_failed_at=None, signed_in_at=_at(now),
                                               expires_at=_at(now + remember_for))
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.username, table.c.address],
        set_={"failures": 0, "last_failed_at": None, "signed_in_at": statement.excluded.signed_in_at,
              "expires_at": statement.excluded.expires_at})
    session.execute(statement)


PRUNE_BATCH = 1000


def forget_expired(session: Session, *, now: float, batch: int = PRUNE_BATCH) -> int:
    """Delete up to `batch` counters and as many back-off records whose time has passed; how many rows went.
    On PostgreSQL the rows are chosen FOR UPDATE SKIP LOCKED: two workers pruning at once never wait for each
    other or deadlock, and a row another transaction holds is left for the next prune."""
    counters, backoffs = LimitCounter.__table__, SignInBackoff.__table__  # type: ignore[attr-defined]
    gone = 0
    for table, expired in ((counters, counters.c.expires_at < int(now)), (backoffs, backoffs.c.expires_at < _at(now))):
        keys = list(table.primary_key.columns)
        chosen = select(*keys).where(expired).limit(batch).with_for_update(skip_locked=True)
        result: Any = session.execute(delete(table).where(tuple_(*keys).in_(chosen)))
        gone += int(result.rowcount or 0)
    return gone


def limit_rows(session: Session) -> int:
    """How many rows both tables hold (that they stay bounded is tested)."""
    counters = session.execute(select(func.count()).select_from(LimitCounter)).scalar_one()
    backoffs = session.execute(select(func.count()).select_from(SignInBackoff)).scalar_one()
    return int(counters) + int(backoffs)

