"""The links our e-mails carry: confirm, manage, one-click unsubscribe, each with a signed token."""

from __future__ import annotations

from urllib.parse import urlencode

from alerts.render import Links
from alerts.tokens import make_token

__all__ = ["DEFAULT_PUBLIC_URL", "links_for"]

# Where `kanoni serve` answers when nothing is configured (the settings' own default). The commands and the
# site pass the configured address (`public_url`, from KANONI_PUBLIC_URL or kanoni.toml) as `base_url`.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def links_for(subscriber_id: int, *, base_url: str | None = None, key: str | None = None) -> Links:
    """The links of one subscriber's e-mails, at `base_url`, signed with `key` (see `alerts.tokens`)."""
    base = (base_url or DEFAULT_PUBLIC_URL).rstrip("/")

    def link(path: str, purpose: str) -> str:
        return f"{base}/{path}?{urlencode({'token': make_token(purpose, subscriber_id, key=key)})}"

    return Links(manage=link("manage", "manage"), unsubscribe=link("unsubscribe", "unsubscribe"),
                 confirm=link("confirm", "confirm"))
