"""The calendar: `/calendar` (the coming dates, or a month's, of everything or of a topic, act or bill) and its
iCalendar feeds `/calendar/topic/{slug}.ics`, `/calendar/act/{id}.ics`, `/calendar/bill/{id}.ics` and
`/calendar/org/{slug}.ics` (an organisation's deadlines and the dates of what it holds positions on).

The facts are `tracker.calendar_events`'; the words are said here, in the reader's language (a feed's in `?lang=`,
Georgian by default: a calendar app sends no cookie). Every event links to Kanoni's own page of its act or bill.
A position's deadline is shown to the public only when the position is public; signed-in staff also see their own
organisation's others, a site admin every organisation's (and then the answer is not cached). A calendar app sends
no cookie: its feeds are the public ones. The feeds are made with `icalendar`: scraped titles and typed deadlines
are only ever property values, which the library escapes; all-day events are DATE values; each event's UID is
its fact's identity and its SEQUENCE and LAST-MODIFIED say when the fact last changed, so a calendar app updates
the event in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session
from starlette.responses import Response

from alerts.dates import date_in_words, format_range
from alerts.topics import load_taxonomy
from kanoni.web.dependencies import DB, WHOLE_MAX, CurrentSite, PageLanguage
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.topic_pages import topic_navigation
from kanoni.web.words import words_for
from tracker.calendar_events import (CalendarEvent, CalendarScope, act_scope, bill_scope, calendar_events,
                                     org_scope, subject_title, topic_scope)
from tracker.organisations import get_organisation, list_organisations

__all__ = ["UPCOMING", "CalendarItem", "calendar_feed", "calendar_router", "event_item"]

UPCOMING = 100  # events the upcoming list shows
ICS_TYPE = "text/calendar; charset=utf-8"
_SESSION_KINDS = ("reading_1", "reading_2", "reading_3", "law")


@dataclass(frozen=True)
class CalendarItem:
    """One event as the page and the feed say it: `label` what happens, `kind_label` the kind of date, `link` the
    event's page on Kanoni (a path), `details` the lines that follow (committees, where the day comes from)."""

    event: CalendarEvent
    kind_label: str
    label: str
    link: str
    details: tuple[str, ...]

    @property
    def summary(self) -> str:
        return f"{self.label} — {self.event.subject_title}" if self.event.subject_title else self.label


def _stage_label(facts: dict[str, Any], words: dict[str, str]) -> str:
    kind = str(facts.get("stage") or "other")
    name = str(facts.get("name") or "")
    if kind == "other":
        return name or words["stage_other"]
    label = words.get(f"stage_{kind}", kind)
    return f"{label} ({name})" if name and name != label else label


def _link(event: CalendarEvent) -> str:
    if event.kind == "version_in_force":
        return f"/acts/{event.subject_id}/versions/{int(event.facts['publication'])}"
    if event.kind == "bill_stage":
        return f"/bills/{event.subject_id}"
    return f"/{'bills' if event.subject_kind == 'bill' else 'acts'}/{event.subject_id}"


def event_item(event: CalendarEvent, lang: str, *, name_orgs: bool = True) -> CalendarItem:
    """The event in the reader's words; a deadline names its organisation when `name_orgs` (a site of several)."""
    words = words_for(lang)
    facts = dict(event.facts)
    details: list[str] = []
    if event.kind == "bill_stage":
        label = _stage_label(facts, words)
        source = facts.get("date_source")
        if facts.get("stage") in _SESSION_KINDS and source not in (None, "session"):
            details.append(words[f"date_from_{source}"])
        named = []
        for committee in facts.get("committees") or ():
            role = committee.get("role")
            said = words[f"calendar_{role}"] if role in ("lead", "opinion") else None
            named.append(str(committee.get("name", "")) + (f" ({said})" if said else ""))
        if named:
            details.append(f"{words['committees']}: {'; '.join(named)}")
    elif event.kind == "version_in_force":
        label = words["calendar_version_in_force"].format(n=facts.get("publication"))
    elif event.kind == "amendment_in_force":
        label = words["calendar_amendment_in_force"].format(number=facts.get("act_number") or facts.get("document_id"))
        if facts.get("title"):
            details.append(str(facts["title"]))
    elif event.kind == "act_in_force":
        label = words["calendar_act_in_force"]
    else:
        what = str(facts.get("what") or "").strip()
        org = str(facts.get(f"org_name_{lang}") or facts.get("org_name_ka") or facts.get("org") or "") if name_orgs else ""
        label = words["calendar_deadline_of"].format(org=org) if org else words["calendar_deadline"]
        label = f"{label}: {what}" if what else label
        if not event.public:
            details.append(words["calendar_staff_only"])
    return CalendarItem(event, words[f"calendar_kind_{event.kind}"], label, _link(event), tuple(details))


