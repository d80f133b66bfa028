"""The site's defences: CSRF tokens tied to a cookie, per-address rate limits and sign-in back-off (counted in the
database, shared by every worker: tracker.limits), security headers, bounded ids in paths."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanoni.web.rendering import language_of, message_page
from kanoni.web.words import words_for
from tracker import db as tracker_db
from tracker import limits

__all__ = ["BodyLimit", "CSRF_COOKIE", "CsrfGuard", "FORM_FIELDS", "FORM_PART_BYTES", "IdConvertor", "MAX_BODY_BYTES",
           "RateLimiter", "SECURITY_HEADERS", "SecurityHeaders", "SignInThrottle", "http_error", "kanoni_error",
           "refused_parameters", "server_error"]

CSRF_COOKIE = "kanoni_csrf"
# Our forms have a dozen short fields. Starlette alone would buffer 1,000 fields of 1 MB each.
MAX_BODY_BYTES = 256 * 1024
FORM_FIELDS, FORM_PART_BYTES = 50, 64 * 1024

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class IdConvertor(Convertor):
    """An act or bill id in a path: at most nine digits. Starlette's `int` takes any length, and an id beyond the
    database's integer columns (2^31 on PostgreSQL, 2^63 on SQLite) made every such page a 500."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


# README "Exit codes": 4 the database cannot be used, 5 a service cannot start, 6 another crawl is running.
_UNAVAILABLE_EXIT_CODES = frozenset({4, 5, 6})


async def kanoni_error(request: Request, exc: Exception) -> Response:
    """The answer to something Kanoni refused on purpose (a KanoniError): its one line, as plain text, never a
    trace. A database or service that is busy or away is a 503 (try again); anything else a 500."""
    status = 503 if getattr(exc, "exit_code", 1) in _UNAVAILABLE_EXIT_CODES else 500
    line = " ".join(str(exc).split())[:500] or type(exc).__name__
    return PlainTextResponse(f"{line}\n", status_code=status, headers=SECURITY_HEADERS)


async def http_error(request: Request, exc: Exception) -> Response:
    """A 404 or 405: under /api/ the API's JSON error; a page that does not exist (a mistyped or old link) the
    site's own "not found" page in the reader's language, with the navigation; anything else plain text as
    Starlette answers."""
    status = getattr(exc, "status_code", 500)
    detail = str(getattr(exc, "detail", "") or "")
    headers = getattr(exc, "headers", None)
    if status in (204, 304):
        return Response(status_code=status, headers=headers)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": detail.lower()}, status_code=status, headers=headers)
    if status == 404 and request.method in ("GET", "HEAD"):
        return message_page(request, words_for(language_of(request))["not_found"], status=404)
    return PlainTextResponse(detail, status_code=status, headers=headers)


async def refused_parameters(request: Request, exc: Exception) -> Response:
    """A parameter the framework refused (not a number, out of range, not one of the listed values): a 400 with
    one line naming it, as before FastAPI, not FastAPI's 422 with the whole validation report. The API's
    answer; an HTML page answers with the site's HTML error page instead (kanoni.web.routing.PageRoute)."""
    errors = exc.errors() if hasattr(exc, "errors") else []
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    message = f"{where}: {first.get('msg', 'not accepted')}"
    return JSONResponse({"error": message}, status_code=400)


async def server_error(request: Request, exc: Exception) -> Response:
    """The answer to an unexpected error. It is sent outside every middleware, so it carries the security
    headers itself."""
    return PlainTextResponse("Internal server error.", status_code=500, headers=SECURITY_HEADERS)


class CsrfGuard:
    """A random value in a cookie, and the same value signed in each form: a POST must carry both.

    Another site can make a browser send our cookie but cannot read it, so it cannot write the form field.
    """

    def __init__(self, key: str) -> None:
        self._serializer = URLSafeSerializer(key, salt="kanoni-csrf")

    @staticmethod
    def new_cookie_value() -> str:
        return secrets.token_urlsafe(24)

    def form_token(self, cookie_value: str) -> str:
        return self._serializer.dumps(cookie_value)

    def accepts(self, cookie_value: str | None, form_token: str | None) -> bool:
        if not cookie_value or not form_token:
            return False
        try:
            return secrets.compare_digest(str(self._serializer.loads(form_token)), cookie_value)
        except BadSignature:
            return False


class RateLimiter:
    """At most `limit` hits per `window` seconds for each key (a client address) in `bucket`, counted in the
    database (tracker.limits): every worker and every machine on that database shares the count, and a restart
    forgets nothing. Windows are fixed; `now` is seconds since 1970 (tests pass their own). Each hit is its own
    short transaction, committed at once, or part of the caller's when `db` is given."""

    prune_every = 64  # every so many hits this process counts, the rows whose windows are over are deleted

    def __init__(self, engine: Engine, bucket: str, limit: int = 5, window: float = 60.0) -> None:
        self.engine, self.bucket, self.limit, self.window = engine, bucket, limit, window
        self._calls = itertools.count(1)

    def allow(self, key: str, now: float | None = None, *, db: Session | None = None) -> bool:
        now = time.time() if now is None else now
        hits = _in_transaction(self.engine, db, lambda session: limits.count_hit(
            session, bucket=self.bucket, key=key, window=self.window, now=now))
        _maybe_prune(self.engine, db, self._calls, self.prune_every, now)
        return hits <= self.limit

    def blocked(self, key: str, now: float | None = None, *, db: Session | None = None) -> bool:
        """Whether `allow(key)` would refuse now, without counting a hit."""
        now = time.time() if now is None else now
        return _in_transaction(self.engine, db, lambda session: limits.hits_within(
            session, bucket=self.bucket, key=key, window=self.window, now=now)) >= self.limit

    def size(self) -> int:
        """The rows the shared limits hold (bounded: tested)."""
        return _in_transaction(self.engine, None, limits.limit_rows)


