"""Reference forecasters the network must beat, with the same fit/predict interface.

* :class:`Persistence` — tomorrow (and every later day) is like the last observed day.
* :class:`ClimatologyWithTrend` — the seasonal normal with a linear trend, ignoring recent days.
* :class:`LaggedAnomalyLinear` — per target and horizon, a ridge regression of the anomaly on
  the last week of anomalies.
* :class:`AllElementsLinear` — the same regression on the last week of anomalies of every
  target and every weather element: what a statistician tries first with all of ``kma_sfcdd3``.

All three work in model space (``log1p`` for PM10) and give intervals from the quantiles of
their own training residuals, so their 80% coverage can be compared with the network's.
Every statistic is computed from the rows up to ``train_end`` (the base class cuts them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.inputs.climatology import DAYS_PER_YEAR, SeasonalClimatology
from seoulcast_assets.ml.inputs.features import (
    MIN_CLIMATOLOGY_DAYS,
    AnomalyEncoder,
    available_inputs,
)
from seoulcast_assets.ml.inputs.history import on_calendar
from seoulcast_assets.ml.inputs.variables import (
    HORIZONS,
    QUANTILES,
    TARGETS,
    TEMPERATURE_TARGETS,
    WEATHER_ELEMENTS,
    from_model_space,
    to_model_space,
)

PERSISTENCE_CARRY_DAYS = 7
"""Persistence uses the last value observed at most this many days before the origin."""


def _recent(frame: pd.DataFrame, years: float | None) -> pd.DataFrame:
    if years is None or frame.empty:
        return frame
    start = frame.index.max() - pd.Timedelta(days=years * DAYS_PER_YEAR)
    return frame.loc[frame.index > start]


def _origin_positions(calendar: pd.DataFrame, origins: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray((origins - calendar.index[0]).days, dtype=int)


class Persistence(ForecastModel):
    """The last observed value (the p50) for every horizon; the other quantiles add the
    quantiles of the h-day changes seen in training."""

    name = "persistence"
    history_days = PERSISTENCE_CARRY_DAYS

    def __init__(self, residual_years: float | None = 30) -> None:
        self.residual_years = residual_years
        self.residual_quantiles: dict[str, np.ndarray] = {}

    def _fit(self, history: pd.DataFrame, train_end: pd.Timestamp) -> None:
        calendar = _recent(on_calendar(history), self.residual_years)
        for target in TARGETS:
            x = to_model_space(target, calendar[target].to_numpy())
            table = []
            for h in HORIZONS:
                change = x[h:] - x[:-h]
                change = change[np.isfinite(change)]
                table.append(
                    np.quantile(change, QUANTILES)
                    if len(change)
                    else np.full(len(QUANTILES), np.nan)
                )
            table = np.array(table)
            table[:, QUANTILES.index(0.5)] = 0.0  # the median is the last value itself
            self.residual_quantiles[target] = table

    def _predict(self, calendar, origins):
        positions = _origin_positions(calendar, origins)
        out = {}
        for target in TARGETS:
            last = calendar[target].ffill(limit=PERSISTENCE_CARRY_DAYS).to_numpy()[positions]
            x = to_model_space(target, last)[:, None, None] + self.residual_quantiles[target][None]
            out[target] = from_model_space(target, x)
        return out


class ClimatologyWithTrend(ForecastModel):
    """Smooth day-of-year normal plus a linear trend, fit on the last years of training."""

    name = "climatology"

    def __init__(self, climatology_years: float | None = 30, harmonics: int = 3) -> None:
        self.climatology_years = climatology_years
        self.harmonics = harmonics
        self.climatologies: dict[str, SeasonalClimatology] = {}
        self.anomaly_quantiles: dict[str, np.ndarray] = {}

    def _fit(self, history: pd.DataFrame, train_end: pd.Timestamp) -> None:
        for target in TARGETS:
            series = _recent(history[[target]].dropna(), self.climatology_years)[target]
            if len(series) < MIN_CLIMATOLOGY_DAYS:
                continue  # no forecast of a variable not yet observed (PM10 before 2008)
            x = to_model_space(target, series.to_numpy())
            climatology = SeasonalClimatology.fit(series.index, x, harmonics=self.harmonics)
            z = (x - climatology.mean(series.index)) / climatology.spread(series.index)
            self.climatologies[target] = climatology
            self.anomaly_quantiles[target] = np.quantile(z, QUANTILES)

    def _predict(self, calendar, origins):
        out = {}
        horizons = np.asarray(HORIZONS)
        dates = (origins.to_numpy()[:, None] + horizons[None, :].astype("timedelta64[D]")).ravel()
        for target in TARGETS:
            climatology = self.climatologies.get(target)
            if climatology is None:
                out[target] = np.full((len(origins), len(horizons), len(QUANTILES)), np.nan)
                continue
            mean = climatology.mean(dates)[:, None]
            spread = climatology.spread(dates)[:, None]
            x = mean + spread * self.anomaly_quantiles[target][None, :]
            out[target] = from_model_space(target, x).reshape(len(origins), len(horizons), -1)
        return out


class LaggedAnomalyLinear(ForecastModel):
    """Ridge regression of each target's anomaly at each horizon on the last ``lags`` days.

    Temperature targets read the three temperature anomalies (so they learn from the whole
    temperature record); PM10 reads all four. Anomalies are relative to the same training-period
    climatology the network uses. Missing inputs follow the rule of ``features.py``.
    """

    name = "linear"

    def __init__(
        self,
        lags: int = 7,
        ridge: float = 1.0,
        climatology_years: float | None = 30,
        training_years: float | None = 60,
    ) -> None:
        self.lags = lags
        self.ridge = ridge
        self.climatology_years = climatology_years
        self.training_years = training_years
        self.history_days = lags
        self.encoder: AnomalyEncoder | None = None
        self.coefficients: dict[str, np.ndarray] = {}  # (horizons, features + 1)
        self.residual_quantiles: dict[str, np.ndarray] = {}  # (horizons, quantiles)

    weather_elements: tuple[str, ...] = ()
    """Elements read besides the targets (where the history has them)."""

    def _inputs_for(self, target: str) -> list[int]:
        """Columns of the anomaly table (the targets, then the encoder's elements) it regresses
        on: temperatures for a temperature, all four targets for PM10, and every element."""
        names = TEMPERATURE_TARGETS if target in TEMPERATURE_TARGETS else TARGETS
        elements = range(len(TARGETS), len(TARGETS) + len(self.encoder.inputs))
        return [TARGETS.index(n) for n in names] + list(elements)

    def _anomalies(self, calendar: pd.DataFrame) -> np.ndarray:
        return self.encoder.standardize(calendar)[[*TARGETS, *self.encoder.inputs]].to_numpy()

    def _design(self, values: np.ndarray, positions: np.ndarray, columns: list[int]) -> np.ndarray:
        steps = positions[:, None] + np.arange(-self.lags + 1, 1)[None, :]
        lagged = values[steps][:, :, columns].reshape(len(positions), -1)
        return np.column_stack([lagged, np.ones(len(positions))])

    def _fit(self, history: pd.DataFrame, train_end: pd.Timestamp) -> None:
        inputs = available_inputs(history, self.weather_elements, train_end, self.training_years)
        self.encoder = AnomalyEncoder.fit(history, self.lags, self.climatology_years, inputs=inputs)
        calendar = _recent(on_calendar(history), self.training_years)
        z = self._anomalies(calendar)
        n = len(z)
        for t, target in enumerate(TARGETS):
            columns = self._inputs_for(target)
            positions = np.arange(self.lags - 1, n - 1)
            inputs_ok = np.isfinite(
                z[positions[:, None] + np.arange(-self.lags + 1, 1)[None, :]][:, :, columns]
            ).all(axis=(1, 2))
            coefficients, quantiles = [], []
            for h in HORIZONS:
                usable = positions[inputs_ok & (positions + h < n)]
                usable = usable[np.isfinite(z[usable + h, t])]
                if len(usable) < MIN_CLIMATOLOGY_DAYS:  # PM10 before 2008: NaN forecasts
                    coefficients.append(np.full(len(columns) * self.lags + 1, np.nan))
                    quantiles.append(np.full(len(QUANTILES), np.nan))
                    continue
                X = self._design(z, usable, columns)
                y = z[usable + h, t]
                penalty = self.ridge * np.eye(X.shape[1])
                penalty[-1, -1] = 0.0  # the intercept is not shrunk
                beta = np.linalg.solve(X.T @ X + penalty, X.T @ y)
                coefficients.append(beta)
                quantiles.append(np.quantile(y - X @ beta, QUANTILES))
            self.coefficients[target] = np.array(coefficients)
            self.residual_quantiles[target] = np.array(quantiles)

    def _predict(self, calendar, origins):
        standardized = self.encoder.standardize(calendar)
        filled = self.encoder.filled(standardized)[[*TARGETS, *self.encoder.inputs]].to_numpy()
        positions = _origin_positions(calendar, origins)
        horizons = np.asarray(HORIZONS)
        dates = (origins.to_numpy()[:, None] + horizons[None, :].astype("timedelta64[D]")).ravel()
        out = {}
        for target in TARGETS:
            X = self._design(filled, positions, self._inputs_for(target))
            z_median = X @ self.coefficients[target].T  # (origins, horizons)
            z = z_median[:, :, None] + self.residual_quantiles[target][None, :, :]
            values = self.encoder.to_observation(target, dates, z.reshape(-1, len(QUANTILES)))
            out[target] = values.reshape(len(origins), len(horizons), len(QUANTILES))
        return out


class AllElementsLinear(LaggedAnomalyLinear):
    """:class:`LaggedAnomalyLinear` with every weather element: each target's anomaly at each
    horizon regressed on the last week of anomalies of the elements too (the temperatures on
    temperatures and elements, PM10 on everything). Without elements in the history it is the
    linear baseline."""

    name = "linear_all"
    weather_elements = WEATHER_ELEMENTS


BASELINES: dict[str, type[ForecastModel]] = {
    "persistence": Persistence,
    "climatology": ClimatologyWithTrend,
    "linear": LaggedAnomalyLinear,
    "linear_all": AllElementsLinear,
}
TEMPERATURE_AND_PM10_BASELINES: tuple[str, ...] = ("persistence", "climatology", "linear")
"""The baselines that read no weather element (a history without them)."""