def calendar_feed(events: list[CalendarEvent], *, name: str, lang: str, base_url: str, name_orgs: bool = True) -> bytes:
    """The events as an iCalendar object (RFC 5545): one all-day VEVENT each, linked to its page at `base_url`."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kanoni//Calendar//KA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", words_for(lang)["calendar_intro"])
    base = base_url.rstrip("/")
    for event in events:
        item = event_item(event, lang, name_orgs=name_orgs)
        entry = Event()
        entry.add("uid", event.uid)
        # With no METHOD, DTSTAMP is when the event's information was last revised (RFC 5545 3.8.7.2): the
        # fact's own time, so the same facts give the same feed.
        entry.add("dtstamp", event.last_modified)
        entry.add("last-modified", event.last_modified)
        entry.add("sequence", event.sequence)
        entry.add("dtstart", event.on)
        entry.add("dtend", event.on + timedelta(days=1))
        entry.add("summary", item.summary)
        url = f"{base}{item.link}"
        entry.add("description", "\n".join([event.subject_title, *item.details, url]))
        entry.add("url", url)
        entry.add("categories", [item.kind_label])
        entry.add("transp", "TRANSPARENT")
        entry.add("class", "PUBLIC" if event.public else "PRIVATE")
        calendar.add_component(entry)
    return calendar.to_ical()


# -- which facts: a topic, an act, a bill, an organisation -------------------------------------------------------------------


def _union(scopes: list[CalendarScope]) -> CalendarScope:
    union = scopes[0]
    for scope in scopes[1:]:
        union = union | scope
    return union


class _Refused(ValueError):
    """A filter the page cannot read: answered with the word named."""


def _number(value: str | None) -> int | None:
    """A form's id field: None when left empty."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > len(str(WHOLE_MAX)):
        raise _Refused("bad_number")
    return int(value)


def _month(value: str | None) -> date | None:
    """`?month=2026-03`: its first day; None when left empty."""
    value = (value or "").strip()
    if not value:
        return None
    year, _, month = value.partition("-")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit() or not 1 <= int(month) <= 12:
        raise _Refused("calendar_bad_month")
    return date(int(year), int(month), 1)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _private_orgs(request: Request) -> frozenset[int] | None:
    """The organisations whose private deadlines the visitor may see: a member of staff's own, every one for a
    site admin (None), none for the public."""
    visitor = getattr(request.state, "visitor", None)
    staff = visitor.staff if visitor else None
    if staff is None:
        return frozenset()
    if staff.is_admin:
        return None
    return frozenset({staff.org_id}) if staff.org_id else frozenset()


def _sees_private(private_orgs: frozenset[int] | None, org_id: int | None = None) -> bool:
    if private_orgs is None:
        return True
    return bool(private_orgs) if org_id is None else org_id in private_orgs


def private_feed_key(secret_key: str, org_id: int, slug: str) -> str:
    """The key of an organisation's private feed: a calendar app sends no cookie, so the feed's address carries a
    signature of the organisation instead. Shown only to its staff; a new site secret revokes every key."""
    return URLSafeSerializer(secret_key, salt="kanoni-calendar-org").dumps([org_id, slug])


def _key_opens(secret_key: str, key: str | None, org_id: int, slug: str) -> bool:
    if not key or len(key) > 200:
        return False
    try:
        return URLSafeSerializer(secret_key, salt="kanoni-calendar-org").loads(key) == [org_id, slug]
    except BadSignature:
        return False


calendar_router = html_router()


