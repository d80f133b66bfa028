"""Instant alerts: per subscriber, the changes they want, queued once each, several found close together in one
e-mail; rendered only when not queued yet.

Batching: with a window of `batch_seconds`, a subscriber's changes found within that many seconds of the
first not yet queued wait until the window has passed, then go out as one message (each change once, with
every subscription that wanted it). 0 sends one message per change at once. Which changes a message covers
is its idempotency key ("alert:7:101-104,110"), so a change is never queued twice, however runs fall.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from alerts.change_view import change_view
from alerts.links import DEFAULT_PUBLIC_URL, change_url, links_for
from alerts.matching import Matcher, subscription_reason
from alerts.render import render_alert
from alerts.views import ChangeView, stored_id
from tracker.alert_models import Change, Subscriber
from tracker.changes import changes_between, tags_by_change
from tracker.models import utcnow
from tracker.outbox import alert_keys, enqueue
from tracker.queries import act_identities
from tracker.subscriptions import active_subscriptions

__all__ = ["ALERT_WINDOW", "QueueReport", "alert_key", "covered_changes", "queue_alerts"]

ALERT_WINDOW = timedelta(days=30)  # older changes are the digest's and the website's, not an alert's
_KEY_LIMIT = 128  # OutboxMessage.idempotency_key's length


@dataclass
class QueueReport:
    considered: int = 0
    queued: int = 0  # messages
    already_queued: int = 0  # changes queued by an earlier run
    held: int = 0  # changes waiting for their batch window to pass
    release_at: datetime | None = None  # when the first of them may go


def _ranges(ids: list[int]) -> str:
    parts: list[str] = []
    ordered = sorted(set(ids))
    start = previous = ordered[0]
    for value in ordered[1:]:
        if value == previous + 1:
            previous = value
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = value
    parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ",".join(parts)


def alert_key(subscriber_id: int, change_ids: list[int]) -> str:
    """The idempotency key of one subscriber's alert about these changes: "alert:7:101-104,110"."""
    return f"alert:{subscriber_id}:{_ranges(change_ids)}"


def covered_changes(key: str) -> set[int]:
    """The change ids an alert's key covers ("alert:7:42" is the one-change key of before batching)."""
    covered: set[int] = set()
    for part in key.split(":", 2)[2].split(","):
        first, _, last = part.partition("-")
        covered.update(range(int(first), int(last or first) + 1))
    return covered


def _batches(pending: list[Change], *, now: datetime, batch_seconds: int,
             report: QueueReport) -> list[list[Change]]:
    """The messages `pending` (oldest first) makes now; what must wait for its window is counted as held."""
    if batch_seconds <= 0:
        return [[change] for change in pending]
    window = timedelta(seconds=batch_seconds)
    batches: list[list[Change]] = []
    rest = list(pending)
    while rest:
        closes = rest[0].detected_at + window
        if closes > now:  # the window is open: a change found in the next minutes joins this message
            report.held += len(rest)
            report.release_at = closes if report.release_at is None else min(report.release_at, closes)
            break
        batch = [change for change in rest if change.detected_at < closes]
        rest = rest[len(batch):]
        batches.append(batch)
    return batches


def _split_to_fit(subscriber_id: int, batch: list[Change]) -> list[list[Change]]:
    pieces: list[list[Change]] = []
    current: list[Change] = []
    for change in batch:
        if current and len(alert_key(subscriber_id, [stored_id(c) for c in current + [change]])) > _KEY_LIMIT:
            pieces.append(current)
            current = []
        current.append(change)
    return pieces + ([current] if current else [])


def queue_alerts(session: Session, *, now: datetime | None = None, base_url: str | None = None,
                 secret_key: str | None = None, batch_seconds: int = 0) -> QueueReport:
    """The alerts every instant subscription wants, queued; links at `base_url` (each change's page on Kanoni,
    the manage and unsubscribe links), signed with `secret_key` (the caller's settings); changes found within
    `batch_seconds` of each other in one message per subscriber."""
    now = now or utcnow()
    # A version pair that differs in nothing (a re-publication) is recorded but not news.
    changes = [c for c in changes_between(session, now - ALERT_WINDOW, now + timedelta(seconds=1))
               if c.units or c.kind == "bill"]
    tags = tags_by_change(session, [stored_id(c) for c in changes])
    matcher = Matcher(changes, tags)
    wanted: dict[int, tuple[Subscriber, dict[int, Change], dict[int, list[str]]]] = {}
    titles = {c.act_id: c.title for c in changes if c.act_id is not None and c.kind != "bill"}
    for subscriber, subscription in active_subscriptions(session, cadence="instant"):
        entry = wanted.setdefault(stored_id(subscriber), (subscriber, {}, defaultdict(list)))
        for change in matcher.wanted(subscription):
            entry[1][stored_id(change)] = change
            reason = subscription_reason(subscription, subscriber.language, titles)
            if reason not in entry[2][stored_id(change)]:
                entry[2][stored_id(change)].append(reason)
    report = QueueReport()
    # What is queued already is skipped before anything is rendered: every run looks back ALERT_WINDOW,
    # and rendering all of that again each time was most of a run's work.
    queued: dict[int, set[int]] = defaultdict(set)
    for subscriber_id, key in alert_keys(session, list(wanted), since=now - 2 * ALERT_WINDOW):
        queued[subscriber_id].update(covered_changes(key))
    identities = act_identities(session, {c.act_id for c in changes if c.act_id is not None and c.kind != "bill"})
    views: dict[tuple[int, str], ChangeView] = {}
    for subscriber, by_id, reasons in wanted.values():
        subscriber_id = stored_id(subscriber)
        pending = []
        for change_id, change in sorted(by_id.items(), key=lambda item: (item[1].detected_at, item[0])):
            report.considered += 1
            if change_id in queued[subscriber_id]:
                report.already_queued += 1
            else:
                pending.append(change)
        batches = [piece for batch in _batches(pending, now=now, batch_seconds=batch_seconds, report=report)
                   for piece in _split_to_fit(subscriber_id, batch)]
        if not batches:
            continue
        links = links_for(subscriber_id, base_url=base_url, key=secret_key)
        for batch in batches:
            items = []
            for change in sorted(batch, key=lambda c: (c.significance, stored_id(c))):
                change_id = stored_id(change)
                view = views.get((change_id, subscriber.language))
                if view is None:
                    view = views[(change_id, subscriber.language)] = change_view(
                        change, tags.get(change_id, []), subscriber.language, page_url=change_url(change, base_url),
                        base_url=base_url or DEFAULT_PUBLIC_URL,
                        act=identities.get(change.act_id) if change.act_id is not None else None)
                items.append((view, reasons[change_id]))
            rendered = render_alert(changes=items, language=subscriber.language, links=links)
            added = enqueue(session, idempotency_key=alert_key(subscriber_id, [stored_id(c) for c in batch]),
                            subscriber_id=subscriber_id, kind="alert", to_address=subscriber.email,
                            subject=rendered.subject, text_body=rendered.text, html_body=rendered.html,
                            unsubscribe_url=links.unsubscribe, now=now)
            report.queued += added
            report.already_queued += 0 if added else len(batch)
    return report
