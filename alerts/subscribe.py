"""Subscribing: check what was typed, store it, and send the double opt-in confirmation.

Whoever types an address into the form may not be its owner. A new address is stored unconfirmed and
gets a confirmation link, as always. For an address already known, nothing changes — name,
organisation, language, subscriptions — until the link mailed to that address is followed and the
change it shows is confirmed with a POST; and the caller cannot tell the two cases apart (issue 19:
anyone could rewrite a member's subscription). Opening the link (a GET, which mail scanners do on
their own) only shows the change: `follow_link` never applies one, `confirm_link` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from alerts.addresses import InvalidSubscriberInput, check_email, check_name, positive_int
from alerts.i18n import LANGUAGES, translate
from alerts.keywords import keyword_pattern
from alerts.links import DEFAULT_PUBLIC_URL, links_for
from alerts.matching import Target, subscription_reason
from alerts.render import render_change_request, render_confirmation, render_manage_link
from alerts.tokens import TokenError, make_request_token, read_request_token, read_token
from alerts.topics import load_taxonomy
from alerts.views import stored_id
from tracker.alert_models import Subscriber
from tracker.models import utcnow
from tracker.outbox import enqueue
from tracker.parliament_queries import bill_detail
from tracker.queries import act_titles
from tracker.subscriptions import (add_subscription, apply_request, confirm_subscriber, get_or_create_subscriber,
                                   get_subscriber, open_request, pending_request, replace_subscriptions,
                                   requests_since, set_staff, subscriber_by_email, subscriptions_of)

__all__ = ["PendingChange", "REQUESTS_PER_DAY", "SubscribeResult", "change_subscriptions", "check_stored",
           "confirm_link", "follow_link", "mail_manage_link", "request_subscription", "subscribe"]

# Each request for a known address mails its owner a link; more than this a day mails nothing more.
REQUESTS_PER_DAY = 5


@dataclass(frozen=True)
class SubscribeResult:
    subscriber_id: int
    created: bool
    subscriptions_added: int
    confirmation_queued: bool
    confirmed: bool
    pending_change: bool = False  # a known address: the change waits for its owner's link


@dataclass(frozen=True)
class PendingChange:
    """What a change link would set, shown to the address's owner before anything is applied."""
    email: str
    language: str  # the owner's stored language, which the page and the e-mail use
    name: str  # "" keeps the stored name; so for the organisation
    organisation: str
    mail_language: str
    weekly: bool
    targets: tuple[tuple[str, str], ...]  # (kind, value) to be followed
    applied: bool  # the link was confirmed already: following it again changes nothing
    act_titles: tuple[tuple[int, str], ...] = ()  # of the acts among the targets that are stored
    current_weekly: bool | None = None  # the cadence the member has now; None: they follow nothing yet

    @property
    def cadence_changes(self) -> bool:
        """Confirming switches every e-mail the member gets between instant and weekly."""
        return self.current_weekly is not None and self.current_weekly != self.weekly

    def follows(self, language: str, *, typed: bool = True) -> list[str]:
        """The targets in `language` words: "Topic: Foster care", "Keyword: «…»", "Act you follow: <its title>".
        typed False: a keyword (the requester's own words) is only named, for the e-mail."""
        titles = dict(self.act_titles)
        return [translate("change_keyword_on_page", language) if kind == "keyword" and not typed
                else subscription_reason(Target(kind, value), language, titles)
                for kind, value in self.targets]


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


