"""Downloader middleware: retries that back off, and 429 answers that are waited out; and the extension that
keeps an unreachable site to one line of the log."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from scrapy.http import Request, Response
from twisted.internet import error as net_error

__all__ = ["BackoffRetryMiddleware", "OneLineNetworkErrors", "backoff_delay", "retry_after_seconds"]

logger = logging.getLogger(__name__)


def backoff_delay(retry_times: int, *, base: float, cap: float) -> float:
    """Exponential backoff: base, 2·base, 4·base... never above cap."""
    return min(cap, base * 2 ** max(0, retry_times - 1))


def retry_after_seconds(value: str | bytes | None, *, default: float, cap: float,
                        now: datetime | None = None) -> float:
    """A Retry-After header (seconds or an HTTP date) → seconds to wait, within [0, cap]."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not value:
        return min(default, cap)
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return min(default, cap)
    now = now or datetime.now(timezone.utc)
    return max(0.0, min((when - now).total_seconds(), cap))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but each retry waits (exponential backoff), and 429 honours Retry-After.

    While a Retry-After wait runs the engine is paused, so no other request reaches the host.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("KANONI_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_cap = settings.getfloat("KANONI_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_cap = settings.getfloat("KANONI_RETRY_AFTER_MAX", 600.0)
        self._paused = 0

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)

    # Scrapy (2.13+) awaits a middleware's coroutine methods; the stubs still type the synchronous signature.
    async def process_response(self, request: Request, response: Response, spider=None):  # type: ignore[override]
        if request.meta.get("dont_retry", False):
            return response
        if response.status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), default=self.backoff_base * 5,
                                       cap=self.retry_after_cap)
            logger.warning("429 from %s: waiting %.0f s as Retry-After asks", request.url, wait)
            engine = self.crawler.engine
            self._paused += 1
            engine.pause()
            try:
                await self._wait(wait)
            finally:
                self._paused -= 1
                if not self._paused:
                    engine.unpause()
            return self._retry(request, "429 Too Many Requests") or response
        if response.status in self.retry_http_codes:
            retry = self._retry(request, f"HTTP {response.status}")
            if retry is None:
                return response
            await self._wait(backoff_delay(retry.meta.get("retry_times", 1), base=self.backoff_base,
                                           cap=self.backoff_cap))
            return retry
        return response

    async def process_exception(self, request: Request, exception: Exception,  # type: ignore[override]
                                spider=None):
        if isinstance(exception, self.exceptions_to_retry) and not request.meta.get("dont_retry", False):
            retry = self._retry(request, exception)
            if retry is not None:
                await self._wait(backoff_delay(retry.meta.get("retry_times", 1), base=self.backoff_base,
                                               cap=self.backoff_cap))
            return retry
        return None


# Failures that say all there is to say in their message: the site refused the connection, its name does not
# resolve, it did not answer in time. A traceback of Scrapy's and Twisted's frames adds nothing for the reader.
_NETWORK_FAILURES = (DownloadConnectionRefusedError, CannotResolveHostError, DownloadTimeoutError,
                     net_error.ConnectError, net_error.TimeoutError)
# Scrapy loggers that log such a failure with its traceback: robots.txt's download (the first request to a site).
_NETWORK_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


class _WithoutNetworkTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], _NETWORK_FAILURES):
            record.exc_info = None
            record.exc_text = None
        return True


_WITHOUT_NETWORK_TRACEBACK = _WithoutNetworkTraceback()


class OneLineNetworkErrors:
    """Extension: a site that cannot be reached is one log line ("Connection was refused by other side"), never
    the 60-line traceback Scrapy's robots.txt middleware prints with it (README: a problem is never a
    traceback). Any other exception keeps its traceback: that is a bug to read."""

    def __init__(self) -> None:
        for name in _NETWORK_LOGGERS:
            logging.getLogger(name).addFilter(_WITHOUT_NETWORK_TRACEBACK)  # once: the same filter object

    @classmethod
    def from_crawler(cls, crawler) -> OneLineNetworkErrors:
        return cls()
