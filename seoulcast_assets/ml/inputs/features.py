"""Model inputs: standardised anomalies from a training-period climatology, plus the calendar.

Every target, and every weather element the model reads, is turned into
``z = (x - normal(date)) / spread(date)`` in its model space (°C, hPa, %, …, or ``log1p`` for
PM10, rain and snow) using a
:class:`~seoulcast_assets.ml.inputs.climatology.SeasonalClimatology` fit only on the training
rows. The network then learns departures from normal, which are nearly stationary across a
century of warming, instead of the seasonal cycle itself.

Missing inputs (the rule is the same at training and at prediction time):

* temperature: training windows never contain a missing temperature day (see ``windows.py``);
  when a forecast must be issued anyway, a missing day's anomaly is the last observed anomaly
  (carried forward at most ``lookback`` days), else 0 (the normal);
* PM10: a missing day (every day before 2008-04-28) has anomaly 0 and ``pm10_observed = 0``, so
  the network can tell "normal air" from "no measurement";
* weather elements: as temperature. Training windows need them observed on every day (they are
  complete in Seoul from the mid-1960s on, radiation from 1973); at forecast time a missing day
  is carried forward and the forecast is *degraded*. An element is read only if it was observed
  on at least half of the training span (:func:`available_inputs`), so a history without
  elements (or with a few) trains the temperature-and-PM10 model.

Context features summarise the 90 and 365 days up to the origin (mean anomaly, from the days
observed in that span, 0 when fewer than half are), so the model can notice a season or a year
running warm or clean even when the climatology's trend is off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from seoulcast_assets.ml.inputs.climatology import (
    DAYS_PER_YEAR,
    SeasonalClimatology,
    years_since_epoch,
)
from seoulcast_assets.ml.inputs.variables import (
    PM10_TARGET,
    TARGETS,
    TEMPERATURE_TARGETS,
    from_model_space,
    to_model_space,
)

MIN_CLIMATOLOGY_DAYS = 365
"""A target needs at least a year of training observations to get a climatology."""
CONTEXT_SPANS: tuple[int, ...] = (90, 365)
MIN_INPUT_SHARE = 0.5
"""An element is an input only if observed on at least this share of the training span."""


def dynamic_features(inputs: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Per-day input features: the targets' anomalies, the PM10 flag, the elements' anomalies,
    the season."""
    return (
        *(f"z_{t}" for t in TARGETS),
        "pm10_observed",
        *(f"z_{element}" for element in inputs),
        "doy_sin",
        "doy_cos",
    )


DYNAMIC_FEATURES: tuple[str, ...] = dynamic_features()
"""The layout without weather elements (models saved before they were read)."""
CONTEXT_FEATURES: tuple[str, ...] = (
    *(f"mean{span}_z_{t}" for span in CONTEXT_SPANS for t in TARGETS),
    "next_doy_sin",
    "next_doy_cos",
)


