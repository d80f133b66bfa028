"""Subscriber input that ends up in mail headers: checked before anything is stored."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

__all__ = ["InvalidSubscriberInput", "check_email", "check_name"]

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidSubscriberInput(ValueError):
    """What a subscriber typed cannot be used; the message says why, in one line."""


def check_email(address: str) -> str:
    """The normalised address, or InvalidSubscriberInput. No DNS lookup: works offline."""
    if _LINE_BREAKS.search(address or ""):
        raise InvalidSubscriberInput("an e-mail address cannot contain line breaks")
    try:
        result = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidSubscriberInput(f"{address.strip()!r} is not a valid e-mail address: {exc}") from None
    return result.normalized


def check_name(value: str, *, field: str = "name", limit: int = 200) -> str:
    """A display name or organisation: one line, no control characters (they would forge headers)."""
    value = (value or "").strip()
    if _LINE_BREAKS.search(value):
        raise InvalidSubscriberInput(f"the {field} cannot contain line breaks")
    if _CONTROL.search(value):
        raise InvalidSubscriberInput(f"the {field} cannot contain control characters")
    if len(value) > limit:
        raise InvalidSubscriberInput(f"the {field} is longer than {limit} characters")
    return value
