"""Gradient-boosted quantile trees (LightGBM): a model family of its own, no network.

Per target and horizon, three boosters learn the 10%, 50% and 90% quantiles of the target's
standardised anomaly (the ``features.py`` space the other families use) from the last
``feature_days`` days of inputs and the context, flattened (``boosting.boosting_features``).
Each is early-stopped on the last ``validation_days`` of the training period. The other levels
come from the 10–90% half-widths scaled as a normal distribution would (``p25`` is the median
minus 0.674/1.282 of the lower half-width, ``p05`` minus 1.645/1.282 of it), so the seven
quantiles never cross.

Temperature boosters read no PM10 input (PM10 exists only since 2008, and trees would learn
to tell those years apart, as the networks did: ``network_groups.py``); PM10's read every
input and learn only from the windows where PM10 was observed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.families.recurrent.boosting import boosting_features
from seoulcast_assets.ml.inputs.climatology import DAYS_PER_YEAR
from seoulcast_assets.ml.inputs.features import (
    AnomalyEncoder,
    available_inputs,
    pm10_input_mask,
)
from seoulcast_assets.ml.inputs.history import on_calendar
from seoulcast_assets.ml.inputs.variables import (
    HORIZONS,
    PM10_TARGET,
    QUANTILES,
    TARGETS,
    WEATHER_ELEMENTS,
)
from seoulcast_assets.ml.inputs.windows import build_windows, gather_inputs, training_origins

BOOSTED_LEVELS: tuple[float, ...] = (0.1, 0.5, 0.9)
"""The quantiles learnt by boosters; the other levels of ``QUANTILES`` are derived."""
_Z90 = 1.2815515655446004  # the standard normal's 90% quantile


@dataclass(frozen=True)
class GBMConfig:
    feature_days: int = 3
    """Input days the trees read (the most recent)."""
    num_leaves: int = 15
    max_depth: int = -1
    """-1: no limit beyond ``num_leaves``."""
    learning_rate: float = 0.05
    rounds: int = 400
    """At most; early stopping on the held-out slice usually stops sooner."""
    early_stopping_rounds: int = 30
    min_data_in_leaf: int = 50
    feature_fraction: float = 0.7
    validation_days: int = 365
    training_years: float | None = 60
    climatology_years: float | None = 30
    weather_inputs: tuple[str, ...] = WEATHER_ELEMENTS
    num_threads: int = 2
    seed: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> GBMConfig:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "weather_inputs" in values:
            values["weather_inputs"] = tuple(values["weather_inputs"])
        return cls(**values)

    def parameters(self, level: float) -> dict:
        return {
            "objective": "quantile",
            "alpha": level,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "max_depth": self.max_depth,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": self.feature_fraction,
            "max_bin": 63,
            "num_threads": self.num_threads,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "verbose": -1,
        }


class QuantileGBM(ForecastModel):
    """LightGBM quantile trees per target and horizon (see the module docstring)."""

    name = "lightgbm"

    def __init__(self, config: GBMConfig | None = None) -> None:
        self.config = config or GBMConfig()
        self.history_days = self.config.feature_days
        self.encoder: AnomalyEncoder | None = None
        self.boosters: dict[tuple[int, int, float], object] = {}
        self.best_rounds: dict[str, int] = {}

    def _columns(self, target: str) -> np.ndarray:
        """Which flattened features a target's boosters read."""
        dynamic_pm10, context_pm10 = pm10_input_mask(self.encoder.dynamic_features)
        if target == PM10_TARGET:
            dynamic_pm10[:] = False
            context_pm10[:] = False
        keep_day = ~dynamic_pm10
        return np.concatenate([np.tile(keep_day, self.config.feature_days), ~context_pm10])

    def _fit(self, history: pd.DataFrame, train_end: pd.Timestamp) -> None:
        import lightgbm as lgb

        cfg = self.config
        inputs = available_inputs(history, cfg.weather_inputs, train_end, cfg.training_years)
        self.encoder = AnomalyEncoder.fit(
            history, cfg.feature_days, cfg.climatology_years, inputs=inputs
        )
        encoded = self.encoder.encode(on_calendar(history, end=train_end))
        first_origin = None
        if cfg.training_years is not None:
            first_origin = train_end - pd.Timedelta(days=round(cfg.training_years * DAYS_PER_YEAR))
        horizon = len(HORIZONS)
        positions = training_origins(encoded, cfg.feature_days, horizon, first_origin, train_end)
        windows = build_windows(encoded, positions, cfg.feature_days, horizon)
        features = boosting_features(windows.dynamic, windows.context, cfg.feature_days)
        validation_start = train_end - pd.Timedelta(days=cfg.validation_days - 1)
        held_out = np.asarray(windows.origins + pd.Timedelta(days=1) >= validation_start)
        fit_rows = np.asarray(windows.origins + pd.Timedelta(days=horizon) < validation_start)
        if fit_rows.sum() == 0 or held_out.sum() == 0:
            raise ValueError("need training and validation windows: the history is too short")
        self.boosters, self.best_rounds = {}, {}
        for t, target in enumerate(TARGETS):
            columns = self._columns(target)
            for h in range(horizon):
                observed = windows.mask[:, h, t] > 0
                train, validation = fit_rows & observed, held_out & observed
                if train.sum() < 50 or validation.sum() < 10:
                    continue  # no forecast of a variable not yet observed (PM10 before 2008)
                x = features[:, columns]
                y = windows.targets[:, h, t]
                for level in BOOSTED_LEVELS:
                    booster = lgb.train(
                        cfg.parameters(level),
                        lgb.Dataset(x[train], y[train]),
                        num_boost_round=cfg.rounds,
                        valid_sets=[lgb.Dataset(x[validation], y[validation])],
                        callbacks=[lgb.early_stopping(cfg.early_stopping_rounds, verbose=False)],
                    )
                    self.boosters[(h, t, level)] = booster
                    self.best_rounds[f"h{h + 1}/{target}/q{round(level * 100)}"] = int(
                        booster.best_iteration or cfg.rounds
                    )

    def _predict(self, calendar, origins):
        encoded = self.encoder.encode(calendar)
        positions = np.asarray((origins - calendar.index[0]).days, dtype=int)
        dynamic, context = gather_inputs(encoded, positions, self.config.feature_days)
        features = boosting_features(dynamic, context, self.config.feature_days)
        horizons = np.asarray(HORIZONS)
        dates = (origins.to_numpy()[:, None] + horizons[None, :].astype("timedelta64[D]")).ravel()
        out = {}
        for t, target in enumerate(TARGETS):
            x = features[:, self._columns(target)]
            z = np.full((len(origins), len(horizons), len(QUANTILES)), np.nan)
            for h in range(len(horizons)):
                if (h, t, 0.5) not in self.boosters:
                    continue
                low, median, high = (
                    self.boosters[(h, t, level)].predict(x) for level in BOOSTED_LEVELS
                )
                z[:, h, :] = quantiles_from_three(low, median, high)
            values = self.encoder.to_observation(target, dates, z.reshape(len(dates), -1))
            out[target] = values.reshape(len(origins), len(horizons), len(QUANTILES))
        return out


def quantiles_from_three(low: np.ndarray, median: np.ndarray, high: np.ndarray) -> np.ndarray:
    """``(n, len(QUANTILES))`` from the 10/50/90% quantiles: each side's half-width scaled by the
    normal distribution's ratios, never crossing."""
    from scipy.special import ndtri

    below = np.maximum(median - low, 1e-6)
    above = np.maximum(high - median, 1e-6)
    columns = []
    for level in QUANTILES:
        ratio = ndtri(level) / _Z90
        columns.append(median + (ratio * below if level < 0.5 else ratio * above))
    return np.column_stack(columns)
