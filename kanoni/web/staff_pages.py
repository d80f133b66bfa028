"""The staff side of the site: sign in and out, edit positions, administer accounts and the watch list.

Members never sign in. Every form here carries the visitor's CSRF token; sign-in is rate-limited
per client address, and failures back off per address and username without ever locking the owner out; after sign-in the visitor goes back only to a local path.

Every page reads and edits the signed-in person's own organisation (`acting_organisation`): its positions, its
internal notes, its staff and watch list; only a site admin picks another. The pages ask for the signed-in staff
member or admin (`kanoni.web.visitor.SignedIn`, `OrgAdminStaff`: a page
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
from kanoni.web.visitor import (SESSION_COOKIE, CheckedForm, OrgAdminStaff, SessionToken, SignedIn, checked_form,
                                safe_next, signed_in_org_admin)
from kanoni.web.words import words_for
from tracker.organisations import HOME_SLUG, Org, get_organisation, get_organisation_by_id, list_organisations
from tracker.parliament_queries import bill_detail
from tracker.position_models import STANCES
from tracker.positions import PositionError, all_current_positions, get_position, position_history, set_position
from tracker.queries import act_detail
from tracker.staff import (ROLES, SESSION_LIFETIME, Staff, StaffError, authenticate, end_session, get_account,
                           list_accounts, set_active, set_organisation, set_role, start_session)
from tracker.staff import create_account as create_staff_account
from tracker.watchlist import org_unwatch, org_watch, org_watch_list, watch_list

__all__ = ["acting_organisation", "staff_router"]

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



def _refused(request: Request, lang: str, key: str = "forbidden", status: int = 403) -> Refused:
    return Refused(message_page(request, words_for(lang)[key], status=status))


def acting_organisation(request: Request, db: Session, staff: Staff, lang: str, requested: object = None
                        ) -> Org | None:
    """The organisation a signed-in person reads and edits for: their own. A site admin may act for any
    (`requested`: a slug from the address's or the form's `org`); anyone else naming another organisation is
    refused (403), whatever the form says. None: a site admin of no organisation who has not picked one on a
    site of several."""
    slug = str(requested or "").strip().lower()[:40]
    own = get_organisation_by_id(db, staff.org_id) if staff.org_id is not None else None
    if not staff.is_admin:
        if own is None or (slug and slug != own.slug):
            raise _refused(request, lang)
        return own
    if slug:
        picked = get_organisation(db, slug)
        if picked is None:
            raise _refused(request, lang, "not_found", 404)
        return picked
    if own is not None:
        return own
    orgs = list_organisations(db)
    return orgs[0] if len(orgs) == 1 else next((org for org in orgs if org.slug == HOME_SLUG), None)


def _org_choice(db: Session, staff: Staff, org: Org | None) -> dict:
    """What a page shows about whose it is: the organisation, and for a site admin the others to pick from."""
    return {"org": org, "organisations": list_organisations(db) if staff.is_admin else []}


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


def _position_page(request: Request, db: Session, lang: str, staff: Staff, org: Org | None, kind: str,
                   subject_id: int, *, error: str | None = None, form: dict | None = None,
                   status: int = 200) -> Response:
    words = words_for(lang)
    title = _subject_title(db, kind, subject_id)
    if title is None:
        return message_page(request, words["not_found"], status=404)
    current = get_position(db, kind=kind, subject_id=subject_id, org_id=org.id) if org else None
    history = position_history(db, kind=kind, subject_id=subject_id, org_id=org.id) if org else []
    if form is None and current is not None:
        form = {"stance": current.stance, "talking_points": "\n".join(current.talking_points),
                "owner": current.owner, "deadline_on": current.deadline_on.isoformat() if current.deadline_on
                else "", "deadline_what": current.deadline_what, "notes": current.notes,
                "public": "1" if current.public else ""}
    return render_page(request, "position.html", title=f"{words['position_on']}: {title}", status=status,
                       kind=kind, subject_id=subject_id, subject_title=title, stances=STANCES, error=error,
                       form=form or {"stance": "watch"}, history=list(reversed(history)),
                       saved=request.query_params.get("saved"), **_org_choice(db, staff, org))


def _save_position(request: Request, db: Session, lang: str, staff: Staff, kind: str, subject_id: int,
                   data: FormData) -> Response:
    words = words_for(lang)
    org = acting_organisation(request, db, staff, lang, data.get("org"))
    form = {name: str(data.get(name) or "")[:_MAX_FIELD] for name in
            ("stance", "talking_points", "owner", "deadline_on", "deadline_what", "notes", "public")}
    if org is None:
        return _position_page(request, db, lang, staff, org, kind, subject_id, form=form, status=400,
                              error=words["org_choose"])
    try:
        deadline = date.fromisoformat(form["deadline_on"]) if form["deadline_on"].strip() else None
    except ValueError:
        return _position_page(request, db, lang, staff, org, kind, subject_id, form=form, status=400,
                              error=f"{words['deadline_on']}: {form['deadline_on'][:20]!r}")
    if _subject_title(db, kind, subject_id) is None:
        return message_page(request, words["not_found"], status=404)
    try:
        _, added = set_position(
            db, kind=kind, subject_id=subject_id, by=staff.username, org_id=org.id, stance=form["stance"],
            talking_points=[line.strip() for line in form["talking_points"].splitlines() if line.strip()],
            owner=_one_line(form["owner"]), deadline_on=deadline, deadline_what=_one_line(form["deadline_what"]),
            notes=form["notes"].strip(), public=form["public"] == "1")
    except PositionError as error:
        db.rollback()
        return _position_page(request, db, lang, staff, org, kind, subject_id, form=form, status=400,
                              error=str(error))
    picked = f"&org={org.slug}" if staff.is_admin and data.get("org") else ""
    return _see_other(f"/{kind}s/{subject_id}/position?saved={'1' if added else '0'}{picked}")


def _admin_page(request: Request, db: Session, me: Staff, org: Org | None, *, notice: str | None = None,
                error: str | None = None, status: int = 200) -> Response:
    """An organisation admin sees its own organisation's accounts and watch list; a site admin every account
    (with its organisation), the watch list of the organisation picked, and the crawl's whole list."""
    orgs = {o.id: o for o in list_organisations(db)}
    accounts = [account for account in list_accounts(db) if me.is_admin or account.org_id == me.org_id]
    watched = watch_list(db, _configured_watch()) if me.is_admin else []  # both lists: the crawl fetches both
    return render_page(request, "admin.html", title_key="admin", status=status, accounts=accounts,
                       roles=ROLES if me.is_admin else _ORG_ADMIN_ROLES, watched=watched,
                       org_watched=org_watch_list(db, org.id) if org else [], org_names=orgs, me=me,
                       notice=notice, error=error, **_org_choice(db, me, org))


