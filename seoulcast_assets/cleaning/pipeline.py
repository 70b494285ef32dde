"""Clean a range of days: read the raw layer, apply the rules, validate, write the clean layer.

:func:`clean_days` is the one entry point; the ``clean_daily`` asset, ``seoulcast
import-portal`` and any history bootstrap call it. It reads the parsed ASOS days of the range
widened by the longest interpolated gap on each side and the PM10 replies of the range (one
``get_many`` each), cleans them with vectorised pandas (temperature, PM10, the weather
elements), validates the table with the pandera schema (nothing is written if any day breaks
it), then writes every day's temperature, PM10 and weather CSVs with one ``put_many`` and
merges the days into the year tables the range touches. Each year table is merged with
:meth:`~seoulcast_assets.storage.ObjectStore.update`, so two runs over the same year at the
same time (a backfill and the 04:45 re-clean) both keep their days. Running it again on the
same raw days writes the same bytes, which the store skips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.elements import BY_NAME, ELEMENT_NAMES
from seoulcast_assets.cleaning.flags import FLAG_VOCABULARY, TEMPERATURE_COLUMNS, join_flags
from seoulcast_assets.cleaning.pm10 import clean_pm10
from seoulcast_assets.cleaning.policy import DEFAULT_POLICY, CleaningPolicy
from seoulcast_assets.cleaning.raw import read_raw_asos, read_raw_readings
from seoulcast_assets.cleaning.schemas import validate_clean_days
from seoulcast_assets.cleaning.tables import (
    YEAR_COLUMNS,
    format_clean_rows,
    merge_year_table,
    render_day_objects,
    year_rows,
)
from seoulcast_assets.cleaning.temperature import (
    clean_temperature,
    in_war_gap,
    temperature_read_window,
)
from seoulcast_assets.cleaning.weather import clean_weather
from seoulcast_assets.kma.coverage import PM10_START
from seoulcast_assets.layout import clean_year_key
from seoulcast_assets.storage import ObjectStore


@dataclass
class CleaningReport:
    """What one cleaning run produced; :meth:`summary` is its Dagster metadata."""

    first_day: date
    last_day: date
    policy: CleaningPolicy
    table: pd.DataFrame  # the cleaned days, validated (YEAR_COLUMNS)
    flag_days: dict[str, int]  # days carrying each flag (only flags that occur)
    years: list[int] = field(default_factory=list)
    objects_written: int = 0
    objects_changed: int = 0
    # One row per weather value a rule removed: date, column, reason, rule, value (weather.py).
    rule_failures: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def days(self) -> int:
        return len(self.table)

    @property
    def war_gap_days(self) -> list[date]:
        return _days_where(self.table, in_war_gap(pd.DatetimeIndex(self.table["date"])))

    @property
    def missing_temperature_days(self) -> list[date]:
        """Days without a complete temperature triple, the Korean War gap excepted."""
        incomplete = self.table[list(TEMPERATURE_COLUMNS)].isna().any(axis=1).to_numpy()
        war_gap = in_war_gap(pd.DatetimeIndex(self.table["date"]))
        return _days_where(self.table, incomplete & ~war_gap)

    @property
    def missing_pm10_days(self) -> list[date]:
        """Days of the PM10 series (from 2008-04-28) without a daily PM10 value."""
        in_series = (self.table["date"] >= pd.Timestamp(PM10_START)).to_numpy()
        return _days_where(self.table, in_series & self.table["pm10_avg"].isna().to_numpy())

    @property
    def pm10_series_days(self) -> int:
        return int((self.table["date"] >= pd.Timestamp(PM10_START)).sum())

    def element_days(self, element: str) -> int:
        """Days of the run on which ``element`` is expected: from the day Seoul's record holds
        it daily (``Element.expected_from``), the war gap excepted."""
        return int(self._expected(element).sum())

    def missing_element_days(self, element: str) -> list[date]:
        """Days without a value of ``element`` where one is expected (:meth:`element_days`)."""
        empty = self.table[element].isna().to_numpy()
        return _days_where(self.table, empty & self._expected(element))

    def _expected(self, element: str) -> np.ndarray:
        dates = pd.DatetimeIndex(self.table["date"])
        begun = dates >= pd.Timestamp(BY_NAME[element].expected_from)
        return np.asarray(begun) & ~in_war_gap(dates)

    @property
    def sources(self) -> dict[str, int]:
        """Days by where their observations come from ('' for a day without an ASOS row)."""
        counts = self.table["source"].fillna("").value_counts()
        return {str(source): int(counts[source]) for source in sorted(counts.index)}

    def flags_of(self, day: date) -> list[str]:
        row = self.table.loc[self.table["date"] == pd.Timestamp(day), "flags"]
        return [token for token in row.iloc[0].split(";") if token] if len(row) else []

    def summary(self) -> dict[str, object]:
        missing_ta, missing_pm10 = self.missing_temperature_days, self.missing_pm10_days
        return {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "days": self.days,
            "war_gap_days": len(self.war_gap_days),
            "missing_temperature_days": len(missing_ta),
            "missing_temperature_sample": _sample(missing_ta),
            "missing_pm10_days": len(missing_pm10),
            "missing_pm10_sample": _sample(missing_pm10),
            "missing_weather_days": {
                element: len(self.missing_element_days(element)) for element in ELEMENT_NAMES
            },
            "observations_source": self.sources,
            "flag_days": dict(self.flag_days),
            "years_rebuilt": ", ".join(str(year) for year in self.years),
            "objects_written": self.objects_written,
            "objects_changed": self.objects_changed,
            "policy": self.policy.to_dict(),
        }


def clean_days(
    store: ObjectStore, first: date, last: date, policy: CleaningPolicy = DEFAULT_POLICY
) -> CleaningReport:
    """Clean the days ``first..last`` from the raw layer into the clean layer of ``store``."""
    report = prepare_clean_days(store, first, last, policy)
    publish_clean_days(store, report)
    return report


def prepare_clean_days(
    store: ObjectStore, first: date, last: date, policy: CleaningPolicy = DEFAULT_POLICY
) -> CleaningReport:
    """Read and clean the days ``first..last`` and validate them; nothing is written yet."""
    if first > last:
        raise ValueError(f"empty range {first}..{last}")
    read_first, read_last = temperature_read_window(first, last, policy)
    asos = read_raw_asos(store, read_first, read_last)
    pm10 = read_raw_readings(store, max(first, PM10_START), last)
    table, failures = _clean(
        asos.rows, asos.collected, pm10.readings, pm10.collected, first, last, policy
    )
    report = CleaningReport(first, last, policy, table, flag_day_counts(table))
    report.years = list(range(first.year, last.year + 1))
    report.rule_failures = failures
    return report


def publish_clean_days(store: ObjectStore, report: CleaningReport) -> None:
    """Write a prepared report's days: every day's CSVs, then each year table merged with
    what the store holds for the other days of the year (a conditional update)."""
    cells = format_clean_rows(report.table)
    day_objects = render_day_objects(cells)
    changed = store.put_many(day_objects)
    rows_by_year = year_rows(cells)
    for year, rows in rows_by_year.items():
        changed += store.update(
            clean_year_key(year), lambda existing, rows=rows: merge_year_table(rows, existing)
        )
    report.objects_written = len(day_objects) + len(rows_by_year)
    report.objects_changed = changed


def clean_day_table(
    asos_rows: pd.DataFrame,
    asos_collected: pd.DatetimeIndex,
    readings: pd.DataFrame,
    pm10_collected: pd.DatetimeIndex,
    first: date,
    last: date,
    policy: CleaningPolicy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """The validated cleaned table (``YEAR_COLUMNS``, one row per day ``first..last``) from raw
    ASOS rows (temperatures, weather elements, ``source``; see :mod:`.raw`) and PM10 readings;
    no storage involved."""
    return _clean(asos_rows, asos_collected, readings, pm10_collected, first, last, policy)[0]


def _clean(
    asos_rows: pd.DataFrame,
    asos_collected: pd.DatetimeIndex,
    readings: pd.DataFrame,
    pm10_collected: pd.DatetimeIndex,
    first: date,
    last: date,
    policy: CleaningPolicy,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The validated table and the weather rules' failures (:class:`.weather.CleanWeather`)."""
    ta_values, ta_flags = clean_temperature(asos_rows, asos_collected, first, last, policy)
    pm10_values, pm10_flags = clean_pm10(readings, pm10_collected, first, last, policy)
    weather = clean_weather(asos_rows, asos_collected, ta_values["ta_avg"], first, last, policy)
    flags = pd.concat([ta_flags, pm10_flags, weather.flags], axis=1)[list(FLAG_VOCABULARY)]
    table = pd.concat([ta_values, pm10_values, weather.values], axis=1)
    sources = asos_rows["source"] if "source" in asos_rows else pd.Series(dtype=object)
    table["source"] = sources.reindex(table.index).fillna("").to_numpy(dtype=object)
    table["flags"] = join_flags(flags)
    table = table.rename_axis("date").reset_index()[list(YEAR_COLUMNS)]
    return validate_clean_days(table), weather.failures


def flag_day_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many days carry each flag, in vocabulary order (flags on no day left out)."""
    tokens = table["flags"].str.split(";").explode()
    counts = tokens[tokens != ""].value_counts()
    return {flag: int(counts[flag]) for flag in FLAG_VOCABULARY if flag in counts}


def _days_where(table: pd.DataFrame, mask: np.ndarray) -> list[date]:
    return [stamp.date() for stamp in table.loc[mask, "date"]]


def _sample(days: list[date], limit: int = 10) -> str:
    shown = ", ".join(day.isoformat() for day in days[:limit])
    return f"{shown} (+{len(days) - limit} more)" if len(days) > limit else shown
