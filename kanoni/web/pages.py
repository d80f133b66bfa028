"""The site's HTML pages: dashboard, acts, a diff between versions, bills, subscribe, brief downloads.

Plain `def` endpoints on `page_router`: FastAPI runs them, and the database session they ask for, in its
thread pool. Versions and formats in the address are checked by the framework; a refused one is the site's
400 page (kanoni.web.routing)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace as dataclass_replace
from itertools import count
from typing import Annotated, Literal, get_args
from urllib.parse import quote, urlencode

from fastapi import BackgroundTasks, Depends, Query, Request
from markupsafe import Markup
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from alerts.addresses import InvalidSubscriberInput, positive_int
from alerts.delivery import send_confirmations
from alerts.subscribe import request_subscription
from alerts.topics import load_taxonomy
from diffing import apply_amendment, document_from_units, parse_amendment, to_html
from diffing.labels import label
from diffing.units import PROVISION_LEVELS
from kanoni.verification import discrepancies
from alerts.dates import date_in_words
from kanoni.web.bill_progress import progress
from kanoni.web.defined_terms import mark_line, term_marker
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage, SiteState, within_subscribe_limit
from kanoni.web.joint_pages import joint_blocks
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.topic_pages import change_entries, topic_navigation, unknown_topic_page
from kanoni.web.version_pages import provision_anchor
from kanoni.web.visitor import CheckedForm, CurrentVisitor, Visitor, signed_in
from kanoni.web.words import run_reason, words_for
from reports import DEFAULT_AUTHOR, FORMATS, PdfUnavailable, render
from reports.brief import application_problems
from reports.load import BriefSourceError, load_act_brief, load_bill_brief
from tracker import db as tracker_db
from tracker.changes import recent_changes
from tracker.parliament_queries import bill_detail, bill_draft_text, bill_file_text, bill_page_facts, list_bills
from tracker.organisations import list_organisations
from tracker.positions import get_position, public_positions
from tracker.proposals import packages_for_bill
from tracker.queries import (
    act_detail,
    act_titles,
    list_acts,
    recent_runs,
    version_translation,
    version_units,
)

__all__ = ["Layout", "OptionalVersion", "Redline", "Redlines", "article_anchor", "page_router", "site_redlines"]

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
Layout = Literal["inline", "side-by-side"]
DIFF_LAYOUTS = get_args(Layout)


def _number(value: object) -> int | None:
    """A publication number from the address: 0 (the original text) or a positive number."""
    return 0 if value == "0" else positive_int(value if isinstance(value, str) else None)


def _optional_version(value: object) -> int | None:
    """A diff's or a brief's `from` or `to`: left out (or empty) for the default versions; anything else but a
    number is refused as "bad_number" (400), not silently the default versions."""
    if value in (None, ""):
        return None
    number = _number(value)
    if number is None:
        raise PydanticCustomError("bad_number", "not a version number")
    return number


def _brief_format(value: object) -> str:
    if value not in FORMATS:
        raise ValueError(f"one of {', '.join(FORMATS)}")
    return str(value)


OptionalVersion = Annotated[int | None, BeforeValidator(_optional_version)]
BriefFormat = Annotated[str, BeforeValidator(_brief_format), Query()]


def _message(request: Request, lang: str, key: str, status: int) -> HTMLResponse:
    return message_page(request, words_for(lang)[key], status=status)


def article_anchor(key: str) -> str:
    """The id of an article's section on its act page: "12^1" → "article-12-1", "annex-1/5" → "article-annex-1-5"."""
    return "article-" + (re.sub(r"[^0-9A-Za-z]+", "-", key).strip("-") or "x")


def _article_histories(units: list[dict], lang: str) -> list[dict]:
    """Each article of a version (or point, in an act without articles): its anchor, label, heading,
    text and the acts that amended it."""
    stored = [unit for unit in units if unit["kind"] in PROVISION_LEVELS]
    nodes = document_from_units(units).articles
    if len(stored) != len(nodes):  # the two walks disagree: show no history rather than a wrong one
        return []
    return [{"anchor": article_anchor(unit["key"]), "key": unit["key"], "label": label(node.key, lang),
             "permalink": provision_anchor(node.key),
             "heading": node.heading, "text": node.body, "history": [entry.text for entry in node.history]}
            for unit, node in zip(stored, nodes)]