# The roles an organisation admin may give: never a site admin's.
_ORG_ADMIN_ROLES = ("staff", "org_admin")
_ROLE_ACTIONS = {f"make_{role}": role for role in ROLES}


def _account_in_reach(request: Request, db: Session, me: Staff, lang: str, username: str) -> Staff:
    """The account an admin acts on: a site admin's any; an organisation admin's only one of its organisation
    and not a site admin (otherwise refused, 403, as if it did not exist for them)."""
    account = get_account(db, username)
    if account is None:
        raise StaffError(f"no account named {username.strip().casefold()[:64]!r}")
    if not me.is_admin and (account.org_id != me.org_id or account.is_admin):
        raise _refused(request, lang)
    return account


def _admin_action(request: Request, db: Session, me: Staff, lang: str, org: Org | None, data: FormData) -> str:
    """Carry out one administration form; the notice to show. Raises StaffError (a 400) or Refused (403)."""
    words = words_for(lang)
    action = str(data.get("action") or "")
    username = str(data.get("username") or "")
    if action == "create":
        role = str(data.get("role") or "")
        if not me.is_admin and role not in _ORG_ADMIN_ROLES:
            raise _refused(request, lang)
        if org is None and not (me.is_admin and role == "admin"):
            raise StaffError(words["org_choose"])
        create_staff_account(db, username=username, password=str(data.get("password") or ""), role=role,
                             display_name=str(data.get("display_name") or ""), by=me.username,
                             org_id=org.id if org else 0)
    elif action in _ROLE_ACTIONS:
        role = _ROLE_ACTIONS[action]
        _account_in_reach(request, db, me, lang, username)
        if not me.is_admin and role not in _ORG_ADMIN_ROLES:
            raise _refused(request, lang)
        set_role(db, username, role)
    elif action in ("disable", "enable"):
        _account_in_reach(request, db, me, lang, username)
        set_active(db, username, action == "enable")
    elif action == "move":  # into another organisation: a site admin's alone
        if not me.is_admin:
            raise _refused(request, lang)
        _account_in_reach(request, db, me, lang, username)
        if org is None or not str(data.get("org") or "").strip():
            raise StaffError(words["org_choose"])
        set_organisation(db, username, org.id)
    elif action in ("watch", "unwatch"):
        act_id = positive_int(str(data.get("act_id") or "").strip())
        if act_id is None:
            raise StaffError(words["bad_number"])
        if org is None:
            raise StaffError(words["org_choose"])
        if action == "unwatch":
            return words["removed" if org_unwatch(db, org.id, act_id) else "not_watched"]
        added = org_watch(db, org.id, act_id, by=me.username, reason=_one_line(data.get("reason")))
        return words["added" if added and act_id not in _configured_watch() else "already_watched"]
    else:
        raise _refused(request, lang, "not_found", 400)
    return words["saved"]


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


