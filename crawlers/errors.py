"""Why a fetched page cannot become a record. Each error has a `kind` the crawl log uses."""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "BrokenCharset",
    "NotADocumentPage",
    "PageError",
    "PageTooLarge",
    "TruncatedPage",
]


class PageError(Exception):
    """A page that must not be stored: the crawl records it and goes on."""

    kind = "parse_error"
    retryable = False


class AccessDenied(PageError):
    """The web firewall's refusal, which Matsne serves with status 200."""

    kind = "access_denied"
    retryable = True


class TruncatedPage(PageError):
    """The page stops before its end: a dropped connection or a cut proxy buffer."""

    kind = "truncated"
    retryable = True


class BrokenCharset(PageError):
    kind = "broken_charset"


class PageTooLarge(PageError):
    kind = "too_large"


class NotADocumentPage(PageError):
    """The page parsed, but it is not a Matsne document page (its shape changed?)."""

    kind = "parse_error"