def _english_translation(translation: dict | None, articles: list[dict]) -> dict:
    """What an English page says about the official translation of the version it shows.

    state "present" (with its units, and each article's translation set on `articles`), "missing"
    (Matsne has none) or "unknown" (nobody looked: crawled without --translations).
    """
    if translation is None:
        return {"state": "unknown", "units": []}
    if translation["status"] != "present":
        return {"state": "missing", "units": []}
    by_key = {unit["key"]: unit for unit in translation["units"] if unit["kind"] == "article"}
    for article in articles:
        article["english"] = by_key.get(article["key"])
    return {"state": "present", "title": translation["title"], "units": translation["units"]}


def _draft_applied(draft: str, target: dict, lang: str) -> dict:
    """A bill's draft applied to the act it amends: the redline, and what could not be applied or read."""
    amendment = parse_amendment(draft)
    application = apply_amendment(document_from_units(target["units"]), amendment)
    return {"publication": target["publication"], "instructions": len(application.outcomes),
            "applied": len(application.applied), "failed": application_problems(amendment.problems, application),
            "html": Markup(to_html(application.diff, lang=lang, standalone=False))}  # the engine escapes the text


Redline = tuple[str | None, Markup | None]


class Redlines:
    """The site's last `size` redlines, (the act's title, the redline) or (None, None), keyed on both versions'
    content hashes: a kept redline is one of exactly these two texts (stored versions never change: history
    is append-only). One per site, on `app.state.redlines`."""

    def __init__(self, size: int = 32) -> None:
        self._kept: OrderedDict[tuple, Redline] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def get(self, key: tuple, draw: Callable[[], Redline]) -> Redline:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        drawn = draw()  # outside the lock: another diff need not wait for this one
        with self._lock:
            self._kept[key] = drawn
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return drawn


def site_redlines(request: Request) -> Redlines:
    return request.app.state.redlines


# The pages read the database through `tracker` and write only through `alerts.subscribe`.
page_router = html_router()


@page_router.get("/")
def dashboard(request: Request, db: DB, lang: PageLanguage, topic: str | None = None) -> Response:
    """The newest changes, each once with all its topics, under a list of the topics' pages; `?topic=`
    opens that topic's page (an unknown one is "not found")."""
    if topic:  # `?topic=` left empty: the whole dashboard
        if load_taxonomy().topic(topic) is None:
            return unknown_topic_page(request, lang)
        query = urlencode({"lang": request.query_params["lang"]}) if "lang" in request.query_params else ""
        return RedirectResponse(f"/topics/{quote(topic)}" + (f"?{query}" if query else ""), status_code=303)
    entries = change_entries(db, recent_changes(db, limit=100), lang)
    return render_page(request, "dashboard.html", title_key="dashboard", entries=entries,
                       navigation=topic_navigation(lang))


@page_router.get("/health")
def health(request: Request, db: DB, lang: PageLanguage) -> Response:
    # A run keeps why as a code and facts (crawlers.health): said here in the visitor's language.
    runs = [{**run, "why": run_reason(lang, run["reason"], run["reason_facts"])} for run in recent_runs(db, 20)]
    return render_page(request, "health.html", title_key="health", runs=runs)


@page_router.get("/healthz")
def healthz() -> Response:
    """The process is alive and answering (for a supervisor or load balancer): no database, always 200."""
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


@page_router.get("/readyz")
def readyz(request: Request) -> Response:
    """Ready to serve: the database answers and is migrated to the latest revision (200), else 503 with the
    one-line reason. A plain `def`: the check runs in the thread pool, off the event loop."""
    reason = tracker_db.not_ready(request.app.state.engine)
    if reason is not None:
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503,
                            headers={"Cache-Control": "no-store", "Retry-After": "5"})
    return JSONResponse({"status": "ready"}, headers={"Cache-Control": "no-store"})


@page_router.get("/acts")
def acts(request: Request, db: DB) -> Response:
    return render_page(request, "acts.html", title_key="acts", acts=list_acts(db))