@staff_router.get("/positions")
def positions(request: Request, db: DB, staff: SignedIn, lang: PageLanguage) -> Response:
    org = acting_organisation(request, db, staff, lang, request.query_params.get("org"))
    rows = [(position, _subject_title(db, position.subject_kind, position.subject_id))
            for position in (all_current_positions(db, org_id=org.id) if org else [])]
    return render_page(request, "positions.html", title_key="positions", rows=rows, **_org_choice(db, staff, org))


@staff_router.get("/acts/{subject_id:id}/position")
def act_position(request: Request, subject_id: int, db: DB, lang: PageLanguage, staff: SignedIn) -> Response:
    org = acting_organisation(request, db, staff, lang, request.query_params.get("org"))
    return _position_page(request, db, lang, staff, org, "act", subject_id)


@staff_router.post("/acts/{subject_id:id}/position")
def save_act_position(request: Request, subject_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                      lang: PageLanguage) -> Response:
    return _save_position(request, db, lang, staff, "act", subject_id, data)


@staff_router.get("/bills/{subject_id:id}/position")
def bill_position(request: Request, subject_id: int, db: DB, lang: PageLanguage, staff: SignedIn) -> Response:
    org = acting_organisation(request, db, staff, lang, request.query_params.get("org"))
    return _position_page(request, db, lang, staff, org, "bill", subject_id)


@staff_router.post("/bills/{subject_id:id}/position")
def save_bill_position(request: Request, subject_id: int, staff: SignedIn, data: CheckedForm, db: DB,
                       lang: PageLanguage) -> Response:
    return _save_position(request, db, lang, staff, "bill", subject_id, data)


@staff_router.get("/admin", dependencies=[Depends(signed_in_org_admin)])
def admin_get(request: Request, db: DB, me: OrgAdminStaff, lang: PageLanguage) -> Response:
    return _admin_page(request, db, me, acting_organisation(request, db, me, lang, request.query_params.get("org")))


@staff_router.post("/admin")
def admin_post(request: Request, me: OrgAdminStaff, data: CheckedForm, db: DB, lang: PageLanguage) -> Response:
    org = acting_organisation(request, db, me, lang, data.get("org"))
    try:
        notice = _admin_action(request, db, me, lang, org, data)
    except StaffError as error:
        db.rollback()
        return _admin_page(request, db, me, org, error=str(error), status=400)
    db.commit()  # before the page below, so it shows the change
    return _admin_page(request, db, me, org, notice=notice)
