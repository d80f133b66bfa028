"""Why a fetched page cannot become a record. Each error has a `kind` the crawl log uses."""

from __future__ import annotations

from vocabulary.errors import KanoniError

__all__ = [
    "AccessDenied",
    "BrokenCharset",
    "ErrorPage",
    "NotADocumentPage",
    "NotJson",
    "PageError",
    "PageTooLarge",
    "STATE_KINDS",
    "ShapeChanged",
    "TruncatedPage",
    "VersionNotFound",
]

# Kinds that say what the site holds, not that a fetch failed: recorded, never counted as errors.
STATE_KINDS = frozenset({"version_not_found"})


class PageError(KanoniError):
    """A page that must not be stored: the crawl records it and goes on."""

    kind = "parse_error"
    retryable = False


class AccessDenied(PageError):
    """The web firewall's refusal, which Matsne serves with status 200."""

    kind = "access_denied"
    retryable = True


class ErrorPage(PageError):
    """The site's own error page ("Oops! Something went wrong"), served with status 200."""

    kind = "error_page"
    retryable = True


class VersionNotFound(PageError):
    """"Consolidated version not found": the site has no text of that version in this language.

    A state of the site, like a paywall, not a failure: `kind` is in `STATE_KINDS`.
    """

    kind = "version_not_found"


class TruncatedPage(PageError):
    """The page stops before its end: a dropped connection or a cut proxy buffer."""

    kind = "truncated"
    retryable = True


class BrokenCharset(PageError):
    kind = "broken_charset"


class NotGeorgianText(PageError):
    """A Georgian page whose body is mostly in another script: a translation or a parallel view
    served in place of the Georgian text, never to be stored as that version's text."""

    kind = "not_georgian"


class TextLost(PageError):
    """A page whose units hold less of its body than the coverage check allows. Georgian versions are
    held back by the pipeline; a translation's page is refused with this, never stored half-read."""

    kind = "text_lost"


class PageTooLarge(PageError):
    kind = "too_large"


class NotADocumentPage(PageError):
    """The page parsed, but it is not a Matsne document page (its shape changed?)."""

    kind = "parse_error"


class NotJson(PageError):
    """An API answer that is not JSON at all (an HTML page where JSON was due, say)."""

    kind = "bad_json"


class ShapeChanged(PageError):
    """Valid JSON, but not the shape the API used to answer with: a broken run, not an empty week."""

    kind = "shape_changed"
