"""The cleaned layer's CSVs, exactly as ``docs/object-store.md`` lays them out.

* ``result/temperature/date=YYYY-MM/YYYY-MM-DD.csv``: ``date,ta_avg,ta_max,ta_min,flags``
* ``result/pm10/date=YYYY-MM/YYYY-MM-DD.csv``:
  ``date,pm10_avg,pm10_max,pm10_min,pm10_n_valid,flags`` (only from 2008-04-28)
* ``result/weather/date=YYYY-MM/YYYY-MM-DD.csv``: ``date``, the weather columns of
  :mod:`.elements`, ``source``, ``flags``
* ``result/daily/year=YYYY.csv``: every cleaned day of the year, sorted, with all columns.

Values have one decimal (``si_day`` two, as KMA prints it), counts and the times of day none
(``pm10_n_valid`` 288, ``ta_max_tm`` 704 for 07:04, as KMA's hhmi), a missing value is an
empty cell, and flags are the day's ``;``-joined tokens (the per-variable files carry only
their own variable's flags).
Rendering is deterministic, so cleaning the same raw days again gives the same bytes and the
store skips the write. A year table is merged row by row as text: the rows of days outside the
run are carried over byte for byte, so a one-day run keeps the rest of its year unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.elements import DECIMALS, WEATHER_COLUMNS
from seoulcast_assets.cleaning.flags import (
    PM10_FLAG_SUBJECTS,
    TEMPERATURE_FLAG_SUBJECTS,
    WEATHER_FLAG_SUBJECTS,
    flags_about,
    split_flags,
)
from seoulcast_assets.kma.coverage import PM10_START
from seoulcast_assets.layout import YEAR_COLUMNS, clean_key, clean_year_key

TEMPERATURE_FILE_COLUMNS = ("date", "ta_avg", "ta_max", "ta_min", "flags")
PM10_FILE_COLUMNS = ("date", "pm10_avg", "pm10_max", "pm10_min", "pm10_n_valid", "flags")
WEATHER_FILE_COLUMNS = ("date", *WEATHER_COLUMNS, "source", "flags")
_DECIMAL_COLUMNS = {
    **dict.fromkeys(("ta_avg", "ta_max", "ta_min", "pm10_avg", "pm10_max", "pm10_min"), 1),
    **DECIMALS,
}
_TEXT_COLUMNS = ("source", "flags")


def format_clean_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The cleaned table (``YEAR_COLUMNS``, ``date`` as datetime64) as the cells of its CSVs:
    strings, plus ``ta_flags``, ``pm10_flags`` and ``weather_flags`` for the per-day files."""
    cells = pd.DataFrame({"date": table["date"].dt.strftime("%Y-%m-%d").to_numpy()})
    for column, decimals in _DECIMAL_COLUMNS.items():
        cells[column] = _decimals(table[column].to_numpy(dtype=float), decimals)
    counts = table["pm10_n_valid"].to_numpy(dtype=float)
    cells["pm10_n_valid"] = [f"{count:.0f}" if count == count else "" for count in counts]
    cells["source"] = table["source"].fillna("").to_numpy(dtype=object)
    cells["flags"] = table["flags"].to_numpy(dtype=object)
    cells = cells[list(YEAR_COLUMNS)]
    tokens = [split_flags(flags) for flags in cells["flags"]]
    cells["ta_flags"] = [flags_about(day, TEMPERATURE_FLAG_SUBJECTS) for day in tokens]
    cells["pm10_flags"] = [flags_about(day, PM10_FLAG_SUBJECTS) for day in tokens]
    cells["weather_flags"] = [flags_about(day, WEATHER_FLAG_SUBJECTS) for day in tokens]
    return cells


