"""Changes by topic: the dashboard's entries, a topic's page `/topics/{slug}` and its Atom feed.

Each change is one entry, with every topic it was tagged with, a short summary of what happened (the units
it changed and how, or the bill's events, in the reader's language) and a link to its page on Kanoni: the
diff between the two versions it compares, else the bill's page or the act's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from fastapi import Request
from starlette.responses import Response

from alerts.feed import atom_feed
from alerts.i18n import known_keys, translate
from alerts.outgoing import change_view
from alerts.topics import Topic, load_taxonomy
from alerts.views import ChangeView
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.words import words_for
from tracker.alert_models import Change
from tracker.changes import changes_for_topic, publications_compared, tags_by_change

__all__ = ["ChangeEntry", "change_entries", "change_link", "topic_navigation", "topic_router", "unknown_topic_page"]

SUMMARY_UNITS = 3  # units named in an entry's summary; the rest are counted
TOPIC_CHANGES = 50  # changes on a topic's page and in its feed
_KINDS = known_keys("kind_")


@dataclass(frozen=True)
class ChangeEntry:
    """One change as a page lists it: once, with all its topics (slug, name)."""

    view: ChangeView
    link: str | None
    summary: str
    topics: tuple[tuple[str, str], ...]

    @property
    def detected_on(self) -> date:
        return self.view.detected_on


def change_link(change: Change, compared: dict[int, tuple[int, int]]) -> str | None:
    """The change's page on Kanoni: its diff, else its bill's page (a bill's change opens the bill), else its act's."""
    if change.id in compared:
        older, newer = compared[change.id]
        return f"/acts/{change.act_id}/diff?from={older}&to={newer}"
    if change.kind == "bill" and change.bill_id:
        return f"/bills/{change.bill_id}"
    if change.act_id:
        return f"/acts/{change.act_id}"
    return f"/bills/{change.bill_id}" if change.bill_id else None


def summary(view: ChangeView, lang: str) -> str:
    """What happened, in a line: "Article 5: amended; Article 7: added; and 4 more"; a bill's events as they
    are named ("passed the first reading (2026-03-01)")."""
    parts = []
    for unit in view.units[:SUMMARY_UNITS]:
        name = unit.get("label", "")
        kind = str(unit.get("kind", ""))
        if view.kind == "bill" or unit.get("event"):
            parts.append(name)  # an event's label says what happened
        else:
            how = translate(f"kind_{kind}", lang) if f"kind_{kind}" in _KINDS else kind
            parts.append(f"{name}: {how}" if name else how)
    parts = [part for part in parts if part]
    rest = len(view.units) - SUMMARY_UNITS
    if rest > 0:
        parts.append(words_for(lang)["and_more"].format(n=rest))
    return "; ".join(parts)


def change_entries(session, changes: list[Change], lang: str) -> list[ChangeEntry]:
    """The changes as entries, in the order given, each once."""
    unique = list({change.id: change for change in changes}.values())
    tags = tags_by_change(session, [c.id for c in unique if c.id is not None])
    compared = publications_compared(session, unique)
    entries = []
    for change in unique:
        view = change_view(change, tags.get(change.id, []) if change.id is not None else [], lang)
        topics = tuple(dict.fromkeys((tag.topic, tag.topic_name) for tag in view.tags))
        entries.append(ChangeEntry(view, change_link(change, compared), summary(view, lang), topics))
    return entries


def topic_navigation(lang: str) -> list[tuple[str, str]]:
    """Every topic of the taxonomy as (slug, name), in the reader's language, in the taxonomy's order."""
    return [(topic.slug, topic.name(lang)) for topic in load_taxonomy().topics]


def _topic(slug: str) -> Topic | None:
    return load_taxonomy().topic(slug)


topic_router = html_router()


def _topics_page(request: Request, lang: str, *, status: int = 200) -> Response:
    """Every topic with what it covers; for an unknown topic, a 404 that says so above the list."""
    listed = [(t.slug, t.name(lang), t.description(lang)) for t in load_taxonomy().topics]
    notice = words_for(lang)["topic_not_found"] if status == 404 else None
    return render_page(request, "topics.html", title_key="topics" if notice is None else "not_found", status=status,
                       topics=listed, notice=notice)


def unknown_topic_page(request: Request, lang: str) -> Response:
    """404: no such topic, and the topics there are."""
    return _topics_page(request, lang, status=404)


@topic_router.get("/topics")
def topics(request: Request, lang: PageLanguage) -> Response:
    return _topics_page(request, lang)


@topic_router.get("/topics/{slug}")
def topic_page(request: Request, slug: str, db: DB, lang: PageLanguage) -> Response:
    topic = _topic(slug)
    if topic is None:
        return unknown_topic_page(request, lang)
    entries = change_entries(db, changes_for_topic(db, slug, limit=TOPIC_CHANGES), lang)
    return render_page(request, "topic.html", title=topic.name(lang), topic=topic, current_topic=slug,
                       description=topic.description(lang), entries=entries, navigation=topic_navigation(lang),
                       feed=f"/topics/{slug}/feed.atom?lang={lang}", newest=TOPIC_CHANGES)


@topic_router.get("/topics/{slug}/feed.atom")
def topic_feed(request: Request, slug: str, db: DB, lang: PageLanguage, site: CurrentSite) -> Response:
    """The topic's Atom feed in `?lang=` (Georgian by default: a feed reader sends no cookie); each entry
    links to the change's page on the site (`public_url`)."""
    topic = _topic(slug)
    if topic is None:
        return message_page(request, words_for(lang)["topic_not_found"], status=404)
    base = site.public_url.rstrip("/")
    entries = change_entries(db, changes_for_topic(db, slug, limit=TOPIC_CHANGES), lang)
    views = [replace(entry.view, url=f"{base}{entry.link}" if entry.link else entry.view.url) for entry in entries]
    body = atom_feed(topic=slug, title=topic.name(lang), changes=views, base_url=base, language=lang)
    return Response(body, media_type="application/atom+xml; charset=utf-8",
                    headers={"Cache-Control": "no-cache"})
