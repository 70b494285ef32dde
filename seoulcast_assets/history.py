"""The cleaned history as models read it, from the yearly tables (one request per year).

Returns the ML history contract (``seoulcast_assets.ml.inputs.history``): a ``DatetimeIndex`` named
``date``, float columns ``ta_avg, ta_max, ta_min, pm10_avg`` and the weather elements the tables
hold (times of day as hours, the derived pressure tendency and wind components; see
``ml/inputs/variables.py``); missing values are NaN and days never cleaned are absent.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from seoulcast_assets.cleaning.tables import read_year_tables
from seoulcast_assets.layout import clean_year_key
from seoulcast_assets.ml.inputs.history import with_derived_elements
from seoulcast_assets.ml.inputs.variables import TARGETS, WEATHER_ELEMENTS
from seoulcast_assets.storage import ObjectStore

YEAR_TABLES_PREFIX = "result/daily/"
_YEAR = re.compile(r"year=(\d{4})\.csv$")


def cleaned_years(store: ObjectStore) -> list[int]:
    return sorted(
        int(m.group(1)) for key in store.list_keys(YEAR_TABLES_PREFIX) if (m := _YEAR.search(key))
    )


def read_clean_table(
    store: ObjectStore, first_day: date | None = None, last_day: date | None = None
) -> pd.DataFrame:
    """The year tables' rows between ``first_day`` and ``last_day`` (both optional, inclusive),
    every column, indexed by date."""
    years = cleaned_years(store)
    if first_day is not None:
        years = [y for y in years if y >= first_day.year]
    if last_day is not None:
        years = [y for y in years if y <= last_day.year]
    tables = store.get_many(clean_year_key(year) for year in years)
    table = read_year_tables(
        tables[clean_year_key(year)] for year in years if clean_year_key(year) in tables
    )
    table = table.set_index("date").sort_index()
    if first_day is not None:
        table = table.loc[pd.Timestamp(first_day) :]
    if last_day is not None:
        table = table.loc[: pd.Timestamp(last_day)]
    return table


def model_history(table: pd.DataFrame) -> pd.DataFrame:
    """The ML history contract from cleaned rows (:func:`read_clean_table`)."""
    table = with_derived_elements(table)
    elements = [c for c in WEATHER_ELEMENTS if c in table.columns and table[c].notna().any()]
    history = table[[*TARGETS, *elements]].astype(float)
    history.index.name = "date"
    return history


def load_clean_history(
    store: ObjectStore, first_day: date | None = None, last_day: date | None = None
) -> pd.DataFrame:
    """Cleaned days between ``first_day`` and ``last_day`` (both optional, inclusive)."""
    return model_history(read_clean_table(store, first_day, last_day))


def observations_source(table: pd.DataFrame) -> str | None:
    """Where the newest observed day of cleaned rows came from (``kma``, ``emulator-synthetic``,
    ``emulator-observed``, ``portal-import``), or None when no row says.

    The newest day is the one a forecast or a retrain leans on most, and the one that tells a
    live pipeline (``kma``) from a demo (``emulator-*``) when older years were imported."""
    if "source" not in table:
        return None
    sources = table["source"].astype("string").replace("", pd.NA).dropna()
    return None if sources.empty else str(sources.iloc[-1])
