"""Daily figures from 5-minute PM10 readings, before any cleaning.

This is the day as KMA measured it: zero readings (sensor noise) and single-reading spikes are
all included. Screening them is the cleaning layer's job, which keeps these numbers comparable
with KMA's own daily statistics.
"""

from __future__ import annotations

import pandas as pd

PM10_DAY_COLUMNS = ["date", "pm10_avg", "pm10_max", "pm10_min", "n_valid", "n_records"]


def summarize_pm10_days(readings: pd.DataFrame) -> pd.DataFrame:
    """One row per KST day that has at least one record, from :func:`parse_pm10` output.

    ``pm10_avg``/``pm10_max``/``pm10_min`` are over the valid (non-NaN) readings, unrounded;
    ``n_valid`` counts those, ``n_records`` counts every row KMA sent for the day. ``date`` is
    midnight of the day (datetime64), as in :func:`parse_asos_daily`. The 00:00 reading belongs to
    its own day and 23:55 is the last slot of a day.
    """
    if readings.empty:
        return pd.DataFrame({name: pd.Series(dtype=_dtype(name)) for name in PM10_DAY_COLUMNS})
    by_day = readings.groupby(readings["time"].dt.normalize().rename("date"))["pm10"]
    daily = by_day.agg(["mean", "max", "min", "count", "size"])
    daily.columns = PM10_DAY_COLUMNS[1:]
    return daily.reset_index()


def _dtype(name: str) -> str:
    if name == "date":
        return "datetime64[ns]"
    return "int64" if name.startswith("n_") else "float64"
