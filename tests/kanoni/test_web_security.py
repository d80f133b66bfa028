"""The site's defences as plain calls: the rate limiter (on SQLite and PostgreSQL), the CSRF guard, the after-sign-in
path."""

from __future__ import annotations

import pytest

from sqlalchemy import select

from kanoni.web.security import CsrfGuard, RateLimiter
from tracker import db as tracker_db
from tracker.limit_models import KEY_CHARS, LimitCounter
from kanoni.web.visitor import safe_next


def test_the_rate_limiter_counts_per_key_within_the_window(engine):
    limiter = RateLimiter(engine, "test", limit=2, window=60)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert limiter.allow("b", now=2)  # another key has its own count
    assert limiter.allow("a", now=61)  # the first hit has left the window
    assert RateLimiter(engine, "other", limit=2, window=60).allow("a", now=2)  # another bucket counts apart


def test_the_rate_limiter_forgets_idle_keys_instead_of_growing(engine):
    limiter = RateLimiter(engine, "test", limit=1, window=10)
    limiter.prune_every = 10
    for n in range(300):
        limiter.allow(f"user:{n}", now=n * 11)  # each key idle by the time the next one comes
    assert limiter.size() <= 30


def test_the_rate_limiter_never_forgets_a_key_still_in_its_window(engine):
    limiter = RateLimiter(engine, "test", limit=1, window=10)
    limiter.prune_every = 1  # every hit prunes: nothing still in its window may go
    for n in range(100):
        assert limiter.allow(f"user:{n}", now=0)  # the table is full of keys still counting
    assert limiter.allow("newcomer", now=1)
    assert not any(limiter.allow(f"user:{n}", now=2) for n in range(100))  # every limit still holds
    assert limiter.blocked("user:0", now=2) and not limiter.blocked("user:0", now=11)


def test_a_long_or_odd_key_is_stored_bounded_and_still_counted(engine):
    limiter = RateLimiter(engine, "test", limit=1, window=60)
    for key in ("x" * 100_000, "nul\x00in the middle", "sha256:" + "0" * 64):
        assert limiter.allow(key, now=0) and not limiter.allow(key, now=1)
    assert not limiter.allow("x" * 100_000, now=2) and limiter.allow("x" * 99_999, now=2)  # hashes differ
    with tracker_db.session(engine) as session:
        assert max(len(row.key) for row in session.scalars(select(LimitCounter))) <= KEY_CHARS


def test_a_csrf_token_is_bound_to_its_cookie_and_key():
    guard = CsrfGuard("key")
    cookie = guard.new_cookie_value()
    token = guard.form_token(cookie)
    assert guard.accepts(cookie, token)
    assert not guard.accepts(guard.new_cookie_value(), token)
    assert not CsrfGuard("other key").accepts(cookie, token)
    assert not guard.accepts(cookie, None) and not guard.accepts(None, token) and not guard.accepts(cookie, "x.y")


@pytest.mark.parametrize("value, expected", [
    ("/acts/23098", "/acts/23098"), ("/search?q=ბავშვი&lang=en", "/search?q=ბავშვი&lang=en"),
    (None, "/"), ("", "/"), ("acts", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"),
    ("https://evil.example/", "/"), ("/x\r\nLocation: //evil", "/"), ("/x\\y", "/"), ("\t//evil", "/"),
])
def test_after_sign_in_only_local_paths(value, expected):
    assert safe_next(value) == expected