@page_router.get("/acts/{act_id:id}")
def act(request: Request, act_id: int, db: DB, lang: PageLanguage, visitor: CurrentVisitor) -> Response:
    detail = act_detail(db, act_id, include_articles=False)
    if detail is None:
        return _message(request, lang, "not_found", 404)
    entries = change_entries(db, recent_changes(db, act_id=act_id, limit=50), lang)
    latest = version_units(db, act_id)
    position = _own_position(db, visitor, "act", act_id)
    # English pages show Matsne's official translation of the version they show, where it has one.
    shown = latest["publication"] if latest else None
    translation = version_translation(db, act_id, shown, "en") if lang == "en" and shown is not None else None
    versions = [{**{key: v[key] for key in ("publication", "valid_from", "valid_to")},
                 "english": v.get("translations", {}).get("en", {}).get("status")} for v in detail["versions"]]
    publications = [v["publication"] for v in versions]
    articles = _article_histories(latest["units"] or [], lang) if latest else []
    # The terms the act defines, marked where its text uses them (escaped as they are cut: scraped text).
    marker = term_marker(latest["units"] or []) if articles and latest else None
    notes = count(1)
    for article in articles:
        seen: set[str] = set()  # each term once an article
        article["lines"] = [mark_line(line, marker, notes=notes, unit=article["key"], lang=lang, seen=seen)
                            for line in article["text"].split("\n")]
    english = _english_translation(translation, articles) if lang == "en" and shown is not None else None
    return render_page(request, "act.html", title=detail["title"] or str(act_id), act=detail, versions=versions,
                       publications=publications, formats=FORMATS, entries=entries, articles=articles,
                       latest_publication=latest["publication"] if latest else None, position=position,
                       joint_positions=joint_blocks(db, "act", act_id, visitor.staff, lang),
                       public_stances=_public_stances(db, "act", act_id),
                       english=english, discrepancies=discrepancies(db, act_id, lang),
                       default_from=publications[-2] if len(publications) > 1 else None,
                       default_to=publications[-1] if publications else None)


def _own_position(db, visitor: Visitor, kind: str, subject_id: int):
    """The signed-in person's organisation's position, private or public (None for visitors, and for a site
    admin of no organisation: the single-organisation site's own then)."""
    if visitor.staff is None:
        return None
    return get_position(db, kind=kind, subject_id=subject_id, org_id=visitor.staff.org_id)


def _public_stances(db, kind: str, subject_id: int) -> list[tuple]:
    """Every organisation's public position on the subject, with its directory entry: shown to everyone."""
    found = public_positions(db, kind=kind, subject_id=subject_id)
    if not found:
        return []
    orgs = {org.id: org for org in list_organisations(db)}
    return [(orgs[p.org_id], p) for p in found if p.org_id in orgs]


BriefCopy = Literal["external", "internal"]


