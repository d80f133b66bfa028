"""Turn detected changes into messages: instant alerts and weekly digests, each queued once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from alerts.i18n import translate
from alerts.keywords import keyword_matcher
from alerts.links import links_for
from alerts.render import Links, Rendered, render_alert, render_digest
from alerts.topics import load_taxonomy
from alerts.views import ChangeView, TagView, make_sections
from alerts.wording import change_headline, tag_label, unit_label
from tracker.alert_models import Change, ChangeTag, Subscriber, Subscription
from tracker.changes import changes_between, tags_by_change
from tracker.models import utcnow
from tracker.outbox import enqueue, existing_keys
from tracker.positions import Position, current_positions
from tracker.subscriptions import active_subscriptions

__all__ = ["ALERT_WINDOW", "TBILISI", "Matcher", "change_view", "compose_digests", "last_week", "position_of",
           "queue_alerts", "queue_digests", "week_bounds"]

TBILISI = ZoneInfo("Asia/Tbilisi")
ALERT_WINDOW = timedelta(days=30)  # older changes are the digest's and the website's, not an alert's


@dataclass
class QueueReport:
    considered: int = 0
    queued: int = 0
    already_queued: int = 0


def change_view(change: Change, tags: list[ChangeTag], language: str, position: Position | None = None) -> ChangeView:
    taxonomy = load_taxonomy()

    def topic_name(slug: str) -> str:
        topic = taxonomy.topic(slug)
        return (topic.name_ka if language == "ka" else topic.name_en) if topic else slug

    # Words from facts, in the reader's language: nothing stored is display text.
    facts = change.facts or {}
    units = tuple({**unit, "label": unit_label(unit, language)} for unit in change.units)
    return ChangeView(
        change_id=change.id, title=change.title, headline=change_headline(change.kind, facts, language),
        detected_on=change.detected_at.astimezone(TBILISI).date(), units=units,
        tags=tuple(TagView(t.topic, topic_name(t.topic), tag_label(t.unit_key, facts), t.snippet) for t in tags),
        kind=change.kind, url=change.url, position=position,
    )


def position_of(change: Change, positions: dict[tuple[str, int], Position]) -> Position | None:
    """The position on a change's bill (for bill events), else on its act."""
    subjects = [("bill", change.bill_id), ("act", change.act_id)]
    return next((positions[s] for s in subjects if s[1] is not None and s in positions), None)


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
            for topic in {tag.topic for tag in tags.get(change.id, [])}:
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


def queue_alerts(session: Session, *, now: datetime | None = None, base_url: str | None = None) -> QueueReport:
    """One alert per subscriber and change, for every instant subscription that wants it."""
    now = now or utcnow()
    # A version pair that differs in nothing (a re-publication) is recorded but not news.
    changes = [c for c in changes_between(session, now - ALERT_WINDOW, now + timedelta(seconds=1))
               if c.units or c.kind == "bill"]
    tags = tags_by_change(session, [c.id for c in changes])
    matcher = Matcher(changes, tags)
    wanted: dict[int, tuple[Subscriber, dict[int, Change], dict[int, list[str]]]] = {}
    titles = {c.act_id: c.title for c in changes if c.act_id is not None and c.kind == "version"}
    for subscriber, subscription in active_subscriptions(session, cadence="instant"):
        entry = wanted.setdefault(subscriber.id, (subscriber, {}, defaultdict(list)))
        for change in matcher.wanted(subscription):
            entry[1][change.id] = change
            entry[2][change.id].append(subscription_reason(subscription, subscriber.language, titles))
    report = QueueReport()
    # What is queued already is skipped before anything is rendered: every run looks back ALERT_WINDOW,
    # and rendering all of that again each time was most of a run's work.
    queued = existing_keys(session, (f"alert:{subscriber.id}:{change_id}"
                                     for subscriber, by_id, _ in wanted.values() for change_id in by_id))
    views: dict[tuple[int, str], ChangeView] = {}
    for subscriber, by_id, reasons in wanted.values():
        links = None
        for change in sorted(by_id.values(), key=lambda c: (c.significance, c.id)):
            report.considered += 1
            key = f"alert:{subscriber.id}:{change.id}"
            if key in queued:
                report.already_queued += 1
                continue
            links = links or links_for(subscriber.id, base_url=base_url)
            view = views.get((change.id, subscriber.language))
            if view is None:
                view = views[(change.id, subscriber.language)] = change_view(change, tags.get(change.id, []),
                                                                             subscriber.language)
            rendered = render_alert(change=view, language=subscriber.language, links=links,
                                    reasons=reasons[change.id])
            added = enqueue(session, idempotency_key=key, subscriber_id=subscriber.id,
                            kind="alert", to_address=subscriber.email, subject=rendered.subject,
                            text_body=rendered.text, html_body=rendered.html, unsubscribe_url=links.unsubscribe, now=now)
            report.queued += added
            report.already_queued += not added
    return report


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """"2026-W48" → [Monday 00:00, next Monday 00:00) in Tbilisi time."""
    try:
        year, number = week.split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W48") from None
    start = datetime.combine(monday, time(0), TBILISI)
    return start, start + timedelta(days=7)


