"""Dates as a reader expects them: "2026 წლის 25 ნოემბერი" in Georgian, "25 November 2026" in English."""

from __future__ import annotations

from datetime import date

__all__ = ["date_in_words", "format_date", "format_range"]

_KA_MONTHS = ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო",
              "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def format_date(value: date | None, language: str = "ka") -> str:
    if value is None:
        return "—"
    if language == "ka":
        return f"{value.year} წლის {value.day} {_KA_MONTHS[value.month - 1]}"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def date_in_words(value: date | str | None, language: str = "ka") -> str | None:
    """A stored date (a date, or its ISO text, a timestamp's date part included) in words; None when not stored."""
    if not value:
        return None
    return format_date(date.fromisoformat(value[:10]) if isinstance(value, str) else value, language)


def format_range(first: date, last: date, language: str = "ka") -> str:
    """The days from `first` to `last`, in words: "1–7 დეკემბერი 2026" / "1–7 December 2026",
    "30 ნოემბერი – 6 დეკემბერი 2026", "29 December 2025 – 4 January 2027"."""
    months = _KA_MONTHS if language == "ka" else _EN_MONTHS
    if first.year != last.year:
        return (f"{first.day} {months[first.month - 1]} {first.year} – "
                f"{last.day} {months[last.month - 1]} {last.year}")
    if first.month != last.month:
        return f"{first.day} {months[first.month - 1]} – {last.day} {months[last.month - 1]} {last.year}"
    if first.day != last.day:
        return f"{first.day}–{last.day} {months[last.month - 1]} {last.year}"
    return f"{last.day} {months[last.month - 1]} {last.year}"
