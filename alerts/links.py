"""The links our e-mails carry: confirm, manage, one-click unsubscribe, each with a signed token; and the page on
Kanoni of each change they tell about (the routes of kanoni.web: the diff of two versions, a bill's page)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from alerts.render import Links
from alerts.tokens import make_token

__all__ = ["DEFAULT_PUBLIC_URL", "change_path", "change_url", "links_for", "topic_pages", "topic_url"]

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


def change_path(kind: str, facts: Mapping[str, Any], *, act_id: int | None, bill_id: int | None) -> str | None:
    """Where Kanoni shows a change: a version pair's diff (/acts/{id}/diff?from=&to=), a bill's page (/bills/{id}),
    else the act's page; None when it names neither."""
    if kind == "bill" and bill_id is not None:
        return f"/bills/{int(bill_id)}"
    if act_id is not None:
        older, newer = facts.get("from_publication"), facts.get("to_publication")
        if isinstance(older, int) and isinstance(newer, int):
            return f"/acts/{int(act_id)}/diff?{urlencode({'from': older, 'to': newer})}"
        return f"/acts/{int(act_id)}"
    return f"/bills/{int(bill_id)}" if bill_id is not None else None


def change_url(change: Any, base_url: str | None = None) -> str | None:
    """The absolute address of a stored change's page (a `tracker.alert_models.Change`) at `base_url`."""
    path = change_path(change.kind, change.facts or {}, act_id=change.act_id, bill_id=change.bill_id)
    return f"{(base_url or DEFAULT_PUBLIC_URL).rstrip('/')}{path}" if path else None


def topic_url(slug: str, base_url: str | None = None) -> str:
    return f"{(base_url or DEFAULT_PUBLIC_URL).rstrip('/')}/topics/{quote(slug, safe='')}"


def topic_pages(tags: Any, base_url: str | None = None) -> tuple[tuple[str, str], ...]:
    """(name, page) of each topic a change's tags (`alerts.views.TagView`) name, once each, in their order."""
    seen: dict[str, tuple[str, str]] = {}
    for tag in tags:
        seen.setdefault(tag.topic, (tag.topic_name, topic_url(tag.topic, base_url)))
    return tuple(seen.values())