def pm10_input_mask(
    features: tuple[str, ...] = DYNAMIC_FEATURES,
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks of the PM10 features among ``features`` and ``CONTEXT_FEATURES``."""
    dynamic = np.array([PM10_TARGET in f or f == "pm10_observed" for f in features])
    context = np.array([PM10_TARGET in f for f in CONTEXT_FEATURES])
    return dynamic, context


def available_inputs(
    history: pd.DataFrame,
    requested: tuple[str, ...],
    train_end,
    span_years: float | None,
    min_share: float = MIN_INPUT_SHARE,
) -> tuple[str, ...]:
    """The requested elements observed on at least ``min_share`` of the training span (the last
    ``span_years`` up to ``train_end``, or the whole history)."""
    end = pd.Timestamp(train_end)
    start = (
        history.index.min()
        if span_years is None
        else end - pd.Timedelta(days=round(span_years * DAYS_PER_YEAR))
    )
    days = max((end - start).days + 1, 1)
    span = history.loc[start:end]
    return tuple(
        element
        for element in requested
        if element in span.columns and span[element].notna().sum() >= min_share * days
    )


def season_angle(dates) -> np.ndarray:
    """Position in the year as an angle, continuous across New Year and leap days."""
    return 2.0 * np.pi * np.mod(years_since_epoch(dates), 1.0)


@dataclass(frozen=True)
class EncodedHistory:
    """Per-calendar-day arrays the windows are cut from (row ``i`` is ``dates[i]``)."""

    dates: pd.DatetimeIndex
    dynamic: np.ndarray  # (days, len(DYNAMIC_FEATURES)), inputs for the day itself
    context: np.ndarray  # (days, len(CONTEXT_FEATURES)), known at the end of the day
    target_z: np.ndarray  # (days, len(TARGETS)), NaN where not observed
    complete: np.ndarray  # (days,), all three temperatures and every input element observed

    def position(self, day) -> int:
        return int((pd.Timestamp(day) - self.dates[0]).days)


@dataclass(frozen=True)
class AnomalyEncoder:
    """Climatologies fit on the training period, and the transform they define."""

    climatologies: dict[str, SeasonalClimatology]
    """One per target that had enough training observations, and one per input element."""
    lookback: int
    inputs: tuple[str, ...] = ()
    """The weather elements read as inputs (each has a climatology)."""

    @property
    def dynamic_features(self) -> tuple[str, ...]:
        return dynamic_features(self.inputs)

    @classmethod
    def fit(
        cls,
        history: pd.DataFrame,
        lookback: int,
        climatology_years: float | None = 30,
        harmonics: int = 3,
        inputs: tuple[str, ...] = (),
    ) -> AnomalyEncoder:
        """Fit one climatology per target and per input element on ``history`` (already cut at
        the training end); an element without a year of observations is left out.

        ``climatology_years`` limits each fit to the most recent years of that variable, so that
        a straight trend line describes recent warming rather than a century-long average.
        """
        climatologies = {}
        fitted_inputs = []
        for target in (*TARGETS, *inputs):
            if target not in history.columns:
                continue
            series = history[target].dropna()
            if len(series) < MIN_CLIMATOLOGY_DAYS:
                continue  # e.g. PM10 before 2008: forecasts of this target are NaN
            if climatology_years is not None:
                start = series.index.max() - pd.Timedelta(days=climatology_years * DAYS_PER_YEAR)
                series = series.loc[series.index > start]
            climatologies[target] = SeasonalClimatology.fit(
                series.index, to_model_space(target, series.to_numpy()), harmonics=harmonics
            )
            if target in inputs:
                fitted_inputs.append(target)
        return cls(climatologies=climatologies, lookback=lookback, inputs=tuple(fitted_inputs))

    def standardize(self, calendar: pd.DataFrame) -> pd.DataFrame:
        """Standardised anomalies of every target and input (NaN where not observed)."""
        out = {}
        for target in (*TARGETS, *self.inputs):
            climatology = self.climatologies.get(target)
            if climatology is None or target not in calendar.columns:
                out[target] = np.full(len(calendar), np.nan)
                continue
            x = to_model_space(target, calendar[target].to_numpy())
            out[target] = (x - climatology.mean(calendar.index)) / climatology.spread(
                calendar.index
            )
        return pd.DataFrame(out, index=calendar.index)

    def to_observation(self, target: str, dates, z: np.ndarray) -> np.ndarray:
        """Standardised anomalies (any trailing shape after the date axis) -> observation units."""
        z = np.asarray(z, dtype=float)
        climatology = self.climatologies.get(target)
        if climatology is None:
            return np.full(z.shape, np.nan)
        shape = (-1,) + (1,) * (z.ndim - 1)
        mean = climatology.mean(dates).reshape(shape)
        spread = climatology.spread(dates).reshape(shape)
        return from_model_space(target, mean + spread * z)

    def encode(self, calendar: pd.DataFrame) -> EncodedHistory:
        """Arrays for every day of ``calendar`` (one row per day, see ``data.on_calendar``)."""
        z = self.standardize(calendar)
        filled = self.filled(z)
        pm10_observed = z[PM10_TARGET].notna().astype(float)
        angle = season_angle(calendar.index)
        dynamic = np.column_stack(
            [
                filled[list(TARGETS)].to_numpy(),
                pm10_observed,
                filled[list(self.inputs)].to_numpy(),
                np.sin(angle),
                np.cos(angle),
            ]
        )
        context_columns = []
        for span in CONTEXT_SPANS:
            rolling = z.rolling(span, min_periods=span // 2).mean().fillna(0.0)
            context_columns.append(rolling[list(TARGETS)].to_numpy())
        next_angle = angle + 2.0 * np.pi / DAYS_PER_YEAR
        context = np.column_stack([*context_columns, np.sin(next_angle), np.cos(next_angle)])
        required = [*TEMPERATURE_TARGETS, *self.inputs]
        complete = z[required].notna().all(axis=1).to_numpy()
        return EncodedHistory(
            dates=pd.DatetimeIndex(calendar.index),
            dynamic=dynamic.astype(np.float32),
            context=context.astype(np.float32),
            target_z=z[list(TARGETS)].to_numpy(dtype=np.float64),
            complete=complete,
        )

    def filled(self, z: pd.DataFrame) -> pd.DataFrame:
        """Anomalies with gaps filled by the rule of the module docstring (temperatures and
        elements carried forward at most ``lookback`` days, then 0; PM10 0)."""
        filled = z.copy()
        for column in (*TEMPERATURE_TARGETS, *self.inputs):
            filled[column] = z[column].ffill(limit=self.lookback).fillna(0.0)
        filled[PM10_TARGET] = z[PM10_TARGET].fillna(0.0)
        return filled

    def to_dict(self) -> dict:
        return {
            "lookback": self.lookback,
            "inputs": list(self.inputs),
            "climatologies": {t: c.to_dict() for t, c in self.climatologies.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> AnomalyEncoder:
        return cls(
            climatologies={
                t: SeasonalClimatology.from_dict(c) for t, c in data["climatologies"].items()
            },
            lookback=int(data["lookback"]),
            inputs=tuple(data.get("inputs", ())),
        )
