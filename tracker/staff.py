"""Staff accounts: create, authenticate, sign in and out, change role, disable.

Passwords are hashed with Argon2id (argon2-cffi, OWASP's first choice); the hash carries its own
salt and parameters, and an old hash is upgraded at the next successful sign-in. A session is a
random token; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlmodel import Session, col

from tracker.models import utcnow
from tracker.organisations import get_organisation_by_id, home_organisation
from tracker.staff_models import ROLES, StaffAccount, StaffSession
from vocabulary.errors import KanoniError

__all__ = ["MIN_PASSWORD_LENGTH", "SESSION_LIFETIME", "Staff", "StaffError", "account_for_session", "authenticate",
           "create_account", "end_session", "get_account", "list_accounts", "set_active", "set_organisation",
           "set_password", "set_role", "start_session"]

MIN_PASSWORD_LENGTH = 10
SESSION_LIFETIME = timedelta(hours=12)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


class StaffError(KanoniError, ValueError):
    """An account change that cannot be made; the message is one line, fit to show the user."""


@dataclass(frozen=True)
class Staff:
    """An account as the site and the CLI see it: never the password hash."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    org_id: int | None = None  # None only for a site admin outside every organisation

    @property
    def is_admin(self) -> bool:
        """A site admin: every organisation, every account."""
        return self.role == "admin"

    @property
    def is_org_admin(self) -> bool:
        """May manage its own organisation's staff and watch list (a site admin may too)."""
        return self.role in ("org_admin", "admin")

    @property
    def label(self) -> str:
        return self.display_name or self.username


def _view(row: StaffAccount) -> Staff:
    assert row.id is not None  # a stored row
    return Staff(row.id, row.username, row.display_name, row.role, row.active, row.created_at, row.last_login_at,
                 row.org_id)


def _normal_username(username: str) -> str:
    name = username.strip().casefold()
    if not _USERNAME.fullmatch(name):
        raise StaffError("a username is 2–64 characters: Latin letters, digits and . _ @ -, starting with a letter "
                         "or digit")
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise StaffError("a password may have at most 1024 characters")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise StaffError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _row(session: Session, username: str) -> StaffAccount | None:
    return session.scalars(select(StaffAccount).where(col(StaffAccount.username) == username.strip().casefold())
                           ).first()


def get_account(session: Session, username: str) -> Staff | None:
    row = _row(session, username)
    return _view(row) if row else None


def list_accounts(session: Session) -> list[Staff]:
    return [_view(row) for row in session.scalars(select(StaffAccount).order_by(col(StaffAccount.username)))]


def create_account(session: Session, *, username: str, password: str, role: str = "staff", display_name: str = "",
                   by: str = "", now: datetime | None = None, org_id: int | None = None) -> Staff:
    """Add an account; refuses a taken username, a short password, an unknown role or a name with line breaks.

    `org_id`: the organisation it works for; default the installation's own (`home_organisation`). Only a site
    admin may belong to none (pass `org_id=0`)."""
    name = _normal_username(username)
    _check_password(password)
    _check_role(role)
    if any(ch in display_name for ch in "\r\n\x00") or len(display_name) > 200:
        raise StaffError("a display name is one line of at most 200 characters")
    if _row(session, name) is not None:
        raise StaffError(f"the username {name!r} is taken")
    if org_id is None:
        org_id = home_organisation(session).id
    elif org_id == 0:
        if role != "admin":
            raise StaffError("only a site admin may belong to no organisation")
    elif get_organisation_by_id(session, org_id) is None:
        raise StaffError(f"no organisation with id {org_id}")
    row = StaffAccount(username=name, display_name=display_name.strip(), password_hash=_HASHER.hash(password),
                       role=role, active=True, created_at=now or utcnow(), created_by=by, org_id=org_id or None)
    session.add(row)
    session.commit()
    return _view(row)


