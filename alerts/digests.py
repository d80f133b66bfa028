"""Weekly digests: per subscriber, the week's changes their subscriptions want, in sections, queued once a week."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from alerts.change_view import change_view
from alerts.links import DEFAULT_PUBLIC_URL, change_url, links_for, topic_url
from alerts.matching import Matcher, position_of, section_name
from alerts.queueing import QueueReport
from alerts.render import Links, Rendered, render_digest
from alerts.i18n import translate
from alerts.views import ChangeView, JointNews, make_sections, stored_id
from alerts.weeks import week_bounds
from tracker.alert_models import Subscriber, Subscription
from tracker.changes import changes_between, tags_by_change
from tracker.joint_positions import JointEvent, joint_events, signing_orgs
from tracker.models import utcnow
from tracker.organisations import Org, list_organisations
from tracker.outbox import enqueue
from tracker.positions import current_positions, public_positions_on
from tracker.queries import act_identities
from tracker.subscriptions import active_subscriptions

__all__ = ["compose_digests", "joint_news", "queue_digests"]


def _followed(subscriptions: list[Subscription]) -> set[tuple[str, int]]:
    out = set()
    for subscription in subscriptions:
        if subscription.kind in ("act", "bill") and subscription.value.isdigit():
            out.add((subscription.kind, int(subscription.value)))
    return out


def joint_news(events: list[JointEvent], followed: set[tuple[str, int]], language: str, orgs: dict[int, Org],
               signers: dict[int, set[int]], base_url: str | None) -> list[JointNews]:
    """The week's events of the public joint positions on `followed` subjects, one item per joint position, in
    `language`: who drafted, signed and withdrew, and what in its text changed."""
    def name(org_id: int | None) -> str:
        org = orgs.get(org_id) if org_id is not None else None
        return org.name(language) if org is not None else "—"

    items: dict[int, JointNews] = {}
    root = (base_url or DEFAULT_PUBLIC_URL).rstrip("/")
    for event in events:
        if (event.subject_kind, event.subject_id) not in followed:
            continue
        news = items.setdefault(event.joint_id, JointNews(
            event.joint_id, event.title, f"{root}/joint/{event.joint_id}",
            signatories=sorted(name(o) for o in signers.get(event.joint_id, set()))))
        if event.what == "drafted":
            news.drafted_by = name(event.drafter_org_id)
        elif event.what == "endorsed" and name(event.org_id) not in news.signed:
            news.signed.append(name(event.org_id))
        elif event.what == "withdrawn" and name(event.org_id) not in news.withdrawn:
            news.withdrawn.append(name(event.org_id))
        elif event.what == "revised":
            for changed in event.changed_fields:
                word = translate(f"joint_field_{changed}", language)
                if word not in news.revised:
                    news.revised.append(word)
    return list(items.values())


def compose_digests(session: Session, *, week: str, base_url: str | None = None, secret_key: str | None = None,
                    cap: int = 5) -> list[tuple[Subscriber, Rendered, Links]]:
    """The digest each weekly subscriber would get for `week`; nobody with nothing to read."""
    start, end = week_bounds(week)
    changes = [c for c in changes_between(session, start, end) if c.units or c.kind == "bill"]
    tags = tags_by_change(session, [stored_id(c) for c in changes])
    matcher = Matcher(changes, tags)
    titles = {c.act_id: c.title for c in changes if c.act_id is not None}
    positions = current_positions(session, act_ids=[c.act_id for c in changes if c.act_id is not None],
                                  bill_ids=[c.bill_id for c in changes if c.bill_id is not None])
    public = public_positions_on(session, act_ids=[c.act_id for c in changes if c.act_id is not None],
                                 bill_ids=[c.bill_id for c in changes if c.bill_id is not None])
    identities = act_identities(session, {c.act_id for c in changes if c.act_id is not None and c.kind != "bill"})
    events = joint_events(session, start, end)
    orgs = {org.id: org for org in list_organisations(session)} if public or events else {}
    signers = signing_orgs(session, {event.joint_id for event in events})
    per_subscriber: dict[int, tuple[Subscriber, list[Subscription]]] = {}
    for subscriber, subscription in active_subscriptions(session, cadence="weekly"):
        per_subscriber.setdefault(stored_id(subscriber), (subscriber, []))[1].append(subscription)
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
                if stored_id(change) not in views:
                    others = tuple((orgs[p.org_id].name(subscriber.language), p.stance)
                                   for p in position_of(change, public) or () if p.org_id in orgs
                                   and (position is None or p.org_id != position.org_id))
                    views[stored_id(change)] = change_view(
                        change, tags.get(stored_id(change), []), subscriber.language, position,
                        page_url=change_url(change, base_url), base_url=base_url or DEFAULT_PUBLIC_URL,
                        act=identities.get(change.act_id) if change.act_id is not None else None,
                        org_positions=others)
            groups.append((f"{subscription.kind}:{subscription.value}",
                           section_name(subscription, subscriber.language, titles), [views[stored_id(c)] for c in matched]))
        sections = make_sections(groups, cap=cap)
        for section in sections:  # where "and N more" are: the topic's page, the act's or the bill's
            kind, _, value = section.topic.partition(":")
            section.url = (topic_url(value, base_url) if kind == "topic"
                           else f"{(base_url or DEFAULT_PUBLIC_URL).rstrip('/')}/{kind}s/{int(value)}"
                           if kind in ("act", "bill") else None)
        joint = joint_news(events, _followed(subscriptions), subscriber.language, orgs, signers, base_url)
        if not sections and not joint:
            continue  # nothing changed for this subscriber: no e-mail
        links = links_for(stored_id(subscriber), base_url=base_url, key=secret_key)
        digests.append((subscriber, render_digest(sections=sections, week=week, language=subscriber.language,
                                                  links=links, joint=joint), links))
    return digests


def queue_digests(session: Session, *, week: str, now: datetime | None = None, base_url: str | None = None,
                  secret_key: str | None = None, cap: int = 5) -> QueueReport:
    """One digest per subscriber with weekly subscriptions and something to say, queued once per week."""
    now = now or utcnow()
    report = QueueReport()
    for subscriber, rendered, links in compose_digests(session, week=week, base_url=base_url, secret_key=secret_key,
                                                         cap=cap):
        report.considered += 1
        added = enqueue(session, idempotency_key=f"digest:{subscriber.id}:{week}", subscriber_id=stored_id(subscriber),
                        kind="digest", to_address=subscriber.email, subject=rendered.subject, text_body=rendered.text,
                        html_body=rendered.html, unsubscribe_url=links.unsubscribe, now=now)
        report.queued += added
        report.already_queued += not added
    return report
