"""What people type or send us, checked before it is stored or looked up: subscriber input that ends up in
mail headers, and the numbers in forms and addresses."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from vocabulary.errors import KanoniError

__all__ = ["ENCODED_WORD_START", "InvalidSubscriberInput", "check_email", "check_name", "positive_int"]

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The start of an RFC 2047 encoded word: a mail library decodes it, line breaks and all, while writing a header.
ENCODED_WORD_START = "=?"


class InvalidSubscriberInput(KanoniError, ValueError):
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
    if ENCODED_WORD_START in value:
        raise InvalidSubscriberInput(f'the {field} cannot contain "{ENCODED_WORD_START}" (mail would read it as an encoded header)')
    if len(value) > limit:
        raise InvalidSubscriberInput(f"the {field} is longer than {limit} characters")
    return value


def positive_int(text: str | None, *, max_digits: int = 9) -> int | None:
    """A positive whole number written in ASCII digits, at most `max_digits` long; None for anything else.

    Not `str.isdigit()` alone: "²" and "٣" are digits to it and make int() raise, and a number of
    thousands of digits overflows every column it is compared with.
    """
    if not text or not text.isascii() or not text.isdigit() or len(text) > max_digits:
        return None
    return int(text) or None
