"""What the spiders do when a fetch goes wrong: one place for each decision.

- `failure_kind`: a failed download (a Twisted `Failure`) → the crawl log's (kind, message), by the
  exception's class (`Failure.check`), never by matching its name or text.
- `retry_or`: a page that parsed into a `PageError` is retried when the error says it may be
  (Scrapy's `get_retry_request`, within RETRY_TIMES), else handed to the spider's own problem code.
- `stop_if_forbidden`: the site refuses us (HTTP 403): a polite crawler stops rather than keep
  knocking. The refused URL goes to the crawl's stats (`FORBIDDEN_URL_STAT`), where the pipeline
  reads it for the run's error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.web.http import PotentialDataLoss

from crawlers.errors import PageError

__all__ = ["FORBIDDEN_URL_STAT", "failure_kind", "retry_or", "stop_if_forbidden"]

FORBIDDEN_URL_STAT = "kanoni/forbidden_url"

_TIMEOUTS = (DownloadTimeoutError, net_error.TimeoutError, net_error.TCPTimedOutError)
_TOO_LARGE = (DownloadCancelledError, defer.CancelledError)  # Scrapy cancels a download over its maxsize
_TRUNCATED = (ResponseDataLossError, PotentialDataLoss)
_UNREACHABLE = (DownloadConnectionRefusedError, CannotResolveHostError, net_error.ConnectionRefusedError,
                net_error.DNSLookupError)


def failure_kind(failure) -> tuple[str, str]:
    """(kind, message) for a failed download, in the crawl log's words."""
    exc = failure.value
    name = type(exc).__name__
    if failure.check(HttpError):
        status = exc.response.status
        return (f"http_{status // 100}xx" if status >= 500 else f"http_{status}"), f"HTTP {status}"
    if failure.check(*_TOO_LARGE):
        size = re.search(r"(\d{6,}) bytes", str(exc))  # the size, for the message only
        shown = f"{int(size.group(1)) / 1e6:.1f} MB " if size else ""
        return "too_large", f"page of {shown}refused: larger than the download limit"
    if failure.check(*_TIMEOUTS):
        return "timeout", f"no answer in time after retries ({name})"
    if failure.check(*_TRUNCATED):
        return "truncated", "the connection dropped before the page was complete"
    if failure.check(IgnoreRequest):
        return "ignored", f"request not sent: {str(exc)[:200] or name}"  # robots.txt forbids it, say
    if failure.check(*_UNREACHABLE):
        return "network", f"site unreachable ({name}): {str(exc)[:200]}"
    return "network", f"{name}: {str(exc)[:200]}"


def stop_if_forbidden(spider, url: str, kind: str) -> None:
    """HTTP 403: record the refused URL and close the crawl (reason "forbidden")."""
    if kind != "http_403":
        return
    spider.crawler.stats.set_value(FORBIDDEN_URL_STAT, url)
    raise CloseSpider("forbidden")


def retry_or(spider, response, error: PageError, otherwise: Callable[[], Iterable]) -> Iterator:
    """The retry of `response`'s request when `error` is retryable and retries are left;
    else whatever `otherwise()` yields (the spider's problem for this page)."""
    if error.retryable:
        retry = get_retry_request(response.request, spider=spider, reason=error.kind)
        if retry is not None:
            yield retry
            return
    yield from otherwise()
