"""The staff side of the site: sign in and out, edit positions, administer accounts and the watch list.

Members never sign in. Every form here carries the visitor's CSRF token; sign-in is rate-limited
per client address, and failures back off per address and username without ever locking the owner out; after sign-in the visitor goes back only to a local path.
"""

from __future__ import annotations

import math
from datetime import date
from functools import partial
from urllib.parse import quote

import anyio
import anyio.to_thread
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from alerts.addresses import positive_int
from kanoni.config import ConfigError, load_settings
from kanoni.web.rendering import language_of, message_page, page_address, render_page
from kanoni.web.security import FORM_FIELDS, FORM_PART_BYTES, RateLimiter, SignInThrottle
from kanoni.web.visitor import SESSION_COOKIE, safe_next, visitor_of
from kanoni.web.words import words_for
from tracker import db as tracker_db
from tracker.parliament_queries import bill_detail
from tracker.position_models import STANCES
from tracker.positions import PositionError, all_current_positions, get_position, position_history, set_position
from tracker.queries import act_detail
from tracker.staff import (ROLES, SESSION_LIFETIME, StaffError, authenticate, end_session, list_accounts, set_active,
                           set_role, start_session)
from tracker.staff import create_account as create_staff_account
from tracker.watchlist import watch, watch_list

__all__ = ["staff_routes"]

_MAX_FIELD = 4000


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(safe_next(path), status_code=303)


def _signed_in_or_refused(request: Request, *, admin: bool = False) -> Response | None:
    """None when the visitor may go on; otherwise the answer: sign in first (GET) or 403 (POST), 403 for non-admins."""
    staff = visitor_of(request).staff
    words = words_for(language_of(request))
    if staff is None:
        if request.method == "GET":
            return _see_other(f"/login?next={quote(page_address(request), safe='/')}")
        return message_page(request, words["sign_in_needed"], status=403)
    if admin and not staff.is_admin:
        return message_page(request, words["admin_needed"], status=403)
    return None


async def _form(request: Request):
    """The posted form if its CSRF token is the visitor's, else None."""
    data = await request.form(max_fields=FORM_FIELDS, max_part_size=FORM_PART_BYTES)
    return data if visitor_of(request).accepts(data.get("csrf_token")) else None


def _one_line(value: object, limit: int = 300) -> str:
    return " ".join(str(value or "").split())[:limit]


def _configured_watch() -> tuple[int, ...]:
    """The configuration's watch list (kanoni.toml); none when the file is unreadable (the CLI reports that)."""
    try:
        return load_settings().watch
    except ConfigError:
        return ()


