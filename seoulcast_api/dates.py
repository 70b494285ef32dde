"""Dates as the API accepts them: ``YYYY-MM-DD`` KST calendar days, nothing looser."""

from __future__ import annotations

import re
from datetime import date

from litestar.exceptions import ValidationException

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SHOWN_CHARACTERS = 20  # of a rejected value, in the error message


def parse_day(value: str, name: str) -> date:
    """``value`` as a date, or a 400 whose message names the parameter and the bad value."""
    if ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    shown = value if len(value) <= SHOWN_CHARACTERS else value[:SHOWN_CHARACTERS] + "…"
    raise ValidationException(f"{name} must be a calendar date written YYYY-MM-DD, got {shown!r}.")


def shift(day: date, days: int) -> date:
    """``day`` moved by ``days``, held within the calendar instead of overflowing."""
    ordinal = min(max(day.toordinal() + days, date.min.toordinal()), date.max.toordinal())
    return date.fromordinal(ordinal)
