"""Staff accounts and their sign-in sessions, for the website's positions and administration.

Members never have an account: they manage subscriptions through signed links. Staff sign in
with a password (kept only as an Argon2 hash); a session is a random token whose SHA-256 alone
is stored, so a stolen database does not hand out live sessions.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.models import UTCDateTime

__all__ = ["ROLES", "StaffAccount", "StaffSession"]

# staff: edits its organisation's positions; org_admin: also its staff and watch list; admin: the whole site.
ROLES = ("staff", "org_admin", "admin")


class StaffAccount(SQLModel, table=True):
    """A person of a member organisation who may edit its positions (staff), manage its staff and watch list
    (org_admin), or administer the whole site (admin)."""

    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=sa.String(64), unique=True)  # stored casefolded
    display_name: str = Field(default="", sa_type=sa.Text)
    password_hash: str = Field(sa_type=sa.Text)
    role: str = Field(default="staff", sa_type=sa.String(16))  # staff | org_admin | admin
    # The organisation the account works for; None only for a site admin who belongs to none.
    org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(default="", sa_type=sa.Text)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StaffSession(SQLModel, table=True):
    """One signed-in browser: ends at `expires_at`, at sign-out, or when its account is disabled."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(sa_type=sa.String(64), unique=True)
    account_id: int = Field(foreign_key="staff_account.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
