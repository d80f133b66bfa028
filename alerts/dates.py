"""Dates as a reader expects them: "2026 წლის 25 ნოემბერი" in Georgian, "25 November 2026" in English."""

from __future__ import annotations

from datetime import date

__all__ = ["format_date"]

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
