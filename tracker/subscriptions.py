"""Subscribers and what they follow. Double opt-in: nothing is sent but the confirmation
until `confirmed_at` is set. What is asked for an address already known waits as a
`SubscriptionRequest` until the link mailed to that address applies it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.alert_models import Subscriber, Subscription, SubscriptionRequest
from tracker.models import utcnow

__all__ = [
    "SUBSCRIPTION_KINDS",
    "active_subscriptions",
    "add_subscription",
    "apply_request",
    "confirm_subscriber",
    "get_or_create_subscriber",
    "get_subscriber",
    "open_request",
    "pending_request",
    "requests_since",
    "replace_subscriptions",
    "set_staff",
    "subscriber_by_email",
    "subscribers_by_id",
    "subscriptions_of",
    "unsubscribe",
]

SUBSCRIPTION_KINDS = ("topic", "keyword", "act", "bill")
CADENCES = ("instant", "weekly")


def subscriber_by_email(session: Session, email: str) -> Subscriber | None:
    return session.scalars(select(Subscriber).where(col(Subscriber.email) == email)).first()


def get_subscriber(session: Session, subscriber_id: int) -> Subscriber | None:
    return session.get(Subscriber, subscriber_id)


def subscribers_by_id(session: Session, subscriber_ids) -> dict[int, Subscriber]:
    ids = list(set(subscriber_ids))
    if not ids:
        return {}
    return {s.id: s for s in session.scalars(select(Subscriber).where(col(Subscriber.id).in_(ids))) if s.id is not None}


def subscriptions_of(session: Session, subscriber_id: int) -> list[Subscription]:
    """The subscriber's subscriptions that are not cancelled."""
    return list(session.scalars(select(Subscription).where(
        col(Subscription.subscriber_id) == subscriber_id, col(Subscription.cancelled_at).is_(None)).order_by(col(Subscription.id))))


def get_or_create_subscriber(session: Session, *, email: str, name: str = "", organisation: str = "",
                             language: str = "ka", now: datetime | None = None) -> tuple[Subscriber, bool]:
    """(subscriber, created). A returning address that had unsubscribed starts over unconfirmed."""
    existing = subscriber_by_email(session, email)
    now = now or utcnow()
    if existing is not None:
        if existing.unsubscribed_at is not None:
            existing.unsubscribed_at = None
            existing.confirmed_at = None
        existing.language = language
        existing.name = name or existing.name
        existing.organisation = organisation or existing.organisation
        session.flush()
        return existing, False
    subscriber = Subscriber(email=email, name=name, organisation=organisation, language=language, created_at=now)
    session.add(subscriber)
    session.flush()
    return subscriber, True


def add_subscription(session: Session, subscriber_id: int, *, kind: str, value: str, cadence: str,
                     now: datetime | None = None) -> tuple[Subscription, bool]:
    if kind not in SUBSCRIPTION_KINDS:
        raise ValueError(f"subscription kind must be one of {SUBSCRIPTION_KINDS}")
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {CADENCES}")
    existing = session.scalars(select(Subscription).where(
        col(Subscription.subscriber_id) == subscriber_id, col(Subscription.kind) == kind,
        col(Subscription.value) == value, col(Subscription.cadence) == cadence)).first()
    if existing is not None:
        if existing.cancelled_at is not None:
            existing.cancelled_at = None
            existing.created_at = now or utcnow()  # a renewed subscription hears only what comes next
        return existing, False
    subscription = Subscription(subscriber_id=subscriber_id, kind=kind, value=value, cadence=cadence,
                                created_at=now or utcnow())
    session.add(subscription)
    session.flush()
    return subscription, True


def replace_subscriptions(session: Session, subscriber_id: int, *, targets: list[tuple[str, str]], cadence: str,
                          language: str, now: datetime | None = None) -> tuple[int, int]:
    """Make the subscriber follow exactly `targets` at `cadence`; returns (added, cancelled).

    What stays the same keeps its row (and its start date); nothing is deleted, only cancelled.
    """
    now = now or utcnow()
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise ValueError(f"no subscriber {subscriber_id}")
    subscriber.language = language
    wanted = set(targets)
    cancelled = 0
    for subscription in subscriptions_of(session, subscriber_id):
        if (subscription.kind, subscription.value) not in wanted or subscription.cadence != cadence:
            subscription.cancelled_at = now
            cancelled += 1
    added = sum(add_subscription(session, subscriber_id, kind=kind, value=value, cadence=cadence, now=now)[1]
                for kind, value in targets)
    session.flush()
    return added, cancelled


def confirm_subscriber(session: Session, subscriber_id: int, *, now: datetime | None = None) -> Subscriber | None:
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return None
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now or utcnow()
    return subscriber


