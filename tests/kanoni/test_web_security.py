"""The site's defences as pure functions: the rate limiter, the CSRF guard, the after-sign-in path."""

from __future__ import annotations

import pytest

from kanoni.web.security import CsrfGuard, RateLimiter
from kanoni.web.visitor import safe_next


def test_the_rate_limiter_counts_per_key_within_the_window():
    limiter = RateLimiter(limit=2, window=60)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert limiter.allow("b", now=2)  # another key has its own count
    assert limiter.allow("a", now=61)  # the first hit has left the window


def test_the_rate_limiter_forgets_idle_keys_instead_of_growing():
    limiter = RateLimiter(limit=1, window=10)
    limiter.max_keys = 100
    for n in range(1000):
        limiter.allow(f"user:{n}", now=n * 11)  # each key idle by the time the next one comes
    assert len(limiter._hits) <= 100


def test_the_rate_limiter_never_forgets_a_key_still_in_its_window():
    limiter = RateLimiter(limit=1, window=10)
    limiter.max_keys = 100
    for n in range(100):
        assert limiter.allow(f"user:{n}", now=0)  # the table is full of keys still counting
    assert limiter.allow("newcomer", now=1)  # a new key makes the limiter prune: nothing is idle
    assert not any(limiter.allow(f"user:{n}", now=2) for n in range(100))  # every limit still holds
    assert limiter.blocked("user:0", now=2) and not limiter.blocked("user:0", now=11)


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
