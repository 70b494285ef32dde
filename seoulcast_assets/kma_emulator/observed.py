"""Serve real Seoul observations from CSV files, in KMA's formats.

ASOS days come from one of:

* a tidy file of every daily element under API Hub names (``seoul_asos_daily.csv``: ``date``,
  ``ta_avg``, ``ta_max_tm``, ``ws_avg`` ...), served as they are: each of the 56 ``kma_sfcdd3``
  fields the file has, every other field as KMA's sentinel (``-99.0`` for temperature-type
  fields, ``-9``/``-9.0``/``-9.00`` by the field's printed decimals, see :mod:`.render`). Columns
  KMA's API does not have (``wd_frq``, ``ca_mid``, ``sd_hr3``, ``te_005``..``te_03``) are not
  served. An empty cell is served as the sentinel; for precipitation and snow an empty cell
  means no precipitation, and KMA prints ``RN_DAY = -9.0`` on a dry day too, so a dry day is
  served as ``-9.0`` and a trace (``0``) as ``0.0``;
* KMA data-portal exports (any of its daily layouts, one file, several, or a folder), merged as
  ``seoulcast import-portal`` merges them (:mod:`seoulcast_assets.kma.portal_merge`);
* a tidy temperature file (``date,ta_avg,ta_max,ta_min``).

A source without the times of the daily extremes (the temperature files) gets plausible
invented ones, seeded. PM10 comes from a tidy daily file (``date,pm10_avg,pm10_max,pm10_min``),
turned into 5-minute readings that aggregate back to the file's values exactly (see
:mod:`.readings`). A day absent from the files is served without rows.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from seoulcast_assets.kma.columns import ASOS_COLUMNS
from seoulcast_assets.kma.portal import SEOUL, read_portal_export
from seoulcast_assets.kma.portal_merge import merge_portal_exports
from seoulcast_assets.kma_emulator.readings import readings_with_summary
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, Pm10Day, draw_extreme_times

TEMPERATURE_COLUMNS = ["ta_avg", "ta_max", "ta_min"]
PM10_COLUMNS = ["pm10_avg", "pm10_max", "pm10_min"]
SERVED_COLUMNS = ASOS_COLUMNS[2:]  # what a table may give: the fields after TM and STN

PathLike = str | os.PathLike[str]


class ObservedWeather:
    """A source backed by tables of daily observations (either may be None: nothing served).

    ``temperature`` needs ``date, ta_avg, ta_max, ta_min`` and may hold any other ASOS field by
    its API name (``ws_avg``, ``rn_day``, ``ta_max_tm`` ...); other columns are ignored.
    ``pm10`` needs ``date, pm10_avg, pm10_max, pm10_min``. ``seed`` fixes the invented parts
    (times of the daily extremes when the table has none, the shape of each day's readings).
    """

    observation_source = "emulator-observed"  # X-SeoulCast-Source of its replies

    def __init__(
        self,
        temperature: pd.DataFrame | None = None,
        pm10: pd.DataFrame | None = None,
        *,
        seed: int = 108,
    ):
        self.seed = seed
        self._asos = _daily_table(temperature, TEMPERATURE_COLUMNS, "temperature", SERVED_COLUMNS)
        self._pm10 = _daily_table(pm10, PM10_COLUMNS, "PM10")
        self.fields = [name for name in SERVED_COLUMNS if name in self._asos.columns]
        if "ta_max_tm" not in self._asos and "ta_min_tm" not in self._asos:
            rng = np.random.default_rng([seed, 1])
            max_tm, min_tm = draw_extreme_times(rng, len(self._asos))
            self._asos["ta_max_tm"] = np.where(self._asos["ta_max"].isna(), -9, max_tm)
            self._asos["ta_min_tm"] = np.where(self._asos["ta_min"].isna(), -9, min_tm)
        self._pm10_by_day = {
            day.date(): (row.pm10_avg, row.pm10_max, row.pm10_min)
            for day, row in zip(self._pm10["date"], self._pm10.itertuples(), strict=True)
        }

    @classmethod
    def from_files(
        cls,
        *,
        temperature_csv: PathLike | None = None,
        asos_csv: PathLike | None = None,
        pm10_csv: PathLike | None = None,
        portal_csv: PathLike | list[PathLike] | None = None,
        seed: int = 108,
    ) -> ObservedWeather:
        """ASOS days from one of ``asos_csv`` (every element), ``portal_csv`` (data-portal
        exports: a file, a folder of them, or a list) or ``temperature_csv``; PM10 from
        ``pm10_csv``."""
        given = [source for source in (temperature_csv, asos_csv, portal_csv) if source]
        if len(given) > 1:
            raise ValueError(
                "give the ASOS days either as a tidy CSV (temperature or every element) "
                "or as portal exports"
            )
        asos = None
        if temperature_csv:
            asos = pd.read_csv(temperature_csv, parse_dates=["date"])
        elif asos_csv:
            asos = pd.read_csv(asos_csv, parse_dates=["date"])
        elif portal_csv:
            asos = read_portal_days(portal_csv)
        pm10 = pd.read_csv(pm10_csv, parse_dates=["date"]) if pm10_csv else None
        return cls(asos, pm10, seed=seed)

    def __repr__(self) -> str:
        return (
            f"ObservedWeather({len(self._asos)} ASOS days with {len(self.fields)} fields, "
            f"{len(self._pm10)} PM10 days, seed={self.seed})"
        )

    def asos_days(self, start: date, end: date) -> pd.DataFrame:
        dates = self._asos["date"].to_numpy()  # sorted
        first = dates.searchsorted(np.datetime64(start, "ns"), side="left")
        last = dates.searchsorted(np.datetime64(end, "ns"), side="right")
        return self._asos.iloc[first:last].copy()

    def pm10_day(self, day: date) -> Pm10Day | None:
        summary = self._pm10_by_day.get(day)
        if summary is None:
            return None
        mean, maximum, minimum = summary
        rng = np.random.default_rng([self.seed, 3, day.toordinal()])
        values = readings_with_summary(mean, maximum, minimum, rng)
        return Pm10Day(np.arange(SLOTS_PER_DAY), values)


def read_portal_days(paths: PathLike | list[PathLike], station: int = SEOUL) -> pd.DataFrame:
    """The observed days of ``station`` in data-portal exports (files or folders of them)."""
    files: list[Path] = []
    for path in map(Path, paths if isinstance(paths, list) else [paths]):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"))
        else:
            files.append(path)
    exports = [read_portal_export(path.read_bytes(), str(path)) for path in files]
    table = merge_portal_exports(exports, station).table
    elements = [name for name in table.columns if name in SERVED_COLUMNS]
    return table.loc[table[elements].notna().any(axis=1)].reset_index(drop=True)


def _daily_table(
    table: pd.DataFrame | None,
    columns: list[str],
    what: str,
    optional: tuple[str, ...] = (),
) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]")} | {c: [] for c in columns})
    missing = [name for name in ["date", *columns] if name not in table.columns]
    if missing:
        raise ValueError(f"{what} table lacks the columns {', '.join(missing)}")
    extra = [name for name in optional if name in table.columns and name not in columns]
    table = table[["date", *columns, *extra]].copy()
    table["date"] = pd.to_datetime(table["date"]).dt.normalize()
    if table["date"].duplicated().any():
        duplicate = table.loc[table["date"].duplicated(), "date"].iloc[0]
        raise ValueError(f"{what} table lists {duplicate:%Y-%m-%d} twice")
    return table.sort_values("date", ignore_index=True)