def unsubscribe(session: Session, subscriber_id: int, *, now: datetime | None = None) -> Subscriber | None:
    """Stop everything for this subscriber (one-click unsubscribe); idempotent."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        return None
    now = now or utcnow()
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now
    for subscription in session.scalars(select(Subscription).where(
            col(Subscription.subscriber_id) == subscriber_id, col(Subscription.cancelled_at).is_(None))):
        subscription.cancelled_at = now
    return subscriber


def active_subscriptions(session: Session, *, cadence: str | None = None) -> list[tuple[Subscriber, Subscription]]:
    """Subscriptions of confirmed, still-subscribed subscribers."""
    query = (select(Subscriber, Subscription).join(Subscription, col(Subscription.subscriber_id) == col(Subscriber.id))
             .where(col(Subscriber.confirmed_at).is_not(None), col(Subscriber.unsubscribed_at).is_(None),
                    col(Subscription.cancelled_at).is_(None)))
    if cadence:
        query = query.where(col(Subscription.cadence) == cadence)
    return [(row[0], row[1]) for row in session.execute(query.order_by(col(Subscriber.id), col(Subscription.id)))]


def open_request(session: Session, subscriber_id: int, *, name: str, organisation: str, language: str, cadence: str,
                 targets: list[tuple[str, str]], now: datetime | None = None) -> SubscriptionRequest:
    """Keep what was asked for a known address, to apply when its link is followed; older open requests of the
    subscriber are superseded, so only the newest link works."""
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {CADENCES}")
    now = now or utcnow()
    for older in session.scalars(select(SubscriptionRequest).where(
            col(SubscriptionRequest.subscriber_id) == subscriber_id, col(SubscriptionRequest.applied_at).is_(None),
            col(SubscriptionRequest.superseded_at).is_(None))):
        older.superseded_at = now
    request = SubscriptionRequest(subscriber_id=subscriber_id, name=name, organisation=organisation,
                                  language=language, cadence=cadence, targets=[list(t) for t in targets],
                                  created_at=now)
    session.add(request)
    session.flush()
    return request


def requests_since(session: Session, subscriber_id: int, since: datetime) -> int:
    """How many requests were made for this subscriber since then (to bound the mails one address gets)."""
    return session.scalar(select(func.count()).select_from(SubscriptionRequest).where(
        col(SubscriptionRequest.subscriber_id) == subscriber_id, col(SubscriptionRequest.created_at) >= since)) or 0


def pending_request(session: Session, subscriber_id: int, request_id: int) -> SubscriptionRequest | None:
    """The request a change link names, to show before it is applied; None when it is not this subscriber's
    or was superseded (an applied one is returned: its `applied_at` says so)."""
    request = session.get(SubscriptionRequest, request_id)
    if request is None or request.subscriber_id != subscriber_id or request.superseded_at is not None:
        return None
    return request


def set_staff(session: Session, subscriber_id: int, staff: bool) -> None:
    """Mark a subscriber as the organisation's staff (who see its positions), or not; the command line's choice."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise ValueError(f"no subscriber {subscriber_id}")
    subscriber.staff = staff
    session.flush()


def apply_request(session: Session, subscriber_id: int, request_id: int, *,
                  now: datetime | None = None) -> Subscriber | None:
    """Apply a request whose link was followed: its subscriptions added, the name, organisation and language
    it gave, and the subscriber confirmed (the link proves the address is theirs). None for a request that
    is not this subscriber's or was superseded; applying twice changes nothing more."""
    request = session.get(SubscriptionRequest, request_id)
    subscriber = session.get(Subscriber, subscriber_id)
    if request is None or subscriber is None or request.subscriber_id != subscriber_id:
        return None
    if request.superseded_at is not None:
        return None
    if request.applied_at is not None:
        return subscriber
    now = now or utcnow()
    subscriber.unsubscribed_at = None
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.name = request.name or subscriber.name
    subscriber.organisation = request.organisation or subscriber.organisation
    subscriber.language = request.language
    for kind, value in request.targets:
        add_subscription(session, subscriber_id, kind=kind, value=value, cadence=request.cadence, now=now)
    # One cadence per member, the one the confirmed page named: what they followed before moves to it too
    # (never half weekly, half instant without having been told).
    for subscription in subscriptions_of(session, subscriber_id):
        if subscription.cadence != request.cadence:
            subscription.cancelled_at = now
            moved, _ = add_subscription(session, subscriber_id, kind=subscription.kind, value=subscription.value,
                                        cadence=request.cadence, now=now)
            moved.created_at = subscription.created_at  # followed since then: nothing is heard twice or lost
    request.applied_at = now
    session.flush()
    return subscriber
