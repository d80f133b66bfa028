"""Staff accounts and sessions in the tracker, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from tracker import db as tracker_db
from tracker.models import utcnow
from tracker.staff import (StaffError, account_for_session, authenticate, create_account, end_session, list_accounts,
                           set_active, set_password, set_role, start_session)
from tracker.staff_models import StaffAccount, StaffSession

PASSWORD = "correct horse battery"


def test_passwords_are_kept_only_as_argon2_hashes(engine):
    with tracker_db.session(engine) as session:
        create_account(session, username="Nino", password=PASSWORD, role="admin", display_name="ნინო")
        row = session.scalars(select(StaffAccount)).one()
        assert row.username == "nino" and row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
        assert authenticate(session, "NINO", PASSWORD).username == "nino"
        assert authenticate(session, "nino", PASSWORD + "x") is None
        assert authenticate(session, "nobody", PASSWORD) is None
        assert list_accounts(session)[0].last_login_at is not None


@pytest.mark.parametrize("username, password, role, display_name, message", [
    ("ab", "short", "staff", "", "at least 10"),
    ("a b", PASSWORD, "staff", "", "username"),
    ("x", PASSWORD, "staff", "", "username"),
    ("eka", PASSWORD, "root", "", "unknown role"),
    ("eka", PASSWORD, "staff", "Eka\r\nBcc: x", "one line"),
])
def test_bad_accounts_are_refused_with_one_line_and_nothing_stored(engine, username, password, role, display_name,
                                                                   message):
    with tracker_db.session(engine) as session:
        with pytest.raises(StaffError, match=message) as raised:
            create_account(session, username=username, password=password, role=role, display_name=display_name)
        assert "\n" not in str(raised.value)
        assert list_accounts(session) == []


def test_a_taken_username_is_refused(engine):
    with tracker_db.session(engine) as session:
        create_account(session, username="levan", password=PASSWORD)
        with pytest.raises(StaffError, match="taken"):
            create_account(session, username="LEVAN", password=PASSWORD + "2")
        assert len(list_accounts(session)) == 1


def test_sessions_store_only_a_digest_and_end(engine):
    now = utcnow()
    with tracker_db.session(engine) as session:
        account = create_account(session, username="levan", password=PASSWORD)
        token = start_session(session, account.id, now=now)
        stored = session.scalars(select(StaffSession)).one()
        assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()  # the digest, never the token
        assert account_for_session(session, token, now=now).username == "levan"
        assert account_for_session(session, token + "x", now=now) is None
        assert account_for_session(session, token, now=now + timedelta(hours=13)) is None  # expired
        end_session(session, token)
        assert account_for_session(session, token, now=now) is None


def test_disabling_or_a_new_password_ends_every_session(engine):
    with tracker_db.session(engine) as session:
        create_account(session, username="admin", password=PASSWORD, role="admin")
        account = create_account(session, username="levan", password=PASSWORD)
        first = start_session(session, account.id)
        set_password(session, "levan", "another long password")
        assert account_for_session(session, first) is None
        assert authenticate(session, "levan", PASSWORD) is None
        second = start_session(session, account.id)
        set_active(session, "levan", False)
        assert account_for_session(session, second) is None
        assert authenticate(session, "levan", "another long password") is None
        set_active(session, "levan", True)
        assert authenticate(session, "levan", "another long password") is not None


def test_the_last_active_admin_stays(engine):
    with tracker_db.session(engine) as session:
        create_account(session, username="amira", password=PASSWORD, role="admin")
        with pytest.raises(StaffError, match="last active admin"):
            set_role(session, "amira", "staff")
        with pytest.raises(StaffError, match="last active admin"):
            set_active(session, "amira", False)
        create_account(session, username="levan", password=PASSWORD)
        set_role(session, "levan", "admin")
        assert set_role(session, "amira", "staff").role == "staff"
        with pytest.raises(StaffError, match="no account"):
            set_role(session, "ghost", "admin")