@calendar_router.get("/calendar")
def calendar_page(request: Request, db: DB, lang: PageLanguage, topic: str | None = None, act: str | None = None,
                  bill: str | None = None, org: str | None = None, month: str | None = None) -> Response:
    """The coming dates (or `?month=2026-03`'s) of everything, or of `?topic=`, `?act=`, `?bill=`, `?org=`
    (together: all of theirs); an unknown topic, act, bill or organisation is a 404."""
    words = words_for(lang)
    try:
        act_id, bill_id, first = _number(act), _number(bill), _month(month)
    except _Refused as refused:
        return message_page(request, words[str(refused)], status=400)
    topic = (topic or "").strip() or None
    scopes: list[CalendarScope] = []
    shown: list[tuple[str, str]] = []  # (what, link) the page says it shows
    if topic is not None:
        found = load_taxonomy().topic(topic)
        if found is None:
            return message_page(request, words["topic_not_found"], status=404)
        scopes.append(topic_scope(db, topic))
        shown.append((found.name(lang), f"/topics/{topic}"))
    for kind, number, scope_of in (("act", act_id, act_scope), ("bill", bill_id, bill_scope)):
        if number is not None:
            found_scope = scope_of(db, number)
            if found_scope is None:
                return message_page(request, words["not_found"], status=404)
            scopes.append(found_scope)
            shown.append((subject_title(db, kind, number) or str(number), f"/{kind}s/{number}"))
    private = _private_orgs(request)
    org = (org or "").strip() or None
    if org is not None:
        member = get_organisation(db, org)
        org_facts = org_scope(db, org, private=member is not None and _sees_private(private, member.id))
        if member is None or org_facts is None:
            return message_page(request, words["not_found"], status=404)
        scopes.append(org_facts)
        shown.append((member.name(lang), f"/calendar?org={member.slug}"))
    scope = _union(scopes) if scopes else None
    today = date.today()
    if first is not None:
        end = _month_end(first)
        events = calendar_events(db, scope, start=first, end=end, private_orgs=private)
        heading = format_range(first, end, lang)
        capped = False
    else:
        first = today.replace(day=1)
        events = calendar_events(db, scope, start=today, private_orgs=private)
        capped = len(events) > UPCOMING
        events = events[:UPCOMING]
        heading = words["calendar_upcoming"]
    organisations = [(o.slug, o.name(lang)) for o in list_organisations(db)]
    days: dict[date, list[CalendarItem]] = {}
    for event in events:
        days.setdefault(event.on, []).append(event_item(event, lang, name_orgs=len(organisations) > 1))
    filters = {"topic": topic or "", "act": "" if act_id is None else str(act_id),
               "bill": "" if bill_id is None else str(bill_id), "org": org or ""}
    kept = urlencode([(k, v) for k, v in filters.items() if v])

    def month_link(day: date) -> str:
        return f"/calendar?month={day:%Y-%m}" + (f"&{kept}" if kept else "")

    feeds = [f"/calendar/topic/{topic}.ics"] if topic else []
    feeds += [f"/calendar/act/{act_id}.ics"] if act_id is not None else []
    feeds += [f"/calendar/bill/{bill_id}.ics"] if bill_id is not None else []
    feeds += [f"/calendar/org/{org}.ics"] if org else []
    private_feed = None
    if org is not None and member is not None and _sees_private(private, member.id):
        key = private_feed_key(request.app.state.site.secret_key, member.id, member.slug)
        private_feed = f"/calendar/org/{member.slug}.ics?{urlencode({'key': key, 'lang': lang})}"
    return render_page(
        request, "calendar.html", title_key="calendar", heading=heading, capped=capped, upcoming=UPCOMING,
        days=[(day, day.isoformat(), date_in_words(day, lang), items) for day, items in days.items()],
        filters=filters, shown=shown, topics=topic_navigation(lang), organisations=organisations,
        feeds=[f"{f}?lang={lang}" for f in feeds], private_feed=private_feed,
        previous=month_link((first - timedelta(days=1)).replace(day=1)), this_month=month_link(today.replace(day=1)),
        next=month_link(_month_end(first) + timedelta(days=1)))


def _feed(request: Request, db: Session, scope: CalendarScope, name: str, lang: str, base_url: str,
          private: frozenset[int] | None = None) -> Response:
    private = _private_orgs(request) if private is None else private
    events = calendar_events(db, scope, private_orgs=private)
    body = calendar_feed(events, name=f"{words_for(lang)['site']} — {name}", lang=lang, base_url=base_url,
                         name_orgs=len(list_organisations(db)) > 1)
    # A signed-in member of staff's feed may hold private deadlines: never kept by a cache.
    cache = "private, no-store" if _sees_private(private) else "no-cache"
    return Response(body, media_type=ICS_TYPE, headers={"Cache-Control": cache})


@calendar_router.get("/calendar/topic/{slug}.ics")
def topic_calendar(request: Request, slug: str, db: DB, lang: PageLanguage, site: CurrentSite) -> Response:
    topic = load_taxonomy().topic(slug)
    if topic is None:
        return message_page(request, words_for(lang)["topic_not_found"], status=404)
    return _feed(request, db, topic_scope(db, slug), topic.name(lang), lang, site.public_url)


@calendar_router.get("/calendar/act/{act_id:id}.ics")
def act_calendar(request: Request, act_id: int, db: DB, lang: PageLanguage, site: CurrentSite) -> Response:
    scope = act_scope(db, act_id)
    if scope is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    return _feed(request, db, scope, subject_title(db, "act", act_id), lang, site.public_url)


@calendar_router.get("/calendar/bill/{bill_id:id}.ics")
def bill_calendar(request: Request, bill_id: int, db: DB, lang: PageLanguage, site: CurrentSite) -> Response:
    scope = bill_scope(db, bill_id)
    if scope is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    return _feed(request, db, scope, subject_title(db, "bill", bill_id), lang, site.public_url)


@calendar_router.get("/calendar/org/{slug}.ics")
def org_calendar(request: Request, slug: str, db: DB, lang: PageLanguage, site: CurrentSite,
                 key: str | None = None) -> Response:
    """The organisation's position deadlines and the dates of the acts and bills it holds positions on: its public
    positions' for everyone, all of them for its own staff (signed in), a site admin, and a calendar app given the
    organisation's private feed address (`?key=`, see `private_feed_key`). A wrong key is a 403, never quietly
    the public feed: the subscriber would believe they see everything."""
    member = get_organisation(db, slug)
    if member is None:
        return message_page(request, words_for(lang)["not_found"], status=404)
    private = _private_orgs(request)
    if key is not None:
        if not _key_opens(site.secret_key, key, member.id, member.slug):
            return message_page(request, words_for(lang)["calendar_key_refused"], status=403)
        private = frozenset({member.id}) if private is not None else None
    scope = org_scope(db, slug, private=_sees_private(private, member.id))
    assert scope is not None
    return _feed(request, db, scope, member.name(lang), lang, site.public_url, private=private)
