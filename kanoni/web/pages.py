"""The site's HTML pages: dashboard, acts, a diff between versions, bills, subscribe, brief downloads."""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from alerts.addresses import InvalidSubscriberInput
from alerts.outgoing import change_view
from alerts.subscribe import subscribe
from alerts.topics import load_taxonomy
from diffing import diff_documents, document_from_units, to_html
from kanoni.web.rendering import language_of, render_page
from kanoni.web.security import CSRF_COOKIE, CsrfGuard, RateLimiter
from kanoni.web.words import words_for
from reports import FORMATS, PdfUnavailable, render
from reports.load import BriefSourceError, load_act_brief, load_bill_brief
from tracker import db as tracker_db
from tracker.changes import recent_changes, tags_by_change
from tracker.parliament_queries import bill_detail, list_bills
from tracker.queries import act_detail, list_acts, recent_runs, version_units

__all__ = ["page_routes"]

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "txt": "text/plain; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
DIFF_LAYOUTS = ("inline", "side-by-side")


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _message(request: Request, key: str, status: int, role: str | None = None) -> HTMLResponse:
    return render_page(request, "message.html", title_key="error" if status >= 400 else "site", status=status,
                       message=words_for(language_of(request))[key], role=role)


def _change_views(session, changes, lang: str) -> list:
    tags = tags_by_change(session, [c.id for c in changes])
    views = []
    for change in changes:
        view = change_view(change, tags.get(change.id, []), lang)
        link = f"/acts/{change.act_id}" if change.act_id else (f"/bills/{change.bill_id}" if change.bill_id else None)
        views.append((view, link))
    return views


