"""Who is asking, as the pages' dependencies: the visitor (their CSRF token and, when signed in, their staff
account), the signed-in staff member or admin a page requires, and the CSRF-checked form a POST carries.

`CsrfCookie` (ASGI middleware) gives every request its CSRF cookie value, and sets the cookie on the
response only when the request had none. `current_visitor`, a dependency of every HTML page (the pages'
routers ask for it: kanoni.web.routing), builds the `Visitor` and keeps it on `request.state.visitor`, so
every page renders its forms' token and the sign-in state without the endpoint passing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Cookie, Depends, Request
from starlette.datastructures import FormData, MutableHeaders
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanoni.web.dependencies import DB, CurrentSite, Refused
from kanoni.web.rendering import language_of, message_page, page_address
from kanoni.web.security import CSRF_COOKIE, FORM_FIELDS, FORM_PART_BYTES, CsrfGuard
from kanoni.web.words import words_for
from tracker.staff import Staff, account_for_session

__all__ = ["SESSION_COOKIE", "AdminStaff", "CheckedForm", "CsrfCookie", "CurrentVisitor", "FormIfPosted", "OrgAdminStaff",
           "SessionToken", "SignedIn", "Visitor", "checked_form", "current_visitor", "form_if_posted", "safe_next",
           "signed_in", "signed_in_admin", "signed_in_org_admin"]

SESSION_COOKIE = "kanoni_session"
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{16,64}")

SessionToken = Annotated[str | None, Cookie(alias=SESSION_COOKIE)]


@dataclass
class Visitor:
    csrf_cookie: str
    csrf_token: str
    staff: Staff | None
    guard: CsrfGuard
    secure_cookies: bool

    def accepts(self, form_token: object) -> bool:
        """Whether a submitted form carries this visitor's CSRF token."""
        return self.guard.accepts(self.csrf_cookie, str(form_token) if form_token else None)


def current_visitor(request: Request, db: DB, site: CurrentSite, session_token: SessionToken = None) -> Visitor:
    """The visitor; signed in when their session cookie opens a staff session (most visitors have none: no
    query). A plain `def`: FastAPI runs it in its thread pool."""
    cookie = request.state.csrf_cookie
    staff = account_for_session(db, session_token) if session_token else None
    visitor = Visitor(cookie, site.guard.form_token(cookie), staff, site.guard, site.secure_cookies)
    request.state.visitor = visitor  # what render_page shows: the forms' token, who is signed in
    return visitor


CurrentVisitor = Annotated[Visitor, Depends(current_visitor)]


def _refusal(request: Request, key: str, status: int) -> Refused:
    return Refused(message_page(request, words_for(language_of(request))[key], status=status))


def signed_in(request: Request, visitor: CurrentVisitor) -> Staff:
    """The signed-in staff member; else a page (GET, HEAD) sends the visitor to sign in first and comes back,
    and a POST is refused (403)."""
    if visitor.staff is not None:
        return visitor.staff
    if request.method in ("GET", "HEAD"):
        raise Refused(RedirectResponse(safe_next(f"/login?next={quote(page_address(request), safe='/')}"),
                                       status_code=303))
    raise _refusal(request, "sign_in_needed", 403)


SignedIn = Annotated[Staff, Depends(signed_in)]


def signed_in_admin(request: Request, staff: SignedIn) -> Staff:
    """The signed-in admin; staff who are not admins are refused (403)."""
    if not staff.is_admin:
        raise _refusal(request, "admin_needed", 403)
    return staff


AdminStaff = Annotated[Staff, Depends(signed_in_admin)]


def signed_in_org_admin(request: Request, staff: SignedIn) -> Staff:
    """The signed-in organisation admin or site admin; other staff are refused (403)."""
    if not staff.is_org_admin:
        raise _refusal(request, "admin_needed", 403)
    return staff


OrgAdminStaff = Annotated[Staff, Depends(signed_in_org_admin)]


async def checked_form(request: Request, visitor: CurrentVisitor) -> FormData:
    """The one place a POSTed form is read (bounded in fields and part size) and its CSRF token checked: a form
    without this visitor's token (not sent from our own page) is refused (403). A page with a rate limit asks
    for it before the form, so forged posts count too."""
    data = await request.form(max_fields=FORM_FIELDS, max_part_size=FORM_PART_BYTES)
    if not visitor.accepts(data.get("csrf_token")):
        raise _refusal(request, "forbidden", 403)
    return data


CheckedForm = Annotated[FormData, Depends(checked_form)]


async def form_if_posted(request: Request, visitor: CurrentVisitor) -> FormData | None:
    """For a page that answers GET and POST: None on a GET (or HEAD), the checked form on a POST."""
    return await checked_form(request, visitor) if request.method == "POST" else None


FormIfPosted = Annotated[FormData | None, Depends(form_if_posted)]


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in; anything else (another host, a scheme, //x, /\\x) is '/'."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\t\\"):
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


class CsrfCookie:
    """Pure ASGI middleware: the visitor's CSRF cookie value on `request.state.csrf_cookie` (a new one when
    the request had none, or not one of ours), set on the response only when it is new."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app, self.secure_cookies = app, secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = Request(scope).cookies.get(CSRF_COOKIE, "")
        is_new = not _COOKIE_VALUE.fullmatch(cookie)
        if is_new:
            cookie = CsrfGuard.new_cookie_value()
        scope.setdefault("state", {})["csrf_cookie"] = cookie

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and is_new:
                headers = MutableHeaders(scope=message)
                secure = "; Secure" if self.secure_cookies else ""
                headers.append("set-cookie", f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{secure}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
