"""The staff side of the site: sign in and out, edit positions, administer accounts and the watch list.

Members never sign in. Every form here carries the visitor's CSRF token; sign-in is rate-limited
per client address, and failures back off per address and username without ever locking the owner out; after sign-in the visitor goes back only to a local path.

The pages ask for the signed-in staff member or admin (`kanoni.web.visitor.SignedIn`, `AdminStaff`: a page
sends the visitor to sign in, a POST is refused) and for the CSRF-checked form; plain `def` endpoints, run in
FastAPI's thread pool, except sign-in, which hands Argon2 to a worker thread of its own limiter.
"""

from __future__ import annotations

import math
from datetime import date
from functools import partial

import anyio.to_thread
from fastapi import Depends
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from alerts.addresses import positive_int
from kanoni.config import ConfigError, load_settings
from kanoni.web.dependencies import DB, CurrentSite, PageLanguage, Refused, client_address, count_now
from kanoni.web.rendering import message_page, render_page
from kanoni.web.routing import html_router
from kanoni.web.visitor import (SESSION_COOKIE, AdminStaff, CheckedForm, SessionToken, SignedIn, checked_form, safe_next,
                                signed_in, signed_in_admin)
from kanoni.web.words import words_for
from tracker.parliament_queries import bill_detail
from tracker.position_models import STANCES
from tracker.positions import PositionError, all_current_positions, get_position, position_history, set_position
from tracker.queries import act_detail
from tracker.staff import (ROLES, SESSION_LIFETIME, StaffError, authenticate, end_session, list_accounts, set_active,
                           set_role, start_session)
from tracker.staff import create_account as create_staff_account
from tracker.watchlist import watch, watch_list

__all__ = ["staff_router"]

_MAX_FIELD = 4000


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(safe_next(path), status_code=303)


def _one_line(value: object, limit: int = 300) -> str:
    return " ".join(str(value or "").split())[:limit]


def _configured_watch() -> tuple[int, ...]:
    """The configuration's watch list (kanoni.toml); none when the file is unreadable (the CLI reports that)."""
    try:
        return load_settings().watch
    except ConfigError:
        return ()



def _too_many(request: Request, lang: str, wait: float) -> Response:
    response = message_page(request, words_for(lang)["too_many"], status=429)
    response.headers["Retry-After"] = str(math.ceil(wait))
    return response


def _within_login_limit(request: Request, site: CurrentSite, lang: PageLanguage, db: DB) -> None:
    """Every sign-in try counts against its address, forged or not (`login_limit` a window); only failed ones
    count against the username (SignInThrottle), so nobody can keep a colleague out just by naming them. Counted
    in the database and committed at once (dependencies.count_now): the limit holds across workers."""
    allowed = site.login_limiter.allow(f"address:{client_address(request)}", db=db)
    count_now(request, db)
    if not allowed:
        raise Refused(_too_many(request, lang, site.login_limiter.window))


def _login_page(request: Request, *, error: str | None = None, username: str = "", status: int = 200,
                next_path: str | None = None) -> Response:
    return render_page(request, "login.html", title_key="sign_in", status=status, error=error, username=username,
                       next=safe_next(next_path or request.query_params.get("next")))


def _sign_in(db: Session, username: str, password: str, previous: str | None) -> str | None:
    """A new session's token, or None; a session the browser already had ends (no fixation)."""
    account = authenticate(db, username, password)
    if account is None:
        return None
    end_session(db, previous)
    return start_session(db, account.id)


def _subject_title(db: Session, kind: str, subject_id: int) -> str | None:
    detail = (act_detail(db, subject_id, publication=-1) if kind == "act"  # -1: metadata only
              else bill_detail(db, subject_id))
    return None if detail is None else (detail.get("title") or str(subject_id))


def _position_page(request: Request, db: Session, lang: str, kind: str, subject_id: int, *,
                   error: str | None = None, form: dict | None = None, status: int = 200) -> Response:
    words = words_for(lang)
    title = _subject_title(db, kind, subject_id)
    if title is None:
        return message_page(request, words["not_found"], status=404)
    current = get_position(db, kind=kind, subject_id=subject_id)
    history = position_history(db, kind=kind, subject_id=subject_id)
    if form is None and current is not None:
        form = {"stance": current.stance, "talking_points": "\n".join(current.talking_points),
                "owner": current.owner, "deadline_on": current.deadline_on.isoformat() if current.deadline_on
                else "", "deadline_what": current.deadline_what, "notes": current.notes}
    return render_page(request, "position.html", title=f"{words['position_on']}: {title}", status=status,
                       kind=kind, subject_id=subject_id, subject_title=title, stances=STANCES, error=error,
                       form=form or {"stance": "watch"}, history=list(reversed(history)),
                       saved=request.query_params.get("saved"))


def _save_position(request: Request, db: Session, lang: str, staff, kind: str, subject_id: int,
                   data: FormData) -> Response:
    words = words_for(lang)
    form = {name: str(data.get(name) or "")[:_MAX_FIELD] for name in
            ("stance", "talking_points", "owner", "deadline_on", "deadline_what", "notes")}
    try:
        deadline = date.fromisoformat(form["deadline_on"]) if form["deadline_on"].strip() else None
    except ValueError:
        return _position_page(request, db, lang, kind, subject_id, form=form, status=400,
                              error=f"{words['deadline_on']}: {form['deadline_on'][:20]!r}")
    if _subject_title(db, kind, subject_id) is None:
        return message_page(request, words["not_found"], status=404)
    try:
        _, added = set_position(
            db, kind=kind, subject_id=subject_id, by=staff.username, stance=form["stance"],
            talking_points=[line.strip() for line in form["talking_points"].splitlines() if line.strip()],
            owner=_one_line(form["owner"]), deadline_on=deadline, deadline_what=_one_line(form["deadline_what"]),
            notes=form["notes"].strip())
    except PositionError as error:
        db.rollback()
        return _position_page(request, db, lang, kind, subject_id, form=form, status=400, error=str(error))
    return _see_other(f"/{kind}s/{subject_id}/position?saved={'1' if added else '0'}")


