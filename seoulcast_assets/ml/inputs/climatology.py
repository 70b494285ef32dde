"""A smooth seasonal climatology with a linear trend, fit by least squares on a training period.

The mean is ``a + b·t + Σ_k (c_k cos 2πkt + s_k sin 2πkt)`` with ``t`` in years since 2000, so
the cycle has a period of one mean calendar year and needs no leap-day handling. The spread
(the standard deviation of the residual) has its own, smoother seasonal cycle: Seoul's winter
days vary about twice as much around their normal as its summer days, and a forecast interval or
a standardised anomaly should know that.

Only the rows passed to :meth:`SeasonalClimatology.fit` are used: callers cut the history at the
end of the training period first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

EPOCH = pd.Timestamp("2000-01-01")
DAYS_PER_YEAR = 365.2425
MIN_SPREAD_FRACTION = 0.2
"""The spread never drops below this share of the overall residual standard deviation."""


def years_since_epoch(dates) -> np.ndarray:
    dates = pd.DatetimeIndex(dates)
    return np.asarray((dates - EPOCH).days, dtype=float) / DAYS_PER_YEAR


def _design(t: np.ndarray, harmonics: int, trend: bool) -> np.ndarray:
    columns = [np.ones_like(t)]
    if trend:
        columns.append(t)
    for k in range(1, harmonics + 1):
        angle = 2.0 * np.pi * k * t
        columns += [np.cos(angle), np.sin(angle)]
    return np.column_stack(columns)


@dataclass(frozen=True)
class SeasonalClimatology:
    """The fitted normal (mean and spread) of one variable for any date."""

    mean_coefficients: tuple[float, ...]
    spread_coefficients: tuple[float, ...]
    harmonics: int
    spread_harmonics: int
    trend: bool
    overall_spread: float
    fit_start: str
    fit_end: str

    @classmethod
    def fit(
        cls,
        dates,
        values,
        harmonics: int = 3,
        spread_harmonics: int = 2,
        trend: bool = True,
    ) -> SeasonalClimatology:
        """Least-squares fit on the finite ``values`` observed on ``dates``."""
        dates = pd.DatetimeIndex(dates)
        values = np.asarray(values, dtype=float)
        finite = np.isfinite(values)
        if finite.sum() < 2 * (2 * harmonics + 2):
            raise ValueError(f"too few observations ({finite.sum()}) to fit a climatology")
        dates, values = dates[finite], values[finite]
        t = years_since_epoch(dates)
        mean_coefficients, *_ = np.linalg.lstsq(_design(t, harmonics, trend), values, rcond=None)
        residual = values - _design(t, harmonics, trend) @ mean_coefficients
        spread_coefficients, *_ = np.linalg.lstsq(
            _design(t, spread_harmonics, False), residual**2, rcond=None
        )
        return cls(
            mean_coefficients=tuple(float(c) for c in mean_coefficients),
            spread_coefficients=tuple(float(c) for c in spread_coefficients),
            harmonics=harmonics,
            spread_harmonics=spread_harmonics,
            trend=trend,
            overall_spread=float(np.sqrt(np.mean(residual**2))),
            fit_start=str(dates.min().date()),
            fit_end=str(dates.max().date()),
        )

    def mean(self, dates) -> np.ndarray:
        """The normal value on each date (the trend is extrapolated past ``fit_end``)."""
        t = years_since_epoch(dates)
        return _design(t, self.harmonics, self.trend) @ np.asarray(self.mean_coefficients)

    def spread(self, dates) -> np.ndarray:
        """The residual standard deviation expected on each date's time of year."""
        t = years_since_epoch(dates)
        variance = _design(t, self.spread_harmonics, False) @ np.asarray(self.spread_coefficients)
        floor = (MIN_SPREAD_FRACTION * self.overall_spread) ** 2
        return np.sqrt(np.maximum(variance, floor))

    def to_dict(self) -> dict:
        return {
            "mean_coefficients": list(self.mean_coefficients),
            "spread_coefficients": list(self.spread_coefficients),
            "harmonics": self.harmonics,
            "spread_harmonics": self.spread_harmonics,
            "trend": self.trend,
            "overall_spread": self.overall_spread,
            "fit_start": self.fit_start,
            "fit_end": self.fit_end,
        }

    @classmethod
    def from_dict(cls, data: dict) -> SeasonalClimatology:
        return cls(
            mean_coefficients=tuple(data["mean_coefficients"]),
            spread_coefficients=tuple(data["spread_coefficients"]),
            harmonics=int(data["harmonics"]),
            spread_harmonics=int(data["spread_harmonics"]),
            trend=bool(data["trend"]),
            overall_spread=float(data["overall_spread"]),
            fit_start=data["fit_start"],
            fit_end=data["fit_end"],
        )
