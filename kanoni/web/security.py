"""The site's defences: CSRF tokens tied to a cookie, a per-address rate limit, security headers."""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "CSRF_COOKIE", "CsrfGuard", "FORM_FIELDS", "FORM_PART_BYTES", "MAX_BODY_BYTES", "RateLimiter",
           "SECURITY_HEADERS", "SecurityHeaders"]

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