def _admin_page(request: Request, db: Session, *, notice: str | None = None, error: str | None = None,
                status: int = 200) -> Response:
    accounts = list_accounts(db)
    watched = watch_list(db, _configured_watch())  # both lists: the crawl fetches both
    return render_page(request, "admin.html", title_key="admin", status=status, accounts=accounts, roles=ROLES,
                       watched=watched, notice=notice, error=error)


staff_router = html_router()


@staff_router.get("/login")
def login_get(request: Request) -> Response:
    return _login_page(request)


# Argon2 takes 64 MiB and tens of milliseconds a check, on purpose: at most two at once (SiteState.hashing), in a
# worker thread of their own, so this endpoint is async and hands the check over.
@staff_router.post("/login", dependencies=[Depends(_within_login_limit)])
async def login_post(request: Request, data: CheckedForm, db: DB, site: CurrentSite, lang: PageLanguage,
                     previous: SessionToken = None) -> Response:
    words = words_for(lang)
    username = _one_line(data.get("username"), 64)
    client = client_address(request)
    throttle = site.sign_in_throttle  # kept in the database: in this request's transaction, off the event loop
    wait = await anyio.to_thread.run_sync(partial(throttle.wait, username, client, db=db))
    if wait > 0:
        return _too_many(request, lang, wait)
    token = await anyio.to_thread.run_sync(_sign_in, db, username, str(data.get("password") or ""), previous,
                                           limiter=site.hashing)
    if token is None:
        await anyio.to_thread.run_sync(partial(throttle.failed, username, client, db=db))
        return _login_page(request, error=words["bad_login"], username=username, status=400,
                           next_path=str(data.get("next") or ""))
    await anyio.to_thread.run_sync(partial(throttle.succeeded, username, client, db=db))
    response = _see_other(str(data.get("next") or "/"))
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=site.secure_cookies)
    return response


@staff_router.post("/logout", dependencies=[Depends(checked_form)])
def logout(db: DB, session_token: SessionToken = None) -> Response:
    end_session(db, session_token)
    response = _see_other("/")
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
    return response


@staff_router.get("/positions", dependencies=[Depends(signed_in)])
def positions(request: Request, db: DB) -> Response:
    rows = [(position, _subject_title(db, position.subject_kind, position.subject_id))
            for position in all_current_positions(db)]
    return render_page(request, "positions.html", title_key="positions", rows=rows)


@staff_router.get("/acts/{subject_id:id}/position", dependencies=[Depends(signed_in)])
def act_position(request: Request, subject_id: int, db: DB, lang: PageLanguage) -> Response:
    return _position_page(request, db, lang, "act", subject_id)


@staff_router.post("/acts/{subject_id:id}/position")
def save_act_position(request: Request, subject_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                      lang: PageLanguage) -> Response:
    return _save_position(request, db, lang, staff, "act", subject_id, data)


@staff_router.get("/bills/{subject_id:id}/position", dependencies=[Depends(signed_in)])
def bill_position(request: Request, subject_id: int, db: DB, lang: PageLanguage) -> Response:
    return _position_page(request, db, lang, "bill", subject_id)


@staff_router.post("/bills/{subject_id:id}/position")
def save_bill_position(request: Request, subject_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                       lang: PageLanguage) -> Response:
    return _save_position(request, db, lang, staff, "bill", subject_id, data)


@staff_router.get("/admin", dependencies=[Depends(signed_in_admin)])
def admin_get(request: Request, db: DB) -> Response:
    return _admin_page(request, db)


@staff_router.post("/admin")
def admin_post(request: Request, me: AdminStaff, data: CheckedForm, db: DB, lang: PageLanguage) -> Response:
    words = words_for(lang)
    action = str(data.get("action") or "")
    notice = words["saved"]
    try:
        if action == "create":
            create_staff_account(db, username=str(data.get("username") or ""),
                                 password=str(data.get("password") or ""), role=str(data.get("role") or ""),
                                 display_name=str(data.get("display_name") or ""), by=me.username)
        elif action in ("make_admin", "make_staff"):
            set_role(db, str(data.get("username") or ""), action.removeprefix("make_"))
        elif action in ("disable", "enable"):
            set_active(db, str(data.get("username") or ""), action == "enable")
        elif action == "watch":
            act_id = positive_int(str(data.get("act_id") or "").strip())
            if act_id is None:
                return _admin_page(request, db, error=words["bad_number"], status=400)
            added = act_id not in _configured_watch() and watch(db, act_id, _one_line(data.get("reason")))
            notice = words["added" if added else "already_watched"]
        else:
            return message_page(request, words["not_found"], status=400)
    except StaffError as error:
        db.rollback()
        return _admin_page(request, db, error=str(error), status=400)
    db.commit()  # before the page below, so it shows the change
    return _admin_page(request, db, notice=notice)
