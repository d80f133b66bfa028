"""Kanoni's log lines: plain text by default, or one JSON object a line (`KANONI_LOG_FORMAT=json`), for a log
collector reading several web workers at once.

Each JSON line has `time` (UTC, ISO 8601), `level`, `logger` and `message`; the site's access log
(`kanoni.access`, written by kanoni.web.access.AccessLog) adds `method`, `path`, `status` and `duration_ms`.
Member links carry their tokens in the query (`/manage?token=…`) and could in a path: the access log never
writes a query, and `redact` hides whatever looks like a token or a secret in any line, the message included.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

__all__ = ["ACCESS_FIELDS", "LOG_FORMATS", "JsonFormatter", "configure_logging", "redact", "redact_path"]

LOG_FORMATS = ("text", "json")
ACCESS_FIELDS = ("method", "path", "status", "duration_ms")
REDACTED = "[redacted]"

# name=value where the name says secret (a query string, a form, a URL with a password); a signed token
# (itsdangerous: base64url parts joined by dots) or any long run of token characters, wherever it stands.
_SECRET_PARAMETER = re.compile(r"(?i)\b(token|csrf_token|password|passwd|secret|secret_key|key|session|sig)=[^&\s\"';,]+")
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@")
# (A signed link token ends in a signature of 27 characters; a session or CSRF value is 32 or more.)
_TOKENISH = re.compile(r"[A-Za-z0-9_\-]{6,}(?:\.[A-Za-z0-9_\-]{4,})*\.[A-Za-z0-9_\-]{20,}|[A-Za-z0-9_\-]{32,}")
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")  # a long topic or term slug is no token


def _token_or_slug(found: re.Match[str]) -> str:
    return found.group(0) if "." not in found.group(0) and _SLUG.fullmatch(found.group(0)) else REDACTED


def redact(text: str) -> str:
    """`text` with secret parameters, URL passwords and token-like strings replaced by "[redacted]"."""
    text = _SECRET_PARAMETER.sub(lambda found: f"{found.group(1)}={REDACTED}", text)
    text = _URL_PASSWORD.sub(lambda found: f"{found.group(1)}{REDACTED}@", text)
    return _TOKENISH.sub(_token_or_slug, text)


def redact_path(path: str) -> str:
    """A request's path for the access log: no query ever, token-like segments hidden, bounded."""
    path = path.split("?", 1)[0]
    return "/".join(redact(segment) for segment in path.split("/"))[:300]


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines inside values are escaped by JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in ACCESS_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = redact_path(value) if name == "path" and isinstance(value, str) else value
        if record.exc_info:
            line["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class _KanoniHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs, so a second call replaces it rather than adding another."""


def configure_logging(log_format: str, *, level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Send every logger's records (those that propagate to the root) to `stream` (default stderr) in
    `log_format` ("text" or "json"). Idempotent: calling it again replaces the handler it installed."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _KanoniHandler)]:
        root.removeHandler(handler)
    handler = _KanoniHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
