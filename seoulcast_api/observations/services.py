"""Reading cleaned days from the yearly tables: one cached GET per year, parsed once."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from seoulcast_api.cache import Cached, ObjectCache, combined
from seoulcast_api.observations.schemas import ObservedDay
from seoulcast_assets.layout import clean_year_key

YearTable = Mapping[date, ObservedDay]

# The columns this endpoint serves. A year table written before later columns were added (the
# weather elements, their times of day) still has these, so it stays readable; only a table
# without them is outside the contract.
SERVED_COLUMNS = ("date", "ta_avg", "ta_max", "ta_min", "pm10_avg", "pm10_max", "pm10_min",
                  "pm10_n_valid", "flags")  # fmt: skip


def _number(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def parse_year_table(raw: bytes) -> YearTable:
    """A yearly table as days by date (raising ValueError on anything outside the contract)."""
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    missing = [column for column in SERVED_COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"missing columns {missing}")
    days = {}
    for row in reader:
        day = date.fromisoformat(row["date"])
        n_valid = _number(row["pm10_n_valid"])
        days[day] = ObservedDay(
            date=day,
            ta_avg=_number(row["ta_avg"]),
            ta_max=_number(row["ta_max"]),
            ta_min=_number(row["ta_min"]),
            pm10_avg=_number(row["pm10_avg"]),
            pm10_max=_number(row["pm10_max"]),
            pm10_min=_number(row["pm10_min"]),
            pm10_n_valid=None if n_valid is None else int(n_valid),
            flags=[flag for flag in row["flags"].split(";") if flag],
        )
    return MappingProxyType(days)


class ObservationService:
    def __init__(self, cache: ObjectCache):
        self.cache = cache

    def between(self, start: date, end: date) -> Cached[list[ObservedDay]]:
        """Cleaned days from ``start`` through ``end``, in date order (uncleaned days absent)."""
        keys = [clean_year_key(year) for year in range(start.year, end.year + 1)]
        tables = self.cache.read_many(keys, parse_year_table)
        days = [
            day
            for read in tables.values()
            for moment, day in read.value.items()
            if start <= moment <= end
        ]
        return combined(sorted(days, key=lambda day: day.date), tables.values())
