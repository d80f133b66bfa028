"""The links our e-mails carry: confirm, manage, one-click unsubscribe, each with a signed token."""

from __future__ import annotations

import os
from urllib.parse import urlencode

from alerts.render import Links
from alerts.tokens import make_token

__all__ = ["links_for", "public_url"]


def public_url() -> str:
    """Where `kanoni serve` answers for subscribers (KANONI_PUBLIC_URL)."""
    return os.environ.get("KANONI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def links_for(subscriber_id: int, *, base_url: str | None = None, key: str | None = None) -> Links:
    base = (base_url or public_url()).rstrip("/")

    def link(path: str, purpose: str) -> str:
        return f"{base}/{path}?{urlencode({'token': make_token(purpose, subscriber_id, key=key)})}"

    return Links(manage=link("manage", "manage"), unsubscribe=link("unsubscribe", "unsubscribe"),
                 confirm=link("confirm", "confirm"))
