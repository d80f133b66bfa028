"""The site's defences: CSRF tokens tied to a cookie, a per-address rate limit, security headers."""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSRF_COOKIE", "CsrfGuard", "RateLimiter", "SECURITY_HEADERS", "SecurityHeaders"]

CSRF_COOKIE = "kanoni_csrf"

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
