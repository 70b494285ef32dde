"""The interface every forecaster shares (the network and each baseline), and its output format.

``fit(history, train_end)`` learns from the rows up to ``train_end`` only; ``predict_many``
issues forecasts from each given last observed day ``o`` for ``o+1 .. o+7``, reading no row after
``o``. Both are enforced here, by cutting the history before a subclass sees it.

A *forecast frame* is long: one row per (last observed day, target, horizon) with columns
``last_observed, target, horizon, date, p05, p10, p25, p50, p75, p90, p95`` in observation
units (°C, µg/m³).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

import numpy as np
import pandas as pd

from seoulcast_assets.ml.evaluation.metrics import GRADES, grade_probabilities, pm10_grade
from seoulcast_assets.ml.inputs.history import history_until, on_calendar, validate_history
from seoulcast_assets.ml.inputs.variables import (
    HORIZONS,
    PM10_TARGET,
    QUANTILE_COLUMNS,
    QUANTILES,
    TARGETS,
)

FORECAST_COLUMNS: tuple[str, ...] = (
    "last_observed",
    "target",
    "horizon",
    "date",
    *QUANTILE_COLUMNS,
)
GRADE_COLUMNS: tuple[str, ...] = ("grade", *(f"p_{g}" for g in GRADES))


class ForecastModel(abc.ABC):
    """Fit on a training period, then forecast D+1..D+7 quantiles from any last observed day."""

    name: str
    history_days: int = 0
    """How many days before the earliest origin the model reads (for padding the calendar)."""
    fitted_through: pd.Timestamp | None = None

    def fit(self, history: pd.DataFrame, train_end=None) -> ForecastModel:
        """Learn from ``history`` up to ``train_end`` (default: its last day). Returns ``self``."""
        history = validate_history(history)
        train_end = pd.Timestamp(train_end) if train_end is not None else history.index.max()
        self._fit(history_until(history, train_end), train_end)
        self.fitted_through = train_end
        return self

    @property
    def trained_through(self) -> pd.Timestamp | None:
        """The last day the model learnt from (None before it is fit)."""
        return self.fitted_through

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every variable a forecast reads: the targets and the weather elements it uses (the
        columns of the registered model's signature)."""
        encoder = getattr(self, "encoder", None)
        return (*TARGETS, *(encoder.inputs if encoder is not None else ()))

    def missing_values(self, history: pd.DataFrame, last_observed_day) -> dict:
        """``{day: [variables missing that day]}`` over the days the forecast from
        ``last_observed_day`` reads (``history_days`` up to it): a forecast from them is
        *degraded* (each family says how it fills the gaps)."""
        end = pd.Timestamp(last_observed_day)
        start = end - pd.Timedelta(days=max(self.history_days, 1) - 1)
        window = on_calendar(history.loc[start:end], start=start, end=end)
        window = window.reindex(columns=list(self.inputs))
        missing = window.isna()
        return {
            day: [column for column in window.columns if missing.at[day, column]]
            for day in window.index[missing.any(axis=1)]
        }

    def missing_inputs(self, history: pd.DataFrame, last_observed_day) -> list[pd.Timestamp]:
        """Days of the input window with any input missing."""
        return list(self.missing_values(history, last_observed_day))

    def predict_many(self, history: pd.DataFrame, last_observed_days: Iterable) -> pd.DataFrame:
        """A forecast frame for every last observed day (no row after a day is read for it)."""
        origins = pd.DatetimeIndex(sorted(set(pd.DatetimeIndex(list(last_observed_days)))))
        if len(origins) == 0:
            return pd.DataFrame(columns=list(FORECAST_COLUMNS))
        history = history_until(validate_history(history), origins.max())
        start = min(history.index.min(), origins.min()) - pd.Timedelta(days=self.history_days)
        calendar = on_calendar(history, start=start, end=origins.max())
        quantiles = self._predict(calendar, origins)
        return forecast_frame(origins, quantiles)

    def predict(self, history: pd.DataFrame, last_observed_day) -> pd.DataFrame:
        """The forecast issued after ``last_observed_day``: one row per target and horizon.

        Columns: ``target, horizon, date, p05..p95`` and, on PM10 rows, ``grade`` (of the p50)
        and the grade probabilities ``p_good, p_moderate, p_bad, p_very_bad`` (empty on
        temperature rows).
        """
        frame = self.predict_many(history, [last_observed_day])
        return with_grades(frame).drop(columns=["last_observed"])

    @abc.abstractmethod
    def _fit(self, history: pd.DataFrame, train_end: pd.Timestamp) -> None: ...

    @abc.abstractmethod
    def _predict(self, calendar: pd.DataFrame, origins: pd.DatetimeIndex) -> dict[str, np.ndarray]:
        """Quantiles in observation units, ``{target: (origins, horizons, quantiles)}``.

        ``calendar`` has one row per day and ends at the last origin.
        """


def forecast_frame(origins: pd.DatetimeIndex, quantiles: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long forecast frame from ``{target: array(origins, horizons, quantiles)}``."""
    horizons = np.asarray(HORIZONS)
    parts = []
    for target, values in quantiles.items():
        values = np.sort(np.asarray(values, dtype=float), axis=-1)
        n = len(origins)
        part = pd.DataFrame(
            {
                "last_observed": np.repeat(origins.to_numpy(), len(horizons)),
                "target": target,
                "horizon": np.tile(horizons, n),
            }
        )
        part["date"] = part["last_observed"] + pd.to_timedelta(part["horizon"], unit="D")
        part[list(QUANTILE_COLUMNS)] = values.reshape(n * len(horizons), len(QUANTILES))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[list(FORECAST_COLUMNS)]


def with_grades(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the PM10 grade of the p50 and the grade probabilities (PM10 rows only)."""
    frame = frame.copy()
    pm10 = (frame["target"] == PM10_TARGET).to_numpy()
    frame["grade"] = None
    frame.loc[pm10, "grade"] = pm10_grade(frame.loc[pm10, "p50"].to_numpy())
    probabilities = np.full((len(frame), len(GRADES)), np.nan)
    if pm10.any():
        probabilities[pm10] = grade_probabilities(
            QUANTILES, frame.loc[pm10, list(QUANTILE_COLUMNS)].to_numpy()
        )
    for i, grade in enumerate(GRADES):
        frame[f"p_{grade}"] = probabilities[:, i]
    return frame
