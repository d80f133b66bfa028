"""The site's access log: one record per request on the `kanoni.access` logger, with the method, the path (never
its query: member links carry tokens there; token-like segments hidden, kanoni.logs.redact_path), the status and
the time taken. Written as JSON lines with `KANONI_LOG_FORMAT=json` (kanoni.logs)."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanoni.logs import redact_path

__all__ = ["AccessLog"]

logger = logging.getLogger("kanoni.access")


class AccessLog:
    """Pure ASGI middleware: logs each HTTP request once its answer has been sent (or has failed: 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def noting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        finally:
            path = redact_path(str(scope.get("path", "")))
            method = str(scope.get("method", ""))
            duration = round((time.perf_counter() - started) * 1000, 1)
            logger.info("%s %s %s %.1f ms", method, path, status, duration,
                        extra={"method": method, "path": path, "status": status, "duration_ms": duration})
