"""The site's defences: CSRF tokens tied to a cookie, per-address rate limits, sign-in back-off, security headers,
bounded ids in paths."""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanoni.web.rendering import language_of, message_page
from kanoni.web.words import words_for

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
    """At most `limit` hits per `window` seconds for each key (a client address), kept in memory."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    # Keys are client addresses and typed usernames: forget idle ones, or anyone could grow the table.
    max_keys = 10_000

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._hits) >= self.max_keys and key not in self._hits:
                for idle in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]:
                    del self._hits[idle]
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def blocked(self, key: str, now: float | None = None) -> bool:
        """Whether `allow(key)` would refuse now, without counting a hit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            return hits is not None and sum(hit > now - self.window for hit in hits) >= self.limit


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
    waiting tries cost no Argon2 time. Kept in memory; idle entries are forgotten.
    """

    free_failures = 3
    max_wait = 300.0
    crowd_failures = 10
    crowd_window = 600.0
    crowd_spacing = 30.0
    forget_after = 3600.0
    max_keys = 10_000

    def __init__(self, *, crowd_failures: int | None = None) -> None:
        if crowd_failures is not None:
            self.crowd_failures = crowd_failures
        self._pairs: dict[tuple[str, str], tuple[int, float]] = {}  # (failures, last try)
        self._users: dict[str, deque[float]] = defaultdict(deque)  # failure times within crowd_window
        self._known: dict[tuple[str, str], float] = {}  # addresses that signed in, and when
        self._lock = threading.Lock()

    @staticmethod
    def _user(username: str) -> str:
        return username.casefold()

    def wait(self, username: str, address: str, now: float | None = None) -> float:
        """Seconds before this address may try this username again; 0: it may try now."""
        now = time.monotonic() if now is None else now
        user = self._user(username)
        with self._lock:
            failures, last = self._pairs.get((user, address), (0, now))
            wait = 0.0
            if failures >= self.free_failures:
                wait = min(2.0 ** min(failures - self.free_failures, 30), self.max_wait) - (now - last)
            if (user, address) not in self._known and self._crowded(user, now) and (user, address) in self._pairs:
                wait = max(wait, self.crowd_spacing - (now - last))
            return max(0.0, min(wait, self.max_wait))

    def _crowded(self, user: str, now: float) -> bool:
        times = self._users.get(user)
        if not times:
            return False
        while times and times[0] <= now - self.crowd_window:
            times.popleft()
        return len(times) >= self.crowd_failures

    def failed(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        user = self._user(username)
        with self._lock:
            self._prune(now)
            failures, _ = self._pairs.get((user, address), (0, now))
            self._pairs[(user, address)] = (failures + 1, now)
            times = self._users[user]
            times.append(now)
            while len(times) > self.crowd_failures * 4:  # enough to judge a crowd; never unbounded
                times.popleft()

    def succeeded(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        user = self._user(username)
        with self._lock:
            self._prune(now)
            self._pairs.pop((user, address), None)
            self._known[(user, address)] = now

    def _prune(self, now: float) -> None:
        if len(self._pairs) + len(self._users) + len(self._known) < self.max_keys:
            return
        cutoff = now - self.forget_after
        self._pairs = {key: value for key, value in self._pairs.items() if value[1] > cutoff}
        self._known = {key: at for key, at in self._known.items() if at > now - 30 * 24 * 3600}
        for user in [u for u, times in self._users.items() if not times or times[-1] <= cutoff]:
            del self._users[user]
        while len(self._known) >= self.max_keys // 2:  # oldest first: dicts keep insertion order
            self._known.pop(next(iter(self._known)))

    def size(self) -> int:
        with self._lock:
            return len(self._pairs) + len(self._users) + len(self._known)
