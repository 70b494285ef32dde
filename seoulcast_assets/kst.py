"""Korea Standard Time: every date in SeoulCast is a KST calendar date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
KST_NAME = "Asia/Seoul"


def now_kst() -> datetime:
    return datetime.now(tz=KST)


def today_kst() -> date:
    """Today's date in Seoul, whatever the server's time zone."""
    return now_kst().date()


def yesterday_kst() -> date:
    """The newest day whose observations are complete."""
    return today_kst() - timedelta(days=1)


def date_range(start: date, end: date) -> list[date]:
    """Every day from ``start`` through ``end``, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
