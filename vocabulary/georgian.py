"""Georgian legal-text conventions: unit numbers, dates, whitespace and quotes.

Used by every parser so that "12¹", "12^1", "12 1" and a flattened "121" all give one key.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = [
    "GEORGIAN_MONTHS",
    "ZERO_WIDTH",
    "clean_text",
    "normalise_unit_number",
    "parse_dotted_date",
    "parse_georgian_date",
    "parse_slash_date",
    "resolve_flattened_number",
    "int_to_roman",
    "roman_to_int",
]

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")  # faster than str.translate on long text
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_NUMBER = re.compile(r"(\d+)\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_CARET_NUMBER = re.compile(r"(\d+)\s*\^\s*(\d+)")
_SPACED_NUMBER = re.compile(r"(\d+)\s+(\d{1,2})")
_SPACES = re.compile(r"\s+")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WHITESPACE = re.compile(r"[ \t\u00a0\u2002-\u200a\u202f\u3000]+")

# Genitive month names as they appear in "2006 წლის 29 დეკემბერი" / "1 იანვრიდან".
GEORGIAN_MONTHS = {
    "იანვ": 1, "თებერვ": 2, "მარტ": 3, "აპრილ": 4, "მაის": 5, "ივნის": 6,
    "ივლის": 7, "აგვისტ": 8, "სექტემბ": 9, "ოქტომბ": 10, "ნოემბ": 11, "დეკემბ": 12,
}


def clean_text(text: str) -> str:
    """Drop zero-width characters, fold odd spaces, strip each line, drop empty lines."""
    text = _ZERO_WIDTH_RE.sub("", text).replace("^^", "^")  # "3^\u200b^2" in the wild means 3²
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def normalise_unit_number(raw: str) -> str:
    """Normalise an article/paragraph number: "12¹", "12^1", "12 ^ 1", "12\u200b^1" → "12^1".

    A flattened "121" stays "121" here: only its neighbours can tell it means 12¹
    (see `resolve_flattened_number`).
    """
    if raw.isascii() and raw.isdigit():  # "12", most numbers: already normal
        return raw
    text = raw.translate(ZERO_WIDTH).strip().rstrip(".").strip()
    has_superscript = any(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in text)
    if has_superscript:
        match = _SUPERSCRIPT_NUMBER.fullmatch(text)
        if match:
            return f"{match.group(1)}^{match.group(2).translate(_SUPERSCRIPTS)}"
    match = _CARET_NUMBER.fullmatch(text)
    if match:
        return f"{match.group(1)}^{match.group(2)}"
    match = _SPACED_NUMBER.fullmatch(text)  # "12 1": superscript lost, space kept
    if match:
        return f"{match.group(1)}^{match.group(2)}"
    return _SPACES.sub("", text)


def _base(number: str) -> int | None:
    head = number.split("^", 1)[0]
    return int(head) if head.isdigit() else None


def resolve_flattened_number(number: str, previous: str | None, following: str | None) -> str:
    """Read "121" as "12^1" when its neighbours say so (between 12 and 13, or after 12^x).

    Plain text loses superscripts: "დაემატოს შემდეგი შინაარსის 261 მუხლი" means 26¹.
    """
    if not number.isdigit() or previous is None:
        return number
    prev_base = _base(previous)
    if prev_base is None or int(number) == prev_base + 1:
        return number
    prefix = str(prev_base)
    if number.startswith(prefix) and len(number) > len(prefix):
        suffix = number[len(prefix):]
        next_base = _base(following) if following else None
        plausible_next = next_base is None or next_base in (prev_base, prev_base + 1)
        if suffix.isdigit() and 0 < int(suffix) < 100 and not suffix.startswith("0") and plausible_next:
            return f"{prefix}^{suffix}"
    return number


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


_TO_ROMAN = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def int_to_roman(number: int) -> str:
    """7 → "VII" (chapters are numbered in Roman numerals)."""
    out = ""
    for value, letters in _TO_ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def roman_to_int(numeral: str) -> int | None:
    """"XIV" → 14; None for anything that is not a Roman numeral."""
    numeral = numeral.strip().upper()
    if not numeral or any(ch not in _ROMAN for ch in numeral):
        return None
    total = 0
    for ch, nxt in zip(numeral, numeral[1:] + " "):
        value = _ROMAN[ch]
        total += -value if nxt != " " and _ROMAN[nxt] > value else value
    return total


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_slash_date(text: str | None) -> date | None:
    """"07/03/2024" (the page's own format) → date; None when absent or impossible."""
    if not text:
        return None
    match = _SLASH_DATE.search(text)
    return _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None


def parse_dotted_date(text: str | None) -> date | None:
    """"07.05.2012" or "07.05.2012წ." (inside texts) → date."""
    if not text:
        return None
    match = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    return _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None


def parse_georgian_date(text: str | None) -> date | None:
    """"2006 წლის 29 დეკემბერი" → 2006-12-29."""
    if not text:
        return None
    match = re.search(r"(\d{4})\s+წლის\s+(\d{1,2})\s+([ა-ჰ]+)", text)
    if not match:
        return None
    word = match.group(3)
    month = next((m for stem, m in GEORGIAN_MONTHS.items() if word.startswith(stem)), None)
    return _safe_date(int(match.group(1)), month, int(match.group(2))) if month else None
