"""The cleaned history as models read it, from the yearly tables (one request per year).

Returns the ML history contract (``seoulcast_assets.ml.data``): a ``DatetimeIndex`` named
``date``, float columns ``ta_avg, ta_max, ta_min, pm10_avg`` and the weather elements the tables
hold (times of day as hours, the derived pressure tendency and wind components; see
``ml/variables.py``); missing values are NaN and days never cleaned are absent.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from seoulcast_assets.cleaning.tables import read_year_tables
from seoulcast_assets.layout import clean_year_key
from seoulcast_assets.ml.data import with_derived_elements
from seoulcast_assets.ml.variables import TARGETS, WEATHER_ELEMENTS
from seoulcast_assets.storage import ObjectStore

YEAR_TABLES_PREFIX = "result/daily/"
_YEAR = re.compile(r"year=(\d{4})\.csv$")


def cleaned_years(store: ObjectStore) -> list[int]:
    return sorted(
        int(m.group(1)) for key in store.list_keys(YEAR_TABLES_PREFIX) if (m := _YEAR.search(key))
    )


def load_clean_history(
    store: ObjectStore, first_day: date | None = None, last_day: date | None = None
) -> pd.DataFrame:
    """Cleaned days between ``first_day`` and ``last_day`` (both optional, inclusive)."""
    years = cleaned_years(store)
    if first_day is not None:
        years = [y for y in years if y >= first_day.year]
    if last_day is not None:
        years = [y for y in years if y <= last_day.year]
    tables = store.get_many(clean_year_key(year) for year in years)
    table = read_year_tables(
        tables[clean_year_key(year)] for year in years if clean_year_key(year) in tables
    )
    table = with_derived_elements(table.set_index("date"))
    elements = [c for c in WEATHER_ELEMENTS if c in table.columns and table[c].notna().any()]
    history = table[[*TARGETS, *elements]].sort_index()
    history.index.name = "date"
    if first_day is not None:
        history = history.loc[pd.Timestamp(first_day) :]
    if last_day is not None:
        history = history.loc[: pd.Timestamp(last_day)]
    return history.astype(float)