def _check_targets(targets: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every target checked (the first bad one raises), repeats dropped, first-seen order kept."""
    return list(dict.fromkeys((kind, _check_target(kind, value)) for kind, value in targets))


def check_stored(session: Session, targets: Iterable[tuple[str, str]]) -> None:
    """Acts and bills followed must be ones Kanoni stores: a number typed by hand that names nothing is refused."""
    acts = [value for kind, value in targets if kind == "act"]
    known = act_titles(session, acts) if acts else {}
    for value in acts:
        if int(value) not in known:
            raise InvalidSubscriberInput(f"no act {value} is stored")
    for kind, value in targets:
        if kind == "bill" and bill_detail(session, int(value)) is None:
            raise InvalidSubscriberInput(f"no bill {value} is stored")


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidSubscriberInput(f"language must be one of {', '.join(LANGUAGES)}")


def _queue_confirmation(session: Session, subscriber: Subscriber, *, key: str, language: str,
                        base_url: str | None, secret_key: str | None, now: datetime | None) -> bool:
    links = links_for(stored_id(subscriber), base_url=base_url, key=secret_key)
    rendered = render_confirmation(language=language, links=links)
    return enqueue(session, idempotency_key=key, subscriber_id=stored_id(subscriber), kind="confirm",
                   to_address=subscriber.email, subject=rendered.subject, text_body=rendered.text,
                   html_body=rendered.html, now=now)


def subscribe(session: Session, *, email: str, targets: list[tuple[str, str]], weekly: bool = False,
              name: str = "", organisation: str = "", language: str = "ka", confirmed: bool = False,
              staff: bool | None = None, base_url: str | None = None, secret_key: str | None = None,
              now: datetime | None = None) -> SubscribeResult:
    """Validate everything first (nothing is stored if any part is wrong), then store and queue.

    A new address: stored with its subscriptions, unconfirmed, and a confirmation e-mail queued.
    A known address: the change is kept as a pending request and a link to apply it is mailed to the
    address; nothing else changes until it is followed. `confirmed` is for staff (the command line)
    acting for members who consented elsewhere: the change applies at once, without e-mail. `staff`
    (command line only) marks the subscriber as the organisation's staff, who see its positions.
    The mailed links point at `base_url` and are signed with `secret_key` (the caller's settings).
    """
    address = check_email(email)
    name = check_name(name)
    organisation = check_name(organisation, field="organisation")
    _check_language(language)
    if not targets:
        raise InvalidSubscriberInput("subscribe to at least one --topic, --keyword, --act or --bill")
    checked = _check_targets(targets)
    cadence = "weekly" if weekly else "instant"

    existing = subscriber_by_email(session, address)
    if existing is not None and not confirmed:
        if staff is not None:
            set_staff(session, stored_id(existing), staff)
        return _request_change(session, existing, targets=checked, cadence=cadence, name=name,
                               organisation=organisation, language=language, base_url=base_url,
                               secret_key=secret_key, now=now)

    subscriber, created = get_or_create_subscriber(session, email=address, name=name, organisation=organisation,
                                                   language=language, now=now)
    if staff is not None:
        set_staff(session, stored_id(subscriber), staff)
    added = sum(add_subscription(session, stored_id(subscriber), kind=kind, value=value, cadence=cadence, now=now)[1]
                for kind, value in checked)
    queued = False
    if confirmed:
        confirm_subscriber(session, stored_id(subscriber), now=now)
    elif subscriber.confirmed_at is None:
        # One confirmation per subscriber and day: asking again tomorrow sends a fresh link.
        day = (now or datetime.now()).date().isoformat()
        queued = _queue_confirmation(session, subscriber, key=f"confirm:{stored_id(subscriber)}:{day}", language=language,
                                     base_url=base_url, secret_key=secret_key, now=now)
    session.flush()
    return SubscribeResult(stored_id(subscriber), created, added, queued, subscriber.confirmed_at is not None)


def _request_change(session: Session, subscriber: Subscriber, *, targets: list[tuple[str, str]], cadence: str,
                    name: str, organisation: str, language: str, base_url: str | None,
                    secret_key: str | None, now: datetime | None) -> SubscribeResult:
    moment = now or utcnow()
    confirmed = subscriber.confirmed_at is not None and subscriber.unsubscribed_at is None
    if requests_since(session, stored_id(subscriber), moment - timedelta(days=1)) >= REQUESTS_PER_DAY:
        return SubscribeResult(stored_id(subscriber), False, 0, False, confirmed, pending_change=True)
    request = open_request(session, stored_id(subscriber), name=name, organisation=organisation, language=language,
                           cadence=cadence, targets=targets, now=moment)
    base = (base_url or DEFAULT_PUBLIC_URL).rstrip("/")
    link = f"{base}/confirm?token={make_request_token(stored_id(subscriber), stored_id(request), key=secret_key)}"
    # In the owner's language, not the one the requester chose: it is the owner who must understand it.
    change = _pending_change(session, subscriber, request)
    rendered = render_change_request(language=subscriber.language, link=link, name=change.name,
                                     organisation=change.organisation, mail_language=change.mail_language,
                                     weekly=change.weekly, follows=change.follows(subscriber.language, typed=False),
                                     current_weekly=change.current_weekly)
    queued = enqueue(session, idempotency_key=f"change:{stored_id(subscriber)}:{stored_id(request)}", subscriber_id=stored_id(subscriber),
                     kind="confirm", to_address=subscriber.email, subject=rendered.subject, text_body=rendered.text,
                     html_body=rendered.html, now=now)
    return SubscribeResult(stored_id(subscriber), False, 0, queued, confirmed, pending_change=True)


def _pending_change(session: Session, subscriber: Subscriber, request) -> PendingChange:
    targets = tuple((kind, value) for kind, value in request.targets)
    titles = act_titles(session, [value for kind, value in targets if kind == "act"])
    followed = subscriptions_of(session, stored_id(subscriber))
    current = any(s.cadence == "weekly" for s in followed) if followed else None
    return PendingChange(email=subscriber.email, language=subscriber.language, name=request.name,
                         organisation=request.organisation, mail_language=request.language,
                         weekly=request.cadence == "weekly", targets=targets, applied=request.applied_at is not None,
                         act_titles=tuple(sorted(titles.items())), current_weekly=current)


def request_subscription(session: Session, *, email: str, name: str, organisation: str, lang: str,
                         topics: Iterable[str], keywords: Iterable[str], acts: Iterable[int | str],
                         bills: Iterable[int | str], weekly: bool, now: datetime | None = None,
                         base_url: str | None = None, secret_key: str | None = None, stored_only: bool = False) -> None:
    """What the /subscribe form does. Raises InvalidSubscriberInput (one line) for bad input, before looking
    the address up; otherwise returns None whether the address was known or not, and in both cases one
    confirmation e-mail goes to that address, which alone can make anything change.

    Links point at `base_url`, the configured public address (never a Host header a client sent), and are
    signed with `secret_key`. `stored_only`: an act or a bill Kanoni does not store is refused (the site's
    forms; the command line may name one before its first crawl).
    """
    targets = ([("topic", str(t)) for t in topics] + [("keyword", str(k)) for k in keywords if str(k).strip()]
               + [("act", str(a)) for a in acts] + [("bill", str(b)) for b in bills])
    if stored_only:  # the site's forms follow only acts and bills Kanoni stores
        check_stored(session, _check_targets(targets))
    subscribe(session, email=email, targets=targets, weekly=weekly, name=name, organisation=organisation,
              language=lang, base_url=base_url, secret_key=secret_key, now=now)
    return None


def _read_link(token: str, key: str | None) -> tuple[int, int | None]:
    """(subscriber id, request id) of a change link, (subscriber id, None) of a new subscriber's; TokenError."""
    try:
        return read_request_token(token, key=key)
    except TokenError as error:
        if "expired" in str(error):  # a change link whose signature is right: say it expired, not "not valid"
            raise
    return read_token("confirm", token, key=key), None  # raises TokenError for anything else


def follow_link(session: Session, token: str, *, key: str | None = None,
                now: datetime | None = None) -> Subscriber | PendingChange | None:
    """What opening a link from a confirmation e-mail (a GET of /confirm?token=...) does.

    A new subscriber's link confirms them (double opt-in; idempotent). A change link changes nothing: the
    PendingChange it would apply is returned, to be shown and confirmed by `confirm_link`. Raises TokenError
    for a forged, expired or foreign token; None when what it names is gone or was superseded.
    """
    subscriber_id, request_id = _read_link(token, key)
    if request_id is None:
        return confirm_subscriber(session, subscriber_id, now=now)
    request = pending_request(session, subscriber_id, request_id)
    subscriber = get_subscriber(session, subscriber_id)
    if request is None or subscriber is None:
        return None
    return _pending_change(session, subscriber, request)


def confirm_link(session: Session, token: str, *, key: str | None = None,
                 now: datetime | None = None) -> Subscriber | None:
    """Confirm what a link names — a new subscriber, or a known one's pending change, applied — as the owner's
    deliberate act (the POST of the page `follow_link` shows, or staff's `kanoni confirm`), never on a GET.
    Raises TokenError for a forged, expired or foreign token; None when what it names is gone or superseded."""
    subscriber_id, request_id = _read_link(token, key)
    if request_id is None:
        return confirm_subscriber(session, subscriber_id, now=now)
    return apply_request(session, subscriber_id, request_id, now=now)


def change_subscriptions(session: Session, subscriber_id: int, *, targets: list[tuple[str, str]], weekly: bool,
                         language: str, now: datetime | None = None) -> tuple[int, int]:
    """What a member chose on the manage page: validated whole first, then stored; (added, cancelled).

    An empty choice is allowed: it leaves the member subscribed to nothing (but not unsubscribed).
    """
    _check_language(language)
    checked = _check_targets(targets)
    return replace_subscriptions(session, subscriber_id, targets=checked, cadence="weekly" if weekly else "instant",
                                 language=language, now=now)


# A manage link mailed on request: at most one an hour per address, whoever asks.
def mail_manage_link(session: Session, *, email: str, base_url: str | None = None, secret_key: str | None = None,
                     now: datetime | None = None) -> None:
    """What the "e-mail me my manage link" form does: if the address is a member's (and they have not
    unsubscribed), a mail with their manage link is queued, in their language (an address not yet confirmed
    gets its confirmation link again); otherwise nothing. At most one mail an hour per address. Returns
    None either way, so the form's answer cannot tell whether an address is known. InvalidSubscriberInput
    for something that is not an e-mail address."""
    address = check_email(email)
    subscriber = subscriber_by_email(session, address)
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return None
    hour = (now or utcnow()).strftime("%Y-%m-%dT%H")
    if subscriber.confirmed_at is None:  # nothing to manage before the address is confirmed: its link again
        _queue_confirmation(session, subscriber, key=f"confirm-again:{stored_id(subscriber)}:{hour}",
                            language=subscriber.language, base_url=base_url, secret_key=secret_key, now=now)
        return None
    links = links_for(stored_id(subscriber), base_url=base_url, key=secret_key)
    rendered = render_manage_link(language=subscriber.language, links=links)
    enqueue(session, idempotency_key=f"manage-link:{stored_id(subscriber)}:{hour}", subscriber_id=stored_id(subscriber),
            kind="manage_link", to_address=subscriber.email, subject=rendered.subject, text_body=rendered.text,
            html_body=rendered.html, now=now)
    return None
