"""The daily history every model reads, and a loader for the tidy observation CSVs.

The history contract: a ``DataFrame`` indexed by a ``DatetimeIndex`` named ``date`` of KST
calendar days, with float columns ``ta_avg, ta_max, ta_min, pm10_avg``. ``NaN`` is a missing
value and whole days may be absent (the Korean War gap 1950-09-01..1953-11-30 is absent from the
KMA series; PM10 starts 2008-04-28). :func:`on_calendar` turns it into one row per day so that
windows can be cut by date rather than by row position.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from seoulcast_assets.ml.variables import TARGETS


def load_history(temperature_csv: str | Path, pm10_csv: str | Path | None = None) -> pd.DataFrame:
    """Read ``date,ta_avg,ta_max,ta_min`` and ``date,pm10_avg,...`` CSVs into the history contract.

    The values are taken as they are (no screening): cleaning belongs to the cleaning layer, and
    the tidy PM10 file is known to hold unscreened daily means.
    """
    temperature = _read_daily(temperature_csv, ["ta_avg", "ta_max", "ta_min"])
    frames = [temperature]
    if pm10_csv is not None:
        frames.append(_read_daily(pm10_csv, ["pm10_avg"]))
    history = pd.concat(frames, axis=1, join="outer").sort_index()
    return validate_history(history)


def _read_daily(path: str | Path, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(path, usecols=["date", *columns])
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    if frame["date"].duplicated().any():
        duplicated = frame.loc[frame["date"].duplicated(), "date"].dt.date.tolist()[:5]
        raise ValueError(f"{path}: duplicated dates {duplicated}")
    return frame.set_index("date")[columns].astype(float)


def validate_history(history: pd.DataFrame) -> pd.DataFrame:
    """Check the contract and return a copy with every target column present, as float, sorted."""
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
    return history[list(TARGETS)].astype(float).sort_index()


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
