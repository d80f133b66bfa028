"""The site's HTML pages: dashboard, acts, a diff between versions, bills, subscribe, brief downloads."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from markupsafe import Markup
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from alerts.addresses import InvalidSubscriberInput, positive_int
from alerts.outgoing import change_view
from alerts.subscribe import request_subscription
from alerts.topics import load_taxonomy
from diffing import apply_amendment, diff_documents, document_from_units, parse_amendment, to_html
from diffing.labels import label
from diffing.units import PROVISION_LEVELS
from kanoni.web.rendering import language_of, message_page, render_page
from kanoni.web.security import RateLimiter
from kanoni.web.visitor import posted_form, visitor_of
from kanoni.web.words import words_for
from reports import FORMATS, PdfUnavailable, render
from reports.brief import application_problems
from reports.load import BriefSourceError, load_act_brief, load_bill_brief
from tracker import db as tracker_db
from tracker.changes import publications_compared, recent_changes, tags_by_change
from tracker.parliament_queries import bill_detail, bill_draft_text, list_bills
from tracker.positions import get_position
from tracker.queries import (
    act_detail,
    list_acts,
    recent_runs,
    version_content_hash,
    version_translation,
    version_units,
)

__all__ = ["article_anchor", "page_routes"]

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
DIFF_LAYOUTS = ("inline", "side-by-side")


def _number(value: str | None) -> int | None:
    """A publication number from the address: 0 (the original text) or a positive number."""
    return 0 if value == "0" else positive_int(value)


def _message(request: Request, key: str, status: int) -> HTMLResponse:
    return message_page(request, words_for(language_of(request))[key], status=status)


def _change_views(session, changes, lang: str) -> list:
    tags = tags_by_change(session, [c.id for c in changes])
    compared = publications_compared(session, changes)
    views = []
    for change in changes:
        view = change_view(change, tags.get(change.id, []), lang)
        if change.id in compared:
            older, newer = compared[change.id]
            link = f"/acts/{change.act_id}/diff?from={older}&to={newer}"
        else:
            link = f"/acts/{change.act_id}" if change.act_id else (f"/bills/{change.bill_id}" if change.bill_id else None)
        views.append((view, link))
    return views


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


def page_routes(engine: Engine, limiter: RateLimiter, *, public_url: str, secret_key: str) -> list[Route]:
    """The pages, reading the database through `tracker` and writing only through `alerts.subscribe`, whose
    mailed links point at `public_url` and are signed with `secret_key`."""

    def dashboard(request: Request) -> Response:
        lang = language_of(request)
        with tracker_db.session(engine) as session:
            views = _change_views(session, recent_changes(session, limit=100), lang)
        groups: dict[str, list] = defaultdict(list)
        other = words_for(lang)["other_topics"]
        for view, link in views:
            item = {"title": view.title, "headline": view.headline, "detected_on": view.detected_on, "link": link}
            for topic_name in dict.fromkeys(tag.topic_name for tag in view.tags) or [other]:
                groups[topic_name].append(item)
        ordered = sorted(groups.items(), key=lambda pair: (pair[0] == other, pair[0]))
        return render_page(request, "dashboard.html", title_key="dashboard", groups=ordered)

    def acts(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            rows = list_acts(session)
        return render_page(request, "acts.html", title_key="acts", acts=rows)

    def act(request: Request) -> Response:
        act_id = request.path_params["act_id"]
        lang = language_of(request)
        staff = visitor_of(request).staff
        with tracker_db.session(engine) as session:
            detail = act_detail(session, act_id, include_articles=False)
            if detail is None:
                return _message(request, "not_found", 404)
            changes = _change_views(session, recent_changes(session, act_id=act_id, limit=50), lang)
            latest = version_units(session, act_id)
            position = get_position(session, kind="act", subject_id=act_id) if staff else None
            # English pages show Matsne's official translation of the version they show, where it has one.
            shown = latest["publication"] if latest else None
            translation = (version_translation(session, act_id, shown, "en")
                           if lang == "en" and shown is not None else None)
        versions = [{**{key: v[key] for key in ("publication", "valid_from", "valid_to")},
                     "english": v.get("translations", {}).get("en", {}).get("status")} for v in detail["versions"]]
        publications = [v["publication"] for v in versions]
        articles = _article_histories(latest["units"] or [], lang) if latest else []
        english = _english_translation(translation, articles) if lang == "en" and shown is not None else None
        return render_page(request, "act.html", title=detail["title"] or str(act_id), act=detail, versions=versions,
                           publications=publications, formats=FORMATS, changes=changes, articles=articles,
                           latest_publication=latest["publication"] if latest else None, position=position,
                           english=english,
                           default_from=publications[-2] if len(publications) > 1 else None,
                           default_to=publications[-1] if publications else None)

    @lru_cache(maxsize=32)
    def diff_html(act_id: int, older: int, newer: int, layout: str, lang: str, old_sha256: str, new_sha256: str
                  ) -> tuple[str | None, Markup | None]:
        """(the act's title, the redline) or (None, None); keyed on both versions' hashes, so a cached
        redline is one of exactly these two texts (stored versions never change: history is append-only)."""
        with tracker_db.session(engine) as session:
            old, new = version_units(session, act_id, older), version_units(session, act_id, newer)
        if not (old and new and old["units"] is not None and new["units"] is not None):
            return None, None
        diff = diff_documents(document_from_units(old["units"]), document_from_units(new["units"]))
        return new["title"], Markup(to_html(diff, layout=layout, lang=lang, standalone=False))  # the engine escapes

    def act_diff(request: Request) -> Response:
        act_id = request.path_params["act_id"]
        lang = language_of(request)
        older, newer = _number(request.query_params.get("from")), _number(request.query_params.get("to"))
        layout = request.query_params.get("layout", "inline")
        if older is None or newer is None or layout not in DIFF_LAYOUTS:
            return _message(request, "not_found", 400)
        with tracker_db.session(engine) as session:
            hashes = version_content_hash(session, act_id, older), version_content_hash(session, act_id, newer)
            if None in hashes:
                old, new = version_units(session, act_id, older), version_units(session, act_id, newer)
                if old is None or new is None or old["publication"] is None or new["publication"] is None:
                    return _message(request, "not_found", 404)
                return _message(request, "no_text", 404)
        act_title, html = diff_html(act_id, older, newer, layout, lang, *hashes)
        if html is None:
            return _message(request, "no_text", 404)
        title = f"{act_title or act_id}: {words_for(lang)['version']} {older} → {newer}"
        return render_page(request, "diff.html", title=title, act_id=act_id, act_title=act_title or str(act_id),
                           from_pub=older, to_pub=newer, diff_html=html)

    def _brief_response(request: Request, load, filename: str) -> Response:
        fmt = request.query_params.get("format", "html")
        if fmt not in FORMATS:
            return _message(request, "not_found", 400)
        try:
            with tracker_db.session(engine) as session:
                brief = load(session)
            body = render(brief, fmt, lang=language_of(request))
        except BriefSourceError:
            return _message(request, "not_found", 404)
        except PdfUnavailable:
            return Response("PDF rendering is not available on this server.", status_code=503,
                            media_type="text/plain")
        return Response(body, media_type=CONTENT_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"',
                                 "Cache-Control": "no-store"})

    def act_brief(request: Request) -> Response:
        act_id = request.path_params["act_id"]
        older, newer = _number(request.query_params.get("from")), _number(request.query_params.get("to"))
        if (older is None and request.query_params.get("from")) or (newer is None and request.query_params.get("to")):
            return _message(request, "bad_number", 400)  # not silently the default versions
        return _brief_response(request, lambda session: load_act_brief(
            session, act_id=act_id, from_publication=older, to_publication=newer), f"kanoni-act-{act_id}")

    def bill_brief(request: Request) -> Response:
        bill_id = request.path_params["bill_id"]
        return _brief_response(request, lambda session: load_bill_brief(session, bill_id=bill_id),
                               f"kanoni-bill-{bill_id}")

    def bills(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            rows = list_bills(session)
        return render_page(request, "bills.html", title_key="bills", bills=rows)

    def bill(request: Request) -> Response:
        bill_id = request.path_params["bill_id"]
        lang = language_of(request)
        staff = visitor_of(request).staff
        with tracker_db.session(engine) as session:
            detail = bill_detail(session, bill_id)
            if detail is None:
                return _message(request, "not_found", 404)
            titles = {}
            for act_id in detail["amends"]:
                linked = act_detail(session, act_id, publication=-1)  # metadata only: no version -1 exists
                titles[act_id] = (linked or {}).get("title") or str(act_id)
            draft = bill_draft_text(session, bill_id)
            target = version_units(session, detail["amends"][0]) if detail["amends"] and draft else None
            position = get_position(session, kind="bill", subject_id=bill_id) if staff else None
        applied = _draft_applied(draft, target, lang) if target and target["units"] else None
        return render_page(request, "bill.html", title=detail["title"] or str(bill_id), bill=detail,
                           act_titles=titles, formats=FORMATS, applied=applied, has_draft=bool(draft),
                           position=position)

    def subscribe_form(request: Request, *, form: dict | None = None, error: str | None = None,
                       status: int = 200) -> Response:
        lang = language_of(request)
        topics = [(t.slug, t.name_ka if lang == "ka" else t.name_en) for t in load_taxonomy().topics]
        return render_page(request, "subscribe.html", title_key="subscribe", status=status, topics=topics,
                           error=error, form=form or {"topics": []})

    def subscribe_get(request: Request) -> Response:
        return subscribe_form(request)

    async def subscribe_post(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        if not limiter.allow(client):
            response = _message(request, "too_many", 429)
            response.headers["Retry-After"] = str(int(limiter.window))
            return response
        data, genuine = await posted_form(request)
        if not genuine:
            return _message(request, "forbidden", 403)
        return await run_in_threadpool(subscribed, request, data)

    def subscribed(request: Request, data) -> Response:
        form = {"email": str(data.get("email", "")), "name": str(data.get("name", "")),
                "organisation": str(data.get("organisation", "")), "keyword": str(data.get("keyword", "")).strip(),
                "topics": [str(t) for t in data.getlist("topic")], "weekly": bool(data.get("weekly")),
                "language": str(data.get("language", language_of(request)))}
        try:
            with tracker_db.session(engine) as session:
                # Links use the configured public URL, never the Host header a client sent.
                # A known address changes nothing until its owner follows the link mailed to it (issue 19).
                request_subscription(session, email=form["email"], name=form["name"],
                                     organisation=form["organisation"], lang=form["language"], topics=form["topics"],
                                     keywords=[form["keyword"]] if form["keyword"] else [], acts=[], bills=[],
                                     weekly=form["weekly"], base_url=public_url, secret_key=secret_key)
        except InvalidSubscriberInput as error:
            return subscribe_form(request, form=form, error=str(error).splitlines()[0], status=400)
        return _message(request, "check_email", 200)

    def health(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            runs = recent_runs(session, 20)
        return render_page(request, "health.html", title_key="health", runs=runs)

    return [
        Route("/", dashboard, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/acts", acts, methods=["GET"]),
        Route("/acts/{act_id:id}", act, methods=["GET"]),
        Route("/acts/{act_id:id}/diff", act_diff, methods=["GET"]),
        Route("/acts/{act_id:id}/brief", act_brief, methods=["GET"]),
        Route("/bills", bills, methods=["GET"]),
        Route("/bills/{bill_id:id}", bill, methods=["GET"]),
        Route("/bills/{bill_id:id}/brief", bill_brief, methods=["GET"]),
        Route("/subscribe", subscribe_get, methods=["GET"]),
        Route("/subscribe", subscribe_post, methods=["POST"]),
    ]