T = TypeVar("T")


def _in_transaction(engine: Engine, db: Session | None, work: Callable[[Session], T]) -> T:
    """`work` in the caller's session `db`, else in a transaction of its own, committed, retried while the
    database is busy. Never on the event loop: async pages hand it to a worker thread."""
    if db is not None:
        return work(db)

    def own(session: Session) -> T:
        tracker_db.write_at_once(session)  # SQLite: the write lock up front, waited for (one statement or two)
        return work(session)

    return tracker_db.run_in_transaction(engine, own)


def _maybe_prune(engine: Engine, db: Session | None, calls: Iterator[int], every: int, now: float) -> None:
    if next(calls) % max(1, every) == 0:
        _in_transaction(engine, db, lambda session: limits.forget_expired(session, now=now))


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
                            if name.lower().encode() not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` is answered 413 before a handler buffers it all."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PlainTextResponse("Request body too large.", status_code=413)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_bytes:
            await too_large(scope, receive, send)
            return
        received, started = 0, False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # a body sent without its length, or longer than it said
                    raise _BodyTooLarge
            return message

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except _BodyTooLarge:
            if started:
                raise
            await too_large(scope, receive, send)


class SignInThrottle:
    """Back-off for failed sign-ins that slows a guesser without ever locking the account's owner out.

    Failures are counted per (username, address) pair and per username. After `free_failures` from one address
    for one username, that address waits before its next try for that username: 1 s, 2 s, 4 s … doubling up to
    `max_wait`. When a username has collected `crowd_failures` failures from all addresses within `crowd_window`
    (someone is guessing from many addresses), every address that has not signed in to it successfully may try it
    only once per `crowd_spacing` seconds. Nothing ever refuses for longer than `max_wait`: the owner, from their
    own address with the right password, gets in after at most a short wait, however long the attack goes on, and
    at once from an address they signed in from before. The wait is answered before the password is checked, so
    waiting tries cost no Argon2 time.

    Kept in the database (tracker.limits: `sign_in_backoff`, and the username's failures as a counter in
    fixed windows of `crowd_window`, the current and the previous one counting), so the back-off holds across
    workers and restarts; failures are forgotten `forget_after` seconds after the last one, a success after
    `remember_for`. `now` is seconds since 1970; `db`: the caller's session (the sign-in's own transaction).
    """

    free_failures = 3
    max_wait = 300.0
    crowd_failures = 10
    crowd_window = 600.0
    crowd_spacing = 30.0
    forget_after = 3600.0
    remember_for = 30 * 24 * 3600.0
    prune_every = 64
    bucket = "sign-in-failures"

    def __init__(self, engine: Engine, *, crowd_failures: int | None = None) -> None:
        self.engine = engine
        if crowd_failures is not None:
            self.crowd_failures = crowd_failures
        self._calls = itertools.count(1)

    @staticmethod
    def _user(username: str) -> str:
        return username.casefold()

    def wait(self, username: str, address: str, now: float | None = None, *, db: Session | None = None) -> float:
        """Seconds before this address may try this username again; 0: it may try now."""
        at = time.time() if now is None else now
        user = self._user(username)

        def work(session: Session) -> float:
            record = limits.sign_in_backoff(session, username=user, address=address)
            if record is None or record.failures == 0:
                return 0.0
            since = at - (record.last_failed if record.last_failed is not None else at)
            wait = 0.0
            if record.failures >= self.free_failures:
                wait = min(2.0 ** min(record.failures - self.free_failures, 30), self.max_wait) - since
            if not record.known and limits.hits_within(session, bucket=self.bucket, key=user, window=self.crowd_window,
                                                       now=at, windows=2) >= self.crowd_failures:
                wait = max(wait, self.crowd_spacing - since)
            return max(0.0, min(wait, self.max_wait))

        return _in_transaction(self.engine, db, work)

    def failed(self, username: str, address: str, now: float | None = None, *, db: Session | None = None) -> None:
        at = time.time() if now is None else now
        user = self._user(username)

        def work(session: Session) -> None:
            limits.record_failure(session, username=user, address=address, now=at, forget_after=self.forget_after)
            limits.count_hit(session, bucket=self.bucket, key=user, window=self.crowd_window, now=at, keep_windows=1)

        _in_transaction(self.engine, db, work)
        _maybe_prune(self.engine, db, self._calls, self.prune_every, at)

    def succeeded(self, username: str, address: str, now: float | None = None, *,
                  db: Session | None = None) -> None:
        at = time.time() if now is None else now
        _in_transaction(self.engine, db, lambda session: limits.record_success(
            session, username=self._user(username), address=address, now=at, remember_for=self.remember_for))
        _maybe_prune(self.engine, db, self._calls, self.prune_every, at)

    def size(self) -> int:
        """The rows the shared limits hold (bounded: tested)."""
        return _in_transaction(self.engine, None, limits.limit_rows)
