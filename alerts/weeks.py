"""ISO weeks in Tbilisi time: which week a digest covers, and its bounds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["TBILISI", "last_week", "week_bounds"]

TBILISI = ZoneInfo("Asia/Tbilisi")


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """"2026-W48" → [Monday 00:00, next Monday 00:00) in Tbilisi time."""
    try:
        year, number = week.split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W48") from None
    start = datetime.combine(monday, time(0), TBILISI)
    return start, start + timedelta(days=7)


def last_week(now: datetime) -> str:
    """The ISO week that ended before `now` (Monday's digest covers the week just past)."""
    year, number, _ = (now.astimezone(TBILISI).date() - timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"