def last_week(now: datetime) -> str:
    """The ISO week that ended before `now` (Monday's digest covers the week just past)."""
    year, number, _ = (now.astimezone(TBILISI).date() - timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"


def _section_name(subscription: Subscription, language: str, titles: dict[int, str]) -> str:
    if subscription.kind == "topic":
        topic = load_taxonomy().topic(subscription.value)
        return (topic.name_ka if language == "ka" else topic.name_en) if topic else subscription.value
    if subscription.kind == "keyword":
        return f"«{subscription.value}»"
    if subscription.kind == "act":
        return titles.get(int(subscription.value)) or f"{translate('reason_act', language)} {subscription.value}"
    return f"{translate('reason_bill', language)} {subscription.value}"


def subscription_reason(subscription: Subscription, language: str, titles: dict[int, str]) -> str:
    """Why a subscriber gets a change, in their words: "Topic: Foster care", "Act you follow: …"."""
    name = _section_name(subscription, language, titles)
    return f"{translate('reason_' + subscription.kind, language)}: {name}"


def compose_digests(session: Session, *, week: str, base_url: str | None = None,
                    cap: int = 5) -> list[tuple[Subscriber, Rendered, Links]]:
    """The digest each weekly subscriber would get for `week`; nobody with nothing to read."""
    start, end = week_bounds(week)
    changes = [c for c in changes_between(session, start, end) if c.units or c.kind == "bill"]
    tags = tags_by_change(session, [c.id for c in changes])
    matcher = Matcher(changes, tags)
    titles = {c.act_id: c.title for c in changes if c.act_id is not None}
    positions = current_positions(session, act_ids=[c.act_id for c in changes if c.act_id is not None],
                                  bill_ids=[c.bill_id for c in changes if c.bill_id is not None])
    per_subscriber: dict[int, tuple[Subscriber, list[Subscription]]] = {}
    for subscriber, subscription in active_subscriptions(session, cadence="weekly"):
        per_subscriber.setdefault(subscriber.id, (subscriber, []))[1].append(subscription)
    digests = []
    for subscriber, subscriptions in per_subscriber.values():
        views: dict[int, ChangeView] = {}
        groups = []
        for subscription in subscriptions:
            matched = matcher.wanted(subscription)
            for change in matched:
                position = position_of(change, positions)
                if position is not None and not (subscriber.staff or position.public):
                    position = None  # the organisation's stance and deadlines are for its staff unless public
                views.setdefault(change.id, change_view(change, tags.get(change.id, []), subscriber.language,
                                                        position))
            groups.append((f"{subscription.kind}:{subscription.value}",
                           _section_name(subscription, subscriber.language, titles), [views[c.id] for c in matched]))
        sections = make_sections(groups, cap=cap)
        if not sections:
            continue  # nothing changed for this subscriber: no e-mail
        links = links_for(subscriber.id, base_url=base_url)
        digests.append((subscriber, render_digest(sections=sections, week=week, language=subscriber.language,
                                                  links=links), links))
    return digests


def queue_digests(session: Session, *, week: str, now: datetime | None = None, base_url: str | None = None,
                  cap: int = 5) -> QueueReport:
    """One digest per subscriber with weekly subscriptions and something to say, queued once per week."""
    now = now or utcnow()
    report = QueueReport()
    for subscriber, rendered, links in compose_digests(session, week=week, base_url=base_url, cap=cap):
        report.considered += 1
        added = enqueue(session, idempotency_key=f"digest:{subscriber.id}:{week}", subscriber_id=subscriber.id,
                        kind="digest", to_address=subscriber.email, subject=rendered.subject, text_body=rendered.text,
                        html_body=rendered.html, unsubscribe_url=links.unsubscribe, now=now)
        report.queued += added
        report.already_queued += not added
    return report