def authenticate(session: Session, username: str, password: str, *, now: datetime | None = None) -> Staff | None:
    """The active account these credentials open, or None; the same work is done for an unknown name."""
    row = _row(session, username) if _USERNAME.fullmatch(username.strip().casefold()) else None
    try:
        _HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    row.last_login_at = now or utcnow()
    session.commit()
    return _view(row)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, account_id: int, *, now: datetime | None = None,
                  lifetime: timedelta = SESSION_LIFETIME) -> str:
    """A new session for the account; returns the token for the cookie (shown once, stored hashed)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_sha256=_digest(token), account_id=account_id, created_at=now,
                             expires_at=now + lifetime))
    session.commit()
    return token


def account_for_session(session: Session, token: str | None, *, now: datetime | None = None) -> Staff | None:
    """The active account signed in with this token, or None if it is unknown, ended or expired."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    row = session.scalars(
        select(StaffAccount).join(StaffSession, col(StaffSession.account_id) == col(StaffAccount.id))
        .where(col(StaffSession.token_sha256) == _digest(token), col(StaffSession.ended_at).is_(None),
               col(StaffSession.expires_at) > now, col(StaffAccount.active).is_(True))).first()
    return _view(row) if row else None


def end_session(session: Session, token: str | None, *, now: datetime | None = None) -> None:
    """Sign out: the token opens nothing from now on. Unknown tokens are ignored."""
    if not token:
        return
    session.execute(update(StaffSession).where(col(StaffSession.token_sha256) == _digest(token),
                                               col(StaffSession.ended_at).is_(None))
                    .values(ended_at=now or utcnow()))
    session.commit()


def _end_sessions_of(session: Session, account_id: int, now: datetime) -> None:
    session.execute(update(StaffSession).where(col(StaffSession.account_id) == account_id,
                                               col(StaffSession.ended_at).is_(None)).values(ended_at=now))


def _require(session: Session, username: str) -> StaffAccount:
    row = _row(session, username)
    if row is None:
        raise StaffError(f"no account named {username.strip().casefold()!r}")
    return row


def _other_active_admins(session: Session, row: StaffAccount) -> int:
    # FOR UPDATE (PostgreSQL): two admins demoting each other at once take turns, so the second sees
    # the first's change and is refused, instead of both passing and leaving no admin.
    admins = session.scalars(select(col(StaffAccount.id)).where(
        col(StaffAccount.role) == "admin", col(StaffAccount.active).is_(True)).with_for_update()).all()
    return sum(admin_id != row.id for admin_id in admins)


def set_role(session: Session, username: str, role: str) -> Staff:
    """Change an account's role; the last active admin cannot be made staff."""
    _check_role(role)
    row = _require(session, username)
    if row.role == "admin" and role != "admin" and row.active and not _other_active_admins(session, row):
        raise StaffError("this is the last active admin: make another admin first")
    row.role = role
    session.commit()
    return _view(row)


def set_active(session: Session, username: str, active: bool, *, now: datetime | None = None) -> Staff:
    """Enable or disable an account; disabling ends its sessions. The last active admin stays active."""
    row = _require(session, username)
    if not active and row.active and row.role == "admin" and not _other_active_admins(session, row):
        raise StaffError("this is the last active admin: make another admin first")
    row.active = active
    if not active:
        assert row.id is not None  # a stored row
        _end_sessions_of(session, row.id, now or utcnow())
    session.commit()
    return _view(row)


def set_organisation(session: Session, username: str, org_id: int | None) -> Staff:
    """Move an account to another organisation (None: none, for a site admin only)."""
    row = _require(session, username)
    if org_id is None and row.role != "admin":
        raise StaffError("only a site admin may belong to no organisation")
    if org_id is not None and get_organisation_by_id(session, org_id) is None:
        raise StaffError(f"no organisation with id {org_id}")
    row.org_id = org_id
    session.commit()
    return _view(row)


def set_password(session: Session, username: str, password: str, *, now: datetime | None = None) -> Staff:
    """A new password; every session of the account ends, so an attacker's session does too."""
    _check_password(password)
    row = _require(session, username)
    row.password_hash = _HASHER.hash(password)
    assert row.id is not None  # a stored row
    _end_sessions_of(session, row.id, now or utcnow())
    session.commit()
    return _view(row)
