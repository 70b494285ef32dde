"""The forecast targets, the weather elements models read, and the space each is modelled in.

Temperatures are modelled in °C as they are. PM10 is right-skewed (a median near 40 µg/m³ with
yellow-dust days above 300), so every model works on ``log1p(pm10)``: errors on clean days and on
dusty days then weigh alike, and an interval back-transformed with ``expm1`` can never go below 0.

The weather elements are the cleaned daily ASOS elements (``docs/cleaning.md``) under their
KMA API Hub names, the same in the cleaned year tables and in ``seoul_asos_daily.csv``; only
elements the live pipeline has every day (``kma_sfcdd3``) are listed. Precipitation and snow,
mostly zero with a long tail, are read as ``log1p``; the rest as they are.
"""

from __future__ import annotations

import numpy as np

from seoulcast_assets.layout import WEATHER_COLUMNS

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


NOT_INPUTS: tuple[str, ...] = ("wd_max", "ss_dur")
"""Cleaned columns a model does not read: the max wind's direction (its components
``ws_max_u, ws_max_v`` carry it without the jump at north) and the day length (astronomical:
the season features carry it)."""

WEATHER_ELEMENTS: tuple[str, ...] = (
    *(column for column in WEATHER_COLUMNS if column not in NOT_INPUTS),
    "ps_tendency",  # derived from the pressure extremes and their times (data.py)
)
"""Every cleaned element a model may read as an input (never a target). The ``*_tm`` elements
are times of day in hours (KST): when the day's maximum and minimum temperature, lowest
humidity, strongest wind, highest and lowest pressure occurred. A daily mean cannot say whether
a front passed in the morning or is arriving at night; these times can (a minimum temperature at
23:00 is cold air arriving). ``ps_tendency`` (hPa) is the day's pressure swing signed by its
direction: ``ps_max - ps_min``, positive when the maximum came after the minimum (rising)."""

TIME_OF_DAY_ELEMENTS: tuple[str, ...] = tuple(e for e in WEATHER_ELEMENTS if e.endswith("_tm"))

ZERO_WHEN_ABSENT: tuple[str, ...] = ("rn_day", "sd_new", "sd_max")
"""Elements whose blank cell on an observed day means none (no rain, no snow), as KMA prints
them: the cleaning layer writes 0 there, and a tidy file's blank is read the same way."""

LOG_SPACE: frozenset[str] = frozenset({PM10_TARGET, "rn_day", "sd_new", "sd_max"})


def to_model_space(target: str, values: np.ndarray) -> np.ndarray:
    """Observation units -> the space models are fit in (log1p for PM10, rain and snow)."""
    values = np.asarray(values, dtype=float)
    if target in LOG_SPACE:
        return np.log1p(np.clip(values, 0.0, None))
    return values


def from_model_space(target: str, values: np.ndarray) -> np.ndarray:
    """Inverse of :func:`to_model_space`."""
    values = np.asarray(values, dtype=float)
    if target in LOG_SPACE:
        return np.clip(np.expm1(values), 0.0, None)
    return values