def _brief_response(request: Request, lang: str, db, load: Callable, fmt: str, filename: str, *, visitor: Visitor,
                    site: SiteState, copy: str = "external") -> Response:
    """A brief to download: the external copy (no names, no internal notes) unless signed-in staff ask for the
    internal one (`copy=internal`; anyone else is sent to sign in first). A visitor who is not staff sees the
    position only when it is public. HTML opens in the browser; the other formats are files."""
    internal = copy == "internal"
    if internal:
        signed_in(request, visitor)  # not signed in: Refused, a redirect to /login and back
    try:
        brief = load(db, visitor.staff.org_id if visitor.staff else None)
        if brief.position is not None and not (visitor.staff or brief.position.public):
            brief = dataclass_replace(brief, position=None)  # a private stance is for staff only
        body = render(brief, fmt, lang=lang, internal=internal, organisation=site.organisation_name,
                      author=site.organisation_name or DEFAULT_AUTHOR)
    except BriefSourceError:
        return _message(request, lang, "not_found", 404)
    except PdfUnavailable:
        return Response("PDF rendering is not available on this server.", status_code=503, media_type="text/plain")
    name = f"{filename}{'-internal' if internal else ''}.{fmt}"
    disposition = "inline" if fmt == "html" else "attachment"  # an HTML brief opens in the browser, to read or print
    return Response(body, media_type=CONTENT_TYPES[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"', "Cache-Control": "no-store",
                             # the brief is a standalone page: nothing of it may run or load from elsewhere
                             **({"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}
                                if fmt == "html" else {})})


@page_router.get("/acts/{act_id:id}/brief")
def act_brief(request: Request, act_id: int, db: DB, lang: PageLanguage, visitor: CurrentVisitor, site: CurrentSite,
              older: Annotated[OptionalVersion, Query(alias="from")] = None,
              newer: Annotated[OptionalVersion, Query(alias="to")] = None, format: BriefFormat = "html",  # noqa: A002
              copy: BriefCopy = "external") -> Response:
    return _brief_response(request, lang, db, lambda session, org_id: load_act_brief(
        session, act_id=act_id, from_publication=older, to_publication=newer, org_id=org_id), format, f"kanoni-act-{act_id}",
        visitor=visitor, site=site, copy=copy)


@page_router.get("/bills")
def bills(request: Request, db: DB) -> Response:
    return render_page(request, "bills.html", title_key="bills", bills=list_bills(db))


@page_router.get("/bills/{bill_id:id}")
def bill(request: Request, bill_id: int, db: DB, lang: PageLanguage, visitor: CurrentVisitor) -> Response:
    detail = bill_detail(db, bill_id)
    facts = bill_page_facts(db, bill_id)
    if detail is None or facts is None:
        return _message(request, lang, "not_found", 404)
    titles = {}
    for act_id in detail["amends"]:
        linked = act_detail(db, act_id, publication=-1)  # metadata only: no version -1 exists
        titles[act_id] = (linked or {}).get("title") or str(act_id)
    enacted = facts["enacted_version"]
    if enacted is not None:
        enacted = {**enacted, "valid_from_words": date_in_words(enacted["valid_from"], lang),
                   "matched_on_words": date_in_words(enacted["matched_on"], lang),
                   "title": titles.get(enacted["act_id"]) or str(enacted["act_id"])}
    became_law = detail["status"] == "law"
    # How the act would read if the bill passed: only while it has not (a law's real version is linked instead).
    draft = bill_draft_text(db, bill_id) if not became_law else None
    target = version_units(db, detail["amends"][0]) if detail["amends"] and draft else None
    position = _own_position(db, visitor, "bill", bill_id)
    # The network's own drafts: staff only, each their own organisation's (a site admin every one).
    packages = (packages_for_bill(db, bill_id, org_id=None if visitor.staff.is_admin else visitor.staff.org_id or 0)
                if visitor.staff else [])
    applied = _draft_applied(draft, target, lang) if draft and target and target["units"] else None
    return render_page(request, "bill.html", title=detail["title"] or str(bill_id), bill=detail,
                       act_titles=titles, formats=FORMATS, applied=applied, has_draft=bool(draft),
                       joint_positions=joint_blocks(db, "bill", bill_id, visitor.staff, lang),
                       position=position, public_stances=_public_stances(db, "bill", bill_id),
                       packages=packages, steps=progress(detail, facts, lang), facts=facts, enacted=enacted,
                       became_law=became_law, registered_words=date_in_words(detail["registered"], lang))


@page_router.get("/bills/{bill_id:id}/files/{file_id:id}")
def bill_file(request: Request, bill_id: int, file_id: int, db: DB, lang: PageLanguage) -> Response:
    """A stored attachment's extracted text, escaped like every scraped text, with the original's link."""
    detail = bill_detail(db, bill_id)
    stored = bill_file_text(db, bill_id, file_id)
    if detail is None or stored is None:
        return _message(request, lang, "not_found", 404)
    return render_page(request, "bill_file.html", title=stored["name"] or stored["type"] or str(file_id),
                       bill=detail, file=stored, fetched_words=date_in_words(stored["fetched_at"], lang))


@page_router.get("/bills/{bill_id:id}/brief")
def bill_brief(request: Request, bill_id: int, db: DB, lang: PageLanguage, visitor: CurrentVisitor,
               site: CurrentSite, format: BriefFormat = "html", copy: BriefCopy = "external") -> Response:  # noqa: A002
    return _brief_response(request, lang, db, lambda session, org_id: load_bill_brief(session, bill_id=bill_id,
                                                                                      org_id=org_id), format,
                           f"kanoni-bill-{bill_id}", visitor=visitor, site=site, copy=copy)


def _followed_here(db, acts: list[str], bills: list[str], lang: str) -> list[tuple[str, str, str]]:
    """The acts and bills a follow form carries: (field, value) to keep, and the name to show; numbers that
    are not numbers are left for `request_subscription` to refuse."""
    numbers = [int(a) for a in acts if positive_int(a) is not None]
    titles = act_titles(db, numbers) if numbers else {}
    words = words_for(lang)
    shown = []
    for value in acts:
        number = positive_int(value)
        shown.append(("act", value, f"{words['summary_act']}: {titles.get(number) or value}" if number else value))
    for value in bills:
        number = positive_int(value)
        detail = bill_detail(db, number) if number else None
        name = (detail or {}).get("title") or (detail or {}).get("number") or value
        shown.append(("bill", value, f"{words['summary_bill']}: {name}"))
    return shown


def _subscribe_form(request: Request, db, lang: str, *, form: dict | None = None, error: str | None = None,
                    status: int = 200) -> Response:
    topics = [(t.slug, t.name(lang), t.description(lang)) for t in load_taxonomy().topics]
    form = form or {"topics": [], "acts": [], "bills": []}
    following = _followed_here(db, form.get("acts", []), form.get("bills", []), lang)
    return render_page(request, "subscribe.html", title_key="subscribe", status=status, topics=topics,
                       error=error, form=form, following=following)


def _numbers(values: list) -> list[str]:
    return [str(v).strip() for v in values if str(v).strip()][:20]


@page_router.get("/subscribe")
def subscribe_get(request: Request, db: DB, lang: PageLanguage) -> Response:
    """The form; `?act=` / `?bill=` (a follow link) pre-fill what it will follow."""
    acts = _numbers([a for a in request.query_params.getlist("act") if positive_int(a) is not None])
    bills = _numbers([b for b in request.query_params.getlist("bill") if positive_int(b) is not None])
    return _subscribe_form(request, db, lang, form={"topics": [], "acts": acts, "bills": bills})


@page_router.post("/subscribe", dependencies=[Depends(within_subscribe_limit)])
def subscribe_post(request: Request, data: CheckedForm, db: DB, site: CurrentSite, lang: PageLanguage,
                   background: BackgroundTasks) -> Response:
    email, name, organisation = (str(data.get(field, "")) for field in ("email", "name", "organisation"))
    keyword, language = str(data.get("keyword", "")).strip(), str(data.get("language", lang))
    topics, weekly = [str(t) for t in data.getlist("topic")], bool(data.get("weekly"))
    acts, bills = _numbers(data.getlist("act")), _numbers(data.getlist("bill"))  # from an act's or a bill's page
    form = {"email": email, "name": name, "organisation": organisation, "keyword": keyword, "topics": topics,
            "weekly": weekly, "language": language, "acts": acts, "bills": bills}
    try:
        # Links use the configured public URL, never the Host header a client sent.
        # A known address changes nothing until its owner follows the link mailed to it (issue 19).
        request_subscription(db, email=email, name=name, organisation=organisation, lang=language, topics=topics,
                             keywords=[keyword] if keyword else [], acts=acts, bills=bills, weekly=weekly,
                             base_url=site.public_url, secret_key=site.secret_key, stored_only=True)
    except InvalidSubscriberInput as error:
        db.rollback()
        return _subscribe_form(request, db, lang, form=form, error=str(error).splitlines()[0], status=400)
    if site.mail is not None:
        # "We sent you a link" should be true within seconds: sent once the answer has gone (the session is
        # committed by then), in the thread pool, never on the event loop; a server that is down leaves it
        # queued for the next run.
        background.add_task(send_confirmations, engine=request.app.state.engine, settings=site.mail)
    return _message(request, lang, "check_email", 200)
