"""The daily history every model reads, and a loader for the tidy observation CSVs.

The history contract: a ``DataFrame`` indexed by a ``DatetimeIndex`` named ``date`` of KST
calendar days, with float columns ``ta_avg, ta_max, ta_min, pm10_avg`` and, optionally, any of
the weather elements of :data:`~seoulcast_assets.ml.inputs.variables.WEATHER_ELEMENTS` (wind,
humidity, pressure, cloud, sunshine, radiation, precipitation, snow, ground temperatures).
``NaN`` is a missing value and whole days may be absent (the Korean War gap
1950-09-01..1953-11-30 is absent from the KMA series; PM10 starts 2008-04-28; elements start
in different years).
:func:`on_calendar` turns it into one row per day so that windows can be cut by date rather than
by row position.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from seoulcast_assets.ml.inputs.variables import (
    TARGETS,
    TIME_OF_DAY_ELEMENTS,
    WEATHER_ELEMENTS,
    ZERO_WHEN_ABSENT,
)


def load_history(
    temperature_csv: str | Path,
    pm10_csv: str | Path | None = None,
    asos_csv: str | Path | None = None,
) -> pd.DataFrame:
    """Read ``date,ta_avg,ta_max,ta_min`` and ``date,pm10_avg,...`` CSVs into the history contract,
    and the weather elements of an ASOS CSV with the columns of ``seoul_asos_daily.csv`` (any
    subset beyond ``date``; its temperatures are not read, the temperature file has them).

    The values are taken as they are (no screening): cleaning belongs to the cleaning layer, and
    the tidy PM10 file is known to hold unscreened daily means. In the ASOS file a blank
    precipitation or snow cell is a day without any (as in the cleaned tables, where it is 0).
    """
    temperature = _read_daily(temperature_csv, ["ta_avg", "ta_max", "ta_min"])
    frames = [temperature]
    if pm10_csv is not None:
        frames.append(_read_daily(pm10_csv, ["pm10_avg"]))
    if asos_csv is not None:
        frames.append(read_asos_elements(asos_csv))
    history = pd.concat(frames, axis=1, join="outer").sort_index()
    return validate_history(history)


def read_asos_elements(path: str | Path) -> pd.DataFrame:
    """The weather elements of an ASOS daily CSV (``seoul_asos_daily.csv`` columns, times of
    day as KMA's ``hhmi``), with blank precipitation and snow read as 0 and the derived elements
    (:func:`with_derived_elements`)."""
    header = pd.read_csv(path, nrows=0).columns
    wanted = [c for c in (*WEATHER_ELEMENTS, "wd_max") if c in header]
    elements = _read_daily(path, wanted)
    for column in ZERO_WHEN_ABSENT:
        if column in elements:
            elements[column] = elements[column].fillna(0.0)
    return with_derived_elements(elements)


def with_derived_elements(frame: pd.DataFrame) -> pd.DataFrame:
    """Times of day ``hhmi`` -> hours, the max wind's components, the pressure tendency."""
    frame = frame.copy()
    for column in TIME_OF_DAY_ELEMENTS:
        if column in frame:
            frame[column] = hhmi_to_hours(frame[column])
    frame = with_wind_components(frame)
    if {"ps_max", "ps_min", "ps_max_tm", "ps_min_tm"} <= set(frame.columns):
        rising = np.sign(frame["ps_max_tm"] - frame["ps_min_tm"])
        frame["ps_tendency"] = (frame["ps_max"] - frame["ps_min"]) * rising.replace(0, 1)
    return frame


def hhmi_to_hours(values: pd.Series) -> pd.Series:
    """KMA's times of day (``704`` = 07:04, also as text ``"0704"``) as hours after midnight;
    anything that is not a time of day (negative, minutes >= 60, past 24:00) is missing."""
    number = pd.to_numeric(values, errors="coerce")
    hours, minutes = number // 100, number % 100
    valid = (number >= 0) & (minutes < 60) & (number <= 2400)
    return (hours + minutes / 60).where(valid)


def with_wind_components(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``ws_max_u``/``ws_max_v`` (the max wind's components, m/s, toward where it blows)
    from ``ws_max`` and ``wd_max`` (degrees, where it blows from) when they are not there."""
    if {"ws_max", "wd_max"} <= set(frame.columns) and "ws_max_u" not in frame:
        direction = np.deg2rad(frame["wd_max"].to_numpy(dtype=float))
        speed = frame["ws_max"].to_numpy(dtype=float)
        frame = frame.assign(
            ws_max_u=-speed * np.sin(direction), ws_max_v=-speed * np.cos(direction)
        )
    return frame


def _read_daily(path: str | Path, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(path, usecols=["date", *columns])
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    if frame["date"].duplicated().any():
        duplicated = frame.loc[frame["date"].duplicated(), "date"].dt.date.tolist()[:5]
        raise ValueError(f"{path}: duplicated dates {duplicated}")
    return frame.set_index("date")[columns].astype(float)


def validate_history(history: pd.DataFrame) -> pd.DataFrame:
    """Check the contract and return a copy with every target column present (and the weather
    elements it has), as float, sorted; other columns are dropped."""
    if not isinstance(history.index, pd.DatetimeIndex):
        raise TypeError("history must be indexed by a DatetimeIndex of KST dates")
    if history.index.has_duplicates:
        raise ValueError("history has duplicated dates")
    history = history.copy()
    history.index = history.index.normalize()
    history.index.name = "date"
    for column in TARGETS:
        if column not in history.columns:
            history[column] = np.nan
    elements = [c for c in WEATHER_ELEMENTS if c in history.columns]
    return history[[*TARGETS, *elements]].astype(float).sort_index()


def on_calendar(history: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """One row per calendar day from ``start`` to ``end`` (defaults: the history's span).

    Absent days become rows of ``NaN``, so position ``i`` in the result is always day
    ``start + i``.
    """
    history = validate_history(history)
    start = pd.Timestamp(start) if start is not None else history.index.min()
    end = pd.Timestamp(end) if end is not None else history.index.max()
    days = pd.date_range(start, end, freq="D", name="date")
    return history.reindex(days)


def history_until(history: pd.DataFrame, last_day) -> pd.DataFrame:
    """The rows up to and including ``last_day``: the only rows a fit with that cut may see."""
    return history.loc[: pd.Timestamp(last_day)]
