"""Who is asking: the visitor's CSRF cookie value and, when signed in, their staff account.

An ASGI middleware puts a `Visitor` on `request.state.visitor` for every page, so every page can
render forms (a CSRF token) and the sign-in state without each handler doing it. A new CSRF
cookie is set on the response only when the request had none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanoni.web.security import CSRF_COOKIE, FORM_FIELDS, FORM_PART_BYTES, CsrfGuard
from tracker import db as tracker_db
from tracker.staff import Staff, account_for_session

__all__ = ["SESSION_COOKIE", "PostedForm", "Visitor", "VisitorContext", "posted_form", "safe_next", "visitor_of"]

SESSION_COOKIE = "kanoni_session"
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{16,64}")


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


def visitor_of(request: Request) -> Visitor:
    return request.state.visitor


class PostedForm(NamedTuple):
    data: FormData
    genuine: bool  # it carries this visitor's CSRF token: sent from our own page


async def posted_form(request: Request) -> PostedForm:
    """The one place a POSTed form is read (bounded in fields and part size) and its CSRF token checked.
    The caller decides what a forged form gets, after its own rate limit where it has one."""
    data = await request.form(max_fields=FORM_FIELDS, max_part_size=FORM_PART_BYTES)
    return PostedForm(data, visitor_of(request).accepts(data.get("csrf_token")))


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in; anything else (another host, a scheme, //x, /\\x) is '/'."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\t\\"):
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


class VisitorContext:
    """Pure ASGI middleware: builds the Visitor, and sets the CSRF cookie when it is new."""

    def __init__(self, app: ASGIApp, *, engine: Engine, guard: CsrfGuard, secure_cookies: bool) -> None:
        self.app, self.engine, self.guard, self.secure_cookies = app, engine, guard, secure_cookies

    def _staff(self, token: str | None) -> Staff | None:
        if not token:
            return None
        with tracker_db.session(self.engine) as session:
            return account_for_session(session, token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get(CSRF_COOKIE, "")
        is_new = not _COOKIE_VALUE.fullmatch(cookie)
        if is_new:
            cookie = CsrfGuard.new_cookie_value()
        token = request.cookies.get(SESSION_COOKIE)
        # Most visitors are not staff: no cookie, no database and no worker thread.
        staff = await run_in_threadpool(self._staff, token) if token else None
        scope.setdefault("state", {})["visitor"] = Visitor(cookie, self.guard.form_token(cookie), staff, self.guard,
                                                           self.secure_cookies)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and is_new:
                headers = MutableHeaders(scope=message)
                secure = "; Secure" if self.secure_cookies else ""
                headers.append("set-cookie", f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{secure}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