def staff_routes(engine: Engine, login_limiter: RateLimiter) -> list[Route]:
    """Sign-in, positions editing (staff) and administration (admin). `login_limiter` counts every sign-in
    per address; failed ones back off per address and username (`SignInThrottle`), and a username that twice
    `login_limiter.limit` failures name is tried by each stranger's address only now and then."""
    failed_logins = SignInThrottle(crowd_failures=login_limiter.limit * 2)

    def login_page(request: Request, *, error: str | None = None, username: str = "", status: int = 200,
                   next_path: str | None = None) -> Response:
        return render_page(request, "login.html", title_key="sign_in", status=status, error=error, username=username,
                           next=safe_next(next_path or request.query_params.get("next")))

    # Argon2 takes 64 MiB and tens of milliseconds a check, on purpose: at most two at once, off the event loop.
    hashing = anyio.CapacityLimiter(2)

    def sign_in(username: str, password: str, previous: str | None) -> str | None:
        """A new session's token, or None; a session the browser already had ends (no fixation)."""
        with tracker_db.session(engine) as session:
            account = authenticate(session, username, password)
            if account is None:
                return None
            end_session(session, previous)
            return start_session(session, account.id)

    def login_get(request: Request) -> Response:
        return login_page(request)

    async def login_post(request: Request) -> Response:
        words = words_for(language_of(request))
        data = await request.form(max_fields=FORM_FIELDS, max_part_size=FORM_PART_BYTES)
        username = _one_line(data.get("username"), 64)
        client = request.client.host if request.client else "unknown"

        def too_many(wait: float | None = None) -> Response:
            response = message_page(request, words["too_many"], status=429)
            response.headers["Retry-After"] = str(math.ceil(login_limiter.window if wait is None else wait))
            return response

        # Every try counts against the address; only failed ones against the username, so nobody can keep
        # a colleague out just by naming them.
        if not login_limiter.allow(f"address:{client}"):
            return too_many()
        if not visitor_of(request).accepts(data.get("csrf_token")):
            return message_page(request, words["forbidden"], status=403)
        wait = failed_logins.wait(username, client)
        if wait > 0:
            return too_many(wait)
        token = await anyio.to_thread.run_sync(sign_in, username, str(data.get("password") or ""),
                                               request.cookies.get(SESSION_COOKIE), limiter=hashing)
        if token is None:
            failed_logins.failed(username, client)
            return login_page(request, error=words["bad_login"], username=username, status=400,
                              next_path=str(data.get("next") or ""))
        failed_logins.succeeded(username, client)
        response = _see_other(str(data.get("next") or "/"))
        response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
                            samesite="lax", secure=visitor_of(request).secure_cookies)
        return response

    async def logout(request: Request) -> Response:
        if await _form(request) is None:
            return message_page(request, words_for(language_of(request))["forbidden"], status=403)
        with tracker_db.session(engine) as session:
            end_session(session, request.cookies.get(SESSION_COOKIE))
        response = _see_other("/")
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
        return response

    def _subject_title(session, kind: str, subject_id: int) -> str | None:
        detail = (act_detail(session, subject_id, publication=-1) if kind == "act"  # -1: metadata only
                  else bill_detail(session, subject_id))
        return None if detail is None else (detail.get("title") or str(subject_id))

    def position_page(request: Request, kind: str, subject_id: int, *, error: str | None = None,
                      form: dict | None = None, status: int = 200) -> Response:
        words = words_for(language_of(request))
        with tracker_db.session(engine) as session:
            title = _subject_title(session, kind, subject_id)
            if title is None:
                return message_page(request, words["not_found"], status=404)
            current = get_position(session, kind=kind, subject_id=subject_id)
            history = position_history(session, kind=kind, subject_id=subject_id)
        if form is None and current is not None:
            form = {"stance": current.stance, "talking_points": "\n".join(current.talking_points),
                    "owner": current.owner, "deadline_on": current.deadline_on.isoformat() if current.deadline_on
                    else "", "deadline_what": current.deadline_what, "notes": current.notes}
        return render_page(request, "position.html", title=f"{words['position_on']}: {title}", status=status,
                           kind=kind, subject_id=subject_id, subject_title=title, stances=STANCES, error=error,
                           form=form or {"stance": "watch"}, history=list(reversed(history)),
                           saved=request.query_params.get("saved"))

    def position_get(request: Request, kind: str) -> Response:
        refused = _signed_in_or_refused(request)
        return refused or position_page(request, kind, request.path_params["subject_id"])

    async def position_post(request: Request, kind: str) -> Response:
        refused = _signed_in_or_refused(request)
        if refused:
            return refused
        subject_id = request.path_params["subject_id"]
        words = words_for(language_of(request))
        data = await _form(request)
        if data is None:
            return message_page(request, words["forbidden"], status=403)
        form = {name: str(data.get(name) or "")[:_MAX_FIELD] for name in
                ("stance", "talking_points", "owner", "deadline_on", "deadline_what", "notes")}
        try:
            deadline = date.fromisoformat(form["deadline_on"]) if form["deadline_on"].strip() else None
        except ValueError:
            return position_page(request, kind, subject_id, form=form, status=400,
                                 error=f"{words['deadline_on']}: {form['deadline_on'][:20]!r}")
        staff = visitor_of(request).staff
        with tracker_db.session(engine) as session:
            if _subject_title(session, kind, subject_id) is None:
                return message_page(request, words["not_found"], status=404)
            try:
                _, added = set_position(
                    session, kind=kind, subject_id=subject_id, by=staff.username, stance=form["stance"],
                    talking_points=[line.strip() for line in form["talking_points"].splitlines() if line.strip()],
                    owner=_one_line(form["owner"]), deadline_on=deadline, deadline_what=_one_line(form["deadline_what"]),
                    notes=form["notes"].strip())
            except PositionError as error:
                return position_page(request, kind, subject_id, form=form, status=400, error=str(error))
        return _see_other(f"/{kind}s/{subject_id}/position?saved={'1' if added else '0'}")

    def positions(request: Request) -> Response:
        refused = _signed_in_or_refused(request)
        if refused:
            return refused
        with tracker_db.session(engine) as session:
            rows = [(position, _subject_title(session, position.subject_kind, position.subject_id))
                    for position in all_current_positions(session)]
        return render_page(request, "positions.html", title_key="positions", rows=rows)

    def admin_page(request: Request, *, notice: str | None = None, error: str | None = None,
                   status: int = 200) -> Response:
        with tracker_db.session(engine) as session:
            accounts = list_accounts(session)
            watched = watch_list(session, _configured_watch())  # both lists: the crawl fetches both
        return render_page(request, "admin.html", title_key="admin", status=status, accounts=accounts, roles=ROLES,
                           watched=watched, notice=notice, error=error)

    def admin_get(request: Request) -> Response:
        return _signed_in_or_refused(request, admin=True) or admin_page(request)

    async def admin_post(request: Request) -> Response:
        refused = _signed_in_or_refused(request, admin=True)
        if refused:
            return refused
        words = words_for(language_of(request))
        data = await _form(request)
        if data is None:
            return message_page(request, words["forbidden"], status=403)
        action, me = str(data.get("action") or ""), visitor_of(request).staff
        notice = words["saved"]
        try:
            with tracker_db.session(engine) as session:
                if action == "create":
                    create_staff_account(session, username=str(data.get("username") or ""),
                                         password=str(data.get("password") or ""), role=str(data.get("role") or ""),
                                         display_name=str(data.get("display_name") or ""), by=me.username)
                elif action in ("make_admin", "make_staff"):
                    set_role(session, str(data.get("username") or ""), action.removeprefix("make_"))
                elif action in ("disable", "enable"):
                    set_active(session, str(data.get("username") or ""), action == "enable")
                elif action == "watch":
                    act_id = positive_int(str(data.get("act_id") or "").strip())
                    if act_id is None:
                        return admin_page(request, error=words["bad_number"], status=400)
                    added = act_id not in _configured_watch() and watch(session, act_id, _one_line(data.get("reason")))
                    notice = words["added" if added else "already_watched"]
                else:
                    return message_page(request, words["not_found"], status=400)
        except StaffError as error:
            return admin_page(request, error=str(error), status=400)
        return admin_page(request, notice=notice)  # after the session committed, so the page shows the change

    return [
        Route("/login", login_get, methods=["GET"]),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/positions", positions, methods=["GET"]),
        *[Route(f"/{kind}s/{{subject_id:id}}/position", partial(handler, kind=kind), methods=[method])
          for kind in ("act", "bill") for handler, method in ((position_get, "GET"), (position_post, "POST"))],
        Route("/admin", admin_get, methods=["GET"]),
        Route("/admin", admin_post, methods=["POST"]),
    ]
