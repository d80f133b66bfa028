"""Which changes a subscription wants, and why a subscriber gets one, in their words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from alerts.i18n import translate
from alerts.keywords import keyword_matcher
from alerts.topics import load_taxonomy
from alerts.views import stored_id
from tracker.alert_models import Change, ChangeTag, Subscription

_Found = TypeVar("_Found")  # a position, or (in members' e-mails) every organisation's public ones

__all__ = ["Followed", "Matcher", "Target", "position_of", "section_name", "subscription_reason"]


def position_of(change: Change, positions: Mapping[tuple[str, int], _Found]) -> _Found | None:
    """The position on a change's own subject: its bill for a bill's events, its act for a new version. A bill
    that amends an act is not that act: the act's position never shows on the bill, nor the bill's on the act."""
    subject = ("bill", change.bill_id) if change.kind == "bill" else ("act", change.act_id)
    return positions.get(subject) if subject[1] is not None else None  # type: ignore[arg-type]


def _changed_text(change: Change) -> str:
    parts = [change.title]
    for unit in change.units:
        parts.extend(str(unit.get(field) or "") for field in ("new", "old"))
    return "\n".join(parts)


class Matcher:
    """Which changes a subscription wants; keyword hits are computed once per keyword and change."""

    def __init__(self, changes: list[Change], tags: dict[int, list[ChangeTag]]):
        self.changes = changes
        self.by_topic: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            for topic in {tag.topic for tag in tags.get(stored_id(change), [])}:
                self.by_topic[topic].append(change)
        self.by_act: dict[int, list[Change]] = defaultdict(list)
        self.by_bill: dict[int, list[Change]] = defaultdict(list)
        for change in changes:
            if change.act_id is not None:
                self.by_act[change.act_id].append(change)
            if change.bill_id is not None:
                self.by_bill[change.bill_id].append(change)
        self._keyword_hits: dict[str, list[Change]] = {}

    def wanted(self, subscription: Subscription) -> list[Change]:
        if subscription.kind == "topic":
            candidates = self.by_topic.get(subscription.value, [])
        elif subscription.kind == "act":
            candidates = self.by_act.get(int(subscription.value), [])
        elif subscription.kind == "bill":
            candidates = self.by_bill.get(int(subscription.value), [])
        else:
            keyword = subscription.value
            if keyword not in self._keyword_hits:
                matcher = keyword_matcher(keyword)
                self._keyword_hits[keyword] = [c for c in self.changes if matcher.find(_changed_text(c))]
            candidates = self._keyword_hits[keyword]
        # Subscribers hear about what was found after they subscribed.
        return [c for c in candidates if c.detected_at > subscription.created_at]


class Followed(Protocol):
    """What a subscription follows: a stored Subscription, or a Target not stored yet."""
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...


@dataclass(frozen=True)
class Target:
    """A (kind, value) to follow, before it is a stored subscription (a pending request's targets)."""
    kind: str
    value: str


def section_name(subscription: Followed, language: str, titles: dict[int, str]) -> str:
    if subscription.kind == "topic":
        topic = load_taxonomy().topic(subscription.value)
        return (topic.name_ka if language == "ka" else topic.name_en) if topic else subscription.value
    if subscription.kind == "keyword":
        return f"«{subscription.value}»"
    if subscription.kind == "act":
        return titles.get(int(subscription.value)) or f"{translate('reason_act', language)} {subscription.value}"
    return f"{translate('reason_bill', language)} {subscription.value}"


def subscription_reason(subscription: Followed, language: str, titles: dict[int, str]) -> str:
    """Why a subscriber gets a change, in their words: "Topic: Foster care", "Act you follow: …"."""
    name = section_name(subscription, language, titles)
    return f"{translate('reason_' + subscription.kind, language)}: {name}"
