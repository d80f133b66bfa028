"""Signed, expiring tokens for the links in our e-mails: confirm, change, manage, unsubscribe.

A "change" token confirms one pending subscription request (issue 19): it names the request as well
as the subscriber, so a link mailed for one request can never apply another one.

itsdangerous signs with HMAC and dates each token, so a link cannot be forged or reused for
another subscriber, and it stops working after its lifetime. The key is the caller's (`kanoni` passes
its settings' `secret_key`, from KANONI_SECRET_KEY or kanoni.toml), else generated once into var/secret.key;
nothing here reads the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from vocabulary.errors import KanoniError

__all__ = ["LIFETIMES", "TokenError", "make_request_token", "make_token", "read_request_token", "read_token",
           "secret_key"]

LIFETIMES = {
    "confirm": 7 * 24 * 3600,
    "change": 7 * 24 * 3600,
    "manage": 90 * 24 * 3600,
    "unsubscribe": 365 * 24 * 3600,  # an old digest's unsubscribe link must still work
}


class TokenError(KanoniError, ValueError):
    pass


def secret_key(configured: str | None = None, path: Path = Path("var") / "secret.key") -> str:
    """`configured` (the settings' key) when given, else the key generated once into `path`."""
    if configured:
        return configured
    if not path.exists():
        # Several workers may start at once: the key is written to a file of its own and linked into place,
        # which fails if another got there first. Each then reads the one key that won, never a half-written
        # file, and never one process signing with a key of its own.
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32))
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return path.read_text().strip()


def _serializer(purpose: str, key: str | None) -> URLSafeTimedSerializer:
    if purpose not in LIFETIMES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(key or secret_key(), salt=f"kanoni-{purpose}")


def make_token(purpose: str, subscriber_id: int, *, key: str | None = None) -> str:
    return _serializer(purpose, key).dumps({"s": subscriber_id})


def read_token(purpose: str, token: str, *, key: str | None = None, max_age: int | None = None) -> int:
    """The subscriber id a token was made for; TokenError if forged, for another purpose, or expired."""
    try:
        payload = _serializer(purpose, key).loads(token, max_age=max_age or LIFETIMES[purpose])
    except SignatureExpired:
        raise TokenError("this link has expired; ask for a new one") from None
    except BadSignature:
        raise TokenError("this link is not valid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise TokenError("this link is not valid")
    return payload["s"]


def make_request_token(subscriber_id: int, request_id: int, *, key: str | None = None) -> str:
    return _serializer("change", key).dumps({"s": subscriber_id, "r": request_id})


def read_request_token(token: str, *, key: str | None = None, max_age: int | None = None) -> tuple[int, int]:
    """(subscriber id, request id) of a "change" token; TokenError if forged, for another purpose, or expired."""
    try:
        payload = _serializer("change", key).loads(token, max_age=max_age or LIFETIMES["change"])
    except SignatureExpired:
        raise TokenError("this link has expired; ask for a new one") from None
    except BadSignature:
        raise TokenError("this link is not valid") from None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), int) for k in ("s", "r")):
        raise TokenError("this link is not valid")
    return payload["s"], payload["r"]
