"""Serve real Seoul observations from CSV files, in KMA's formats.

Temperature comes from a tidy file (``date,ta_avg,ta_max,ta_min``) or from a KMA data-portal
export; PM10 from a tidy daily file (``date,pm10_avg,pm10_max,pm10_min``), turned into 5-minute
readings that aggregate back to the file's values exactly (see :mod:`.readings`). A day absent
from a file is served without rows; a missing value inside a day is served as KMA's -99.0.
"""

from __future__ import annotations

import os
from datetime import date

import numpy as np
import pandas as pd

from seoulcast_assets.kma.portal import read_portal_csv
from seoulcast_assets.kma_emulator.readings import readings_with_summary
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, Pm10Day, draw_extreme_times

TEMPERATURE_COLUMNS = ["ta_avg", "ta_max", "ta_min"]
PM10_COLUMNS = ["pm10_avg", "pm10_max", "pm10_min"]

PathLike = str | os.PathLike[str]


class ObservedWeather:
    """A source backed by tables of daily observations (either may be None: nothing served).

    ``temperature`` needs ``date, ta_avg, ta_max, ta_min``; ``pm10`` needs ``date, pm10_avg,
    pm10_max, pm10_min``. ``seed`` fixes the invented parts (times of the daily extremes, the
    shape of each day's readings).
    """

    def __init__(
        self,
        temperature: pd.DataFrame | None = None,
        pm10: pd.DataFrame | None = None,
        *,
        seed: int = 108,
    ):
        self.seed = seed
        self._temperature = _daily_table(temperature, TEMPERATURE_COLUMNS, "temperature")
        self._pm10 = _daily_table(pm10, PM10_COLUMNS, "PM10")
        rng = np.random.default_rng([seed, 1])
        max_tm, min_tm = draw_extreme_times(rng, len(self._temperature))
        self._temperature["ta_max_tm"] = np.where(self._temperature["ta_max"].isna(), -9, max_tm)
        self._temperature["ta_min_tm"] = np.where(self._temperature["ta_min"].isna(), -9, min_tm)
        self._pm10_by_day = {
            day.date(): (row.pm10_avg, row.pm10_max, row.pm10_min)
            for day, row in zip(self._pm10["date"], self._pm10.itertuples(), strict=True)
        }

    @classmethod
    def from_files(
        cls,
        *,
        temperature_csv: PathLike | None = None,
        pm10_csv: PathLike | None = None,
        portal_csv: PathLike | None = None,
        seed: int = 108,
    ) -> ObservedWeather:
        """Temperature from ``temperature_csv`` or ``portal_csv`` (not both), PM10 from
        ``pm10_csv``."""
        if temperature_csv and portal_csv:
            raise ValueError("give temperature either as a tidy CSV or as a portal export")
        temperature = None
        if temperature_csv:
            temperature = pd.read_csv(temperature_csv, parse_dates=["date"])
        elif portal_csv:
            temperature = read_portal_csv(portal_csv)
        pm10 = pd.read_csv(pm10_csv, parse_dates=["date"]) if pm10_csv else None
        return cls(temperature, pm10, seed=seed)

    def __repr__(self) -> str:
        return (
            f"ObservedWeather({len(self._temperature)} temperature days, "
            f"{len(self._pm10)} PM10 days, seed={self.seed})"
        )

    def asos_days(self, start: date, end: date) -> pd.DataFrame:
        dates = self._temperature["date"].to_numpy()  # sorted
        first = dates.searchsorted(np.datetime64(start, "ns"), side="left")
        last = dates.searchsorted(np.datetime64(end, "ns"), side="right")
        return self._temperature.iloc[first:last].copy()

    def pm10_day(self, day: date) -> Pm10Day | None:
        summary = self._pm10_by_day.get(day)
        if summary is None:
            return None
        mean, maximum, minimum = summary
        rng = np.random.default_rng([self.seed, 3, day.toordinal()])
        values = readings_with_summary(mean, maximum, minimum, rng)
        return Pm10Day(np.arange(SLOTS_PER_DAY), values)


def _daily_table(table: pd.DataFrame | None, columns: list[str], what: str) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]")} | {c: [] for c in columns})
    missing = [name for name in ["date", *columns] if name not in table.columns]
    if missing:
        raise ValueError(f"{what} table lacks the columns {', '.join(missing)}")
    table = table[["date", *columns]].copy()
    table["date"] = pd.to_datetime(table["date"]).dt.normalize()
    if table["date"].duplicated().any():
        duplicate = table.loc[table["date"].duplicated(), "date"].iloc[0]
        raise ValueError(f"{what} table lists {duplicate:%Y-%m-%d} twice")
    return table.sort_values("date", ignore_index=True)
