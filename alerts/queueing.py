"""Instant alerts: one per subscriber and change, queued once, rendered only when not queued yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from alerts.change_view import change_view
from alerts.links import links_for
from alerts.matching import Matcher, subscription_reason
from alerts.render import render_alert
from alerts.views import ChangeView, stored_id
from tracker.alert_models import Change, Subscriber
from tracker.changes import changes_between, tags_by_change
from tracker.models import utcnow
from tracker.outbox import enqueue, existing_keys
from tracker.subscriptions import active_subscriptions

__all__ = ["ALERT_WINDOW", "QueueReport", "queue_alerts"]

ALERT_WINDOW = timedelta(days=30)  # older changes are the digest's and the website's, not an alert's


@dataclass
class QueueReport:
    considered: int = 0
    queued: int = 0
    already_queued: int = 0


def queue_alerts(session: Session, *, now: datetime | None = None, base_url: str | None = None,
                 secret_key: str | None = None) -> QueueReport:
    """One alert per subscriber and change, for every instant subscription that wants it; its links at
    `base_url`, signed with `secret_key` (the caller's settings)."""
    now = now or utcnow()
    # A version pair that differs in nothing (a re-publication) is recorded but not news.
    changes = [c for c in changes_between(session, now - ALERT_WINDOW, now + timedelta(seconds=1))
               if c.units or c.kind == "bill"]
    tags = tags_by_change(session, [stored_id(c) for c in changes])
    matcher = Matcher(changes, tags)
    wanted: dict[int, tuple[Subscriber, dict[int, Change], dict[int, list[str]]]] = {}
    titles = {c.act_id: c.title for c in changes if c.act_id is not None and c.kind == "version"}
    for subscriber, subscription in active_subscriptions(session, cadence="instant"):
        entry = wanted.setdefault(stored_id(subscriber), (subscriber, {}, defaultdict(list)))
        for change in matcher.wanted(subscription):
            entry[1][stored_id(change)] = change
            entry[2][stored_id(change)].append(subscription_reason(subscription, subscriber.language, titles))
    report = QueueReport()
    # What is queued already is skipped before anything is rendered: every run looks back ALERT_WINDOW,
    # and rendering all of that again each time was most of a run's work.
    queued = existing_keys(session, (f"alert:{subscriber.id}:{change_id}"
                                     for subscriber, by_id, _ in wanted.values() for change_id in by_id))
    views: dict[tuple[int, str], ChangeView] = {}
    for subscriber, by_id, reasons in wanted.values():
        links = None
        subscriber_id = stored_id(subscriber)
        for change_id, change in sorted(by_id.items(), key=lambda item: (item[1].significance, item[0])):
            report.considered += 1
            key = f"alert:{subscriber_id}:{change_id}"
            if key in queued:
                report.already_queued += 1
                continue
            links = links or links_for(subscriber_id, base_url=base_url, key=secret_key)
            view = views.get((change_id, subscriber.language))
            if view is None:
                view = views[(change_id, subscriber.language)] = change_view(change, tags.get(change_id, []),
                                                                             subscriber.language)
            rendered = render_alert(change=view, language=subscriber.language, links=links,
                                    reasons=reasons[change_id])
            added = enqueue(session, idempotency_key=key, subscriber_id=subscriber_id,
                            kind="alert", to_address=subscriber.email, subject=rendered.subject,
                            text_body=rendered.text, html_body=rendered.html, unsubscribe_url=links.unsubscribe, now=now)
            report.queued += added
            report.already_queued += not added
    return report
