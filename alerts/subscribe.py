"""Subscribing: check what was typed, store it, and send the double opt-in confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from alerts.addresses import InvalidSubscriberInput, check_email, check_name, positive_int
from alerts.i18n import LANGUAGES
from alerts.keywords import keyword_pattern
from alerts.links import links_for
from alerts.render import Links, render_confirmation
from alerts.topics import load_taxonomy
from tracker.outbox import enqueue
from tracker.subscriptions import (add_subscription, confirm_subscriber, get_or_create_subscriber, replace_subscriptions,
                                  subscriber_by_email)

__all__ = ["SubscribeResult", "change_subscriptions", "request_subscription", "subscribe"]


@dataclass(frozen=True)
class SubscribeResult:
    subscriber_id: int
    created: bool
    subscriptions_added: int
    confirmation_queued: bool
    confirmed: bool


def _check_target(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == "topic":
        if load_taxonomy().topic(value) is None:
            known = ", ".join(t.slug for t in load_taxonomy().topics)
            raise InvalidSubscriberInput(f"unknown topic {value!r}; topics: {known}")
    elif kind in ("act", "bill"):
        if positive_int(value) is None:
            raise InvalidSubscriberInput(f"an {kind} is given by its id (a positive number), not {value!r}")
    elif kind == "keyword":
        value = check_name(value, field="keyword", limit=100)
        try:
            keyword_pattern(value)
        except ValueError as exc:
            raise InvalidSubscriberInput(str(exc)) from None
    else:
        raise InvalidSubscriberInput(f"unknown subscription kind {kind!r}")
    return value


def subscribe(session: Session, *, email: str, targets: list[tuple[str, str]], weekly: bool = False,
              name: str = "", organisation: str = "", language: str = "ka", confirmed: bool = False,
              base_url: str | None = None, now: datetime | None = None) -> SubscribeResult:
    """Validate everything first (nothing is stored if any part is wrong), then store and queue.

    `confirmed` is for staff importing members who consented elsewhere; otherwise a
    confirmation e-mail is queued and nothing else is sent until the link is followed.
    """
    address = check_email(email)
    name = check_name(name)
    organisation = check_name(organisation, field="organisation")
    if language not in LANGUAGES:
        raise InvalidSubscriberInput(f"language must be one of {', '.join(LANGUAGES)}")
    if not targets:
        raise InvalidSubscriberInput("subscribe to at least one --topic, --keyword, --act or --bill")
    checked = [(kind, _check_target(kind, value)) for kind, value in targets]

    subscriber, created = get_or_create_subscriber(session, email=address, name=name, organisation=organisation,
                                                   language=language, now=now)
    added = sum(add_subscription(session, subscriber.id, kind=kind, value=value,
                                 cadence="weekly" if weekly else "instant", now=now)[1] for kind, value in checked)
    queued = False
    if confirmed:
        confirm_subscriber(session, subscriber.id, now=now)
    elif subscriber.confirmed_at is None:
        links = links_for(subscriber.id, base_url=base_url)
        rendered = render_confirmation(language=language, links=links)
        # One confirmation per subscriber and day: asking again tomorrow sends a fresh link.
        day = (now or datetime.now()).date().isoformat()
        queued = enqueue(session, idempotency_key=f"confirm:{subscriber.id}:{day}", subscriber_id=subscriber.id,
                         kind="confirm", to_address=address, subject=rendered.subject, text_body=rendered.text,
                         html_body=rendered.html, now=now)
    return SubscribeResult(subscriber.id, created, added, queued, subscriber.confirmed_at is not None)


def change_subscriptions(session: Session, subscriber_id: int, *, targets: list[tuple[str, str]], weekly: bool,
                         language: str, now: datetime | None = None) -> tuple[int, int]:
    """What a member chose on the manage page: validated whole first, then stored; (added, cancelled).

    An empty choice is allowed: it leaves the member subscribed to nothing (but not unsubscribed).
    """
    if language not in LANGUAGES:
        raise InvalidSubscriberInput(f"language must be one of {', '.join(LANGUAGES)}")
    checked = list(dict.fromkeys((kind, _check_target(kind, value)) for kind, value in targets))
    return replace_subscriptions(session, subscriber_id, targets=checked, cadence="weekly" if weekly else "instant",
                                 language=language, now=now)


def request_subscription(session: Session, *, email: str, name: str, organisation: str, lang: str,
                         topics: list[str], keywords: list[str], acts: list[int], bills: list[int], weekly: bool,
                         base_url: str | None = None, now: datetime | None = None) -> None:
    """What the public subscribe form asks for, from someone who may not own the address.

    An unknown (or not yet confirmed, or unsubscribed) address gets the usual double opt-in: nothing is sent
    but the confirmation until its link is followed. A confirmed member's address changes nothing at all —
    not their name, organisation, language or subscriptions: a link to their own manage page is mailed to that
    address instead (once a day at most), so only whoever reads that mailbox can change what it receives.

    A minimal version (issue 19, item 2): the requested change itself is not kept; the member makes it on the
    manage page. The caller says the same thing to the visitor in every case.
    """
    targets = ([("topic", t) for t in topics] + [("keyword", k) for k in keywords]
               + [("act", str(a)) for a in acts] + [("bill", str(b)) for b in bills])
    address = check_email(email)
    check_name(name)
    check_name(organisation, field="organisation")
    if lang not in LANGUAGES:
        raise InvalidSubscriberInput(f"language must be one of {', '.join(LANGUAGES)}")
    if not targets:
        raise InvalidSubscriberInput("subscribe to at least one --topic, --keyword, --act or --bill")
    for kind, value in targets:  # the same answer for a wrong form whoever owns the address
        _check_target(kind, value)
    member = subscriber_by_email(session, address)
    if member is None or member.confirmed_at is None or member.unsubscribed_at is not None:
        subscribe(session, email=address, targets=targets, weekly=weekly, name=name, organisation=organisation,
                  language=lang, base_url=base_url, now=now)
        return
    manage = links_for(member.id, base_url=base_url).manage
    rendered = render_confirmation(language=member.language, links=Links(confirm=manage))
    day = (now or datetime.now()).date().isoformat()
    enqueue(session, idempotency_key=f"subscribe-request:{member.id}:{day}", subscriber_id=member.id, kind="confirm",
            to_address=member.email, subject=rendered.subject, text_body=rendered.text, html_body=rendered.html,
            now=now)
