"""The forecast targets, their horizons and quantiles, and the space each is modelled in.

Temperatures are modelled in °C as they are. PM10 is right-skewed (a median near 40 µg/m³ with
yellow-dust days above 300), so every model works on ``log1p(pm10)``: errors on clean days and on
dusty days then weigh alike, and an interval back-transformed with ``expm1`` can never go below 0.
"""

from __future__ import annotations

import numpy as np

TEMPERATURE_TARGETS: tuple[str, ...] = ("ta_avg", "ta_max", "ta_min")
PM10_TARGET = "pm10_avg"
TARGETS: tuple[str, ...] = (*TEMPERATURE_TARGETS, PM10_TARGET)

HORIZONS: tuple[int, ...] = tuple(range(1, 8))
"""Lead days after the last observed day ``D-1``: horizon ``h`` forecasts ``D-1+h``."""

QUANTILES: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
"""Quantile levels every model forecasts; ``p10..p90`` is the 80% prediction interval."""


def quantile_column(level: float) -> str:
    """``0.1 -> "p10"``, ``0.05 -> "p05"``."""
    return f"p{round(level * 100):02d}"


QUANTILE_COLUMNS: tuple[str, ...] = tuple(quantile_column(q) for q in QUANTILES)


def to_model_space(target: str, values: np.ndarray) -> np.ndarray:
    """Observation units -> the space models are fit in (log1p for PM10)."""
    values = np.asarray(values, dtype=float)
    if target == PM10_TARGET:
        return np.log1p(np.clip(values, 0.0, None))
    return values


def from_model_space(target: str, values: np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_model_space`."""
    values = np.asarray(values, dtype=float)
    if target == PM10_TARGET:
        return np.clip(np.expm1(values), 0.0, None)
    return values
