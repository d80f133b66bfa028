"""The site's limits, kept in the database so that every web worker, on every machine, counts the same hits.

`limit_counter`: hits per (bucket, key, window): one row for each fixed window in which a key was seen, counted up
with an atomic upsert (tracker.limits). `sign_in_backoff`: failed sign-ins per (username, address), and whether
that address has signed in to that username before. Keys are typed or sent by strangers (addresses, usernames):
tracker.limits bounds them (a long or odd key is stored as its SHA-256), and every row carries when it may be
forgotten (`expires_at`), so the tables stay bounded.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["KEY_CHARS", "LimitCounter", "SignInBackoff"]

KEY_CHARS = 72  # "sha256:" and 64 hex digits fit


class LimitCounter(SQLModel, table=True):
    """How many hits `key` made in `bucket`'s window starting at `window_start` (whole seconds since 1970)."""

    __tablename__ = "limit_counter"

    bucket: str = Field(primary_key=True, sa_type=sa.String(32))
    key: str = Field(primary_key=True, sa_type=sa.String(KEY_CHARS))
    window_start: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    hits: int = 0
    expires_at: int = Field(sa_type=sa.BigInteger, index=True)  # seconds since 1970: deleted after this


class SignInBackoff(SQLModel, table=True):
    """Failed sign-ins from one address for one username since its last success there, and when it last signed
    in (an address known good is never slowed by a crowd of guessers)."""

    __tablename__ = "sign_in_backoff"

    username: str = Field(primary_key=True, sa_type=sa.String(KEY_CHARS))  # casefolded, bounded
    address: str = Field(primary_key=True, sa_type=sa.String(KEY_CHARS))
    failures: int = 0
    last_failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