def page_routes(engine: Engine, guard: CsrfGuard, limiter: RateLimiter) -> list[Route]:
    """The pages, reading the database through `tracker` and writing only through `alerts.subscribe`."""

    async def dashboard(request: Request) -> Response:
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

    async def acts(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            rows = list_acts(session)
        return render_page(request, "acts.html", title_key="acts", acts=rows)

    async def act(request: Request) -> Response:
        act_id = request.path_params["act_id"]
        lang = language_of(request)
        with tracker_db.session(engine) as session:
            detail = act_detail(session, act_id)
            if detail is None:
                return _message(request, "not_found", 404)
            changes = [view for view, _ in _change_views(session, recent_changes(session, act_id=act_id, limit=50),
                                                         lang)]
        versions = [{key: v[key] for key in ("publication", "valid_from", "valid_to")} for v in detail["versions"]]
        publications = [v["publication"] for v in versions]
        return render_page(request, "act.html", title=detail["title"] or str(act_id), act=detail, versions=versions,
                           publications=publications, formats=FORMATS, changes=changes,
                           default_from=publications[-2] if len(publications) > 1 else None,
                           default_to=publications[-1] if publications else None)

    async def act_diff(request: Request) -> Response:
        act_id = request.path_params["act_id"]
        lang = language_of(request)
        older, newer = _number(request.query_params.get("from")), _number(request.query_params.get("to"))
        layout = request.query_params.get("layout", "inline")
        if older is None or newer is None or layout not in DIFF_LAYOUTS:
            return _message(request, "not_found", 400)
        with tracker_db.session(engine) as session:
            old, new = version_units(session, act_id, older), version_units(session, act_id, newer)
        if old is None or new is None:
            return _message(request, "not_found", 404)
        if old["units"] is None or new["units"] is None:
            return _message(request, "no_text", 404)
        diff = diff_documents(document_from_units(old["units"]), document_from_units(new["units"]))
        html = Markup(to_html(diff, layout=layout, lang=lang, standalone=False))  # the engine escapes the act's text
        title = f"{new['title'] or act_id}: {words_for(lang)['version']} {older} → {newer}"
        return render_page(request, "diff.html", title=title, act_id=act_id, act_title=new["title"] or str(act_id),
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

    async def act_brief(request: Request) -> Response:
        act_id = request.path_params["act_id"]
        older, newer = _number(request.query_params.get("from")), _number(request.query_params.get("to"))
        return _brief_response(request, lambda session: load_act_brief(
            session, act_id=act_id, from_publication=older, to_publication=newer), f"kanoni-act-{act_id}")

    async def bill_brief(request: Request) -> Response:
        bill_id = request.path_params["bill_id"]
        return _brief_response(request, lambda session: load_bill_brief(session, bill_id=bill_id),
                               f"kanoni-bill-{bill_id}")

    async def bills(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            rows = list_bills(session)
        return render_page(request, "bills.html", title_key="bills", bills=rows)

    async def bill(request: Request) -> Response:
        bill_id = request.path_params["bill_id"]
        with tracker_db.session(engine) as session:
            detail = bill_detail(session, bill_id)
            if detail is None:
                return _message(request, "not_found", 404)
            titles = {}
            for act_id in detail["amends"]:
                linked = act_detail(session, act_id, publication=-1)  # metadata only: no version -1 exists
                titles[act_id] = (linked or {}).get("title") or str(act_id)
        return render_page(request, "bill.html", title=detail["title"] or str(bill_id), bill=detail,
                           act_titles=titles, formats=FORMATS)

    def subscribe_form(request: Request, *, form: dict | None = None, error: str | None = None,
                       status: int = 200) -> Response:
        lang = language_of(request)
        cookie = request.cookies.get(CSRF_COOKIE) or guard.new_cookie_value()
        topics = [(t.slug, t.name_ka if lang == "ka" else t.name_en) for t in load_taxonomy().topics]
        response = render_page(request, "subscribe.html", title_key="subscribe", status=status, topics=topics,
                               csrf_token=guard.form_token(cookie), error=error,
                               form=form or {"topics": []})
        if request.cookies.get(CSRF_COOKIE) != cookie:
            response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict")
        return response

    async def subscribe_get(request: Request) -> Response:
        return subscribe_form(request)

    async def subscribe_post(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        if not limiter.allow(client):
            response = _message(request, "too_many", 429, role="alert")
            response.headers["Retry-After"] = str(int(limiter.window))
            return response
        data = await request.form()
        if not guard.accepts(request.cookies.get(CSRF_COOKIE), data.get("csrf_token")):
            return _message(request, "forbidden", 403, role="alert")
        form = {"email": str(data.get("email", "")), "name": str(data.get("name", "")),
                "organisation": str(data.get("organisation", "")), "keyword": str(data.get("keyword", "")).strip(),
                "topics": [str(t) for t in data.getlist("topic")], "weekly": bool(data.get("weekly")),
                "language": str(data.get("language", language_of(request)))}
        targets = [("topic", t) for t in form["topics"]] + ([("keyword", form["keyword"])] if form["keyword"] else [])
        try:
            with tracker_db.session(engine) as session:
                # base_url None: links use KANONI_PUBLIC_URL, never the Host header a client sent.
                subscribe(session, email=form["email"], targets=targets, weekly=form["weekly"], name=form["name"],
                          organisation=form["organisation"], language=form["language"])
        except InvalidSubscriberInput as error:
            return subscribe_form(request, form=form, error=str(error).splitlines()[0], status=400)
        return _message(request, "check_email", 200, role="status")

    async def health(request: Request) -> Response:
        with tracker_db.session(engine) as session:
            runs = recent_runs(session, 20)
        return render_page(request, "health.html", title_key="health", runs=runs)

    return [
        Route("/", dashboard, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/acts", acts, methods=["GET"]),
        Route("/acts/{act_id:int}", act, methods=["GET"]),
        Route("/acts/{act_id:int}/diff", act_diff, methods=["GET"]),
        Route("/acts/{act_id:int}/brief", act_brief, methods=["GET"]),
        Route("/bills", bills, methods=["GET"]),
        Route("/bills/{bill_id:int}", bill, methods=["GET"]),
        Route("/bills/{bill_id:int}/brief", bill_brief, methods=["GET"]),
        Route("/subscribe", subscribe_get, methods=["GET"]),
        Route("/subscribe", subscribe_post, methods=["POST"]),
    ]