def render_day_objects(cells: pd.DataFrame) -> dict[str, bytes]:
    """Per-day objects: a temperature and a weather CSV for every day, a PM10 CSV from
    2008-04-28 on."""
    objects = {}
    temperature_header = ",".join(TEMPERATURE_FILE_COLUMNS)
    pm10_header = ",".join(PM10_FILE_COLUMNS)
    weather_header = ",".join(WEATHER_FILE_COLUMNS)
    weather_rows = _joined(cells, [*WEATHER_COLUMNS, "source", "weather_flags"])
    pm10_from = PM10_START.isoformat()
    rows = cells[[*YEAR_COLUMNS[:8], "ta_flags", "pm10_flags"]].itertuples(index=False)
    for row, weather in zip(rows, weather_rows, strict=True):
        day, ta_avg, ta_max, ta_min, avg, high, low, n_valid, ta_flags, pm10_flags = row
        date = pd.Timestamp(day).date()
        objects[clean_key("temperature", date)] = (
            f"{temperature_header}\n{day},{ta_avg},{ta_max},{ta_min},{ta_flags}\n".encode()
        )
        if day >= pm10_from:  # ISO dates compare as text
            objects[clean_key("pm10", date)] = (
                f"{pm10_header}\n{day},{avg},{high},{low},{n_valid},{pm10_flags}\n".encode()
            )
        objects[clean_key("weather", date)] = f"{weather_header}\n{day},{weather}\n".encode()
    return objects


def year_rows(cells: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """The formatted rows of ``cells`` (``YEAR_COLUMNS``) grouped by year, in year order."""
    cells = cells[list(YEAR_COLUMNS)]
    years = cells["date"].str.slice(0, 4).astype(int)
    return {int(year): rows for year, rows in cells.groupby(years.to_numpy(), sort=True)}


def merge_year_table(rows: pd.DataFrame, existing: bytes | None) -> bytes:
    """A year table holding ``rows`` (one year's formatted rows) and, for every other day,
    the row ``existing`` (the stored table of that year, if any) holds, byte for byte."""
    if existing is not None:
        kept = year_table_cells(existing)
        kept = kept[~kept["date"].isin(rows["date"])]
        rows = pd.concat([kept, rows], ignore_index=True)
    return _csv(rows.sort_values("date", kind="stable", ignore_index=True))


def render_year_tables(cells: pd.DataFrame, existing: Mapping[int, bytes]) -> dict[str, bytes]:
    """The year tables of every year in ``cells``, merged with the ``existing`` tables (by year)."""
    return {
        clean_year_key(year): merge_year_table(rows, existing.get(year))
        for year, rows in year_rows(cells).items()
    }


def year_table_cells(data: bytes) -> pd.DataFrame:
    """A year table as text cells in ``YEAR_COLUMNS`` order (a column it lacks is empty)."""
    cells = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False)
    if "date" not in cells.columns:
        raise ValueError("a year table without a date column")
    return cells.reindex(columns=list(YEAR_COLUMNS), fill_value="")


def read_year_tables(tables: Iterable[bytes]) -> pd.DataFrame:
    """Year tables as one typed table (``YEAR_COLUMNS``): ``date`` (datetime64), floats,
    ``source`` and ``flags`` (str, '' when empty). A column an older table lacks is empty."""
    frames = [year_table_cells(data) for data in tables]
    cells = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(YEAR_COLUMNS), dtype=str)
    )
    typed = pd.DataFrame({"date": pd.to_datetime(cells["date"], format="%Y-%m-%d")})
    for column in YEAR_COLUMNS[1:]:
        if column in _TEXT_COLUMNS:
            typed[column] = cells[column].astype(str)
        else:
            text = cells[column].mask(cells[column] == "")
            typed[column] = pd.to_numeric(text, errors="raise").astype(float)
    return typed


def _decimals(values: np.ndarray, decimals: int = 1) -> list[str]:
    """Each value with ``decimals`` decimals, '' for NaN (formatted once per distinct value)."""
    rounded = np.round(values, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    codes, distinct = pd.factorize(rounded)  # NaN gets code -1: the empty cell, last below
    texts = np.array([*(f"{value:.{decimals}f}" for value in distinct.tolist()), ""], dtype=object)
    return texts[codes].tolist()


def _joined(cells: pd.DataFrame, columns: list[str]) -> list[str]:
    """Each row's cells of ``columns`` joined with commas."""
    return [",".join(row) for row in zip(*(cells[c].tolist() for c in columns), strict=True)]


def _csv(cells: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    cells.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode()
