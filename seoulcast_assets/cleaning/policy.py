"""The cleaning policy: every threshold the cleaning rules use, in one frozen value.

The defaults and the reasons for them are written up in ``docs/cleaning.md``; in short:

* ``longest_interpolated_gap_days = 3``: on Seoul's 1907-2018 series, filling a hidden run of
  1, 2, 3, 5 or 7 days linearly misses ``ta_avg`` by 1.2, 1.6, 1.8, 2.1 and 2.3 °C on average.
  Up to 3 days the error stays about the size of an ordinary day-to-day change (1.8 °C), so a
  filled day is no worse than a persistence guess; longer runs span a passing weather system
  and are left missing. It is also how far a partition reads around itself.
* ``ta_plausible_min/max = -35/45 °C``: well outside Seoul's records (-23.1 °C on 1927-12-31,
  39.6 °C on 2018-08-01) so a record day is kept, yet tight enough to catch a stray sentinel
  or a unit slip.
* PM10 screening of the 5-minute readings: zeros are sensor noise (a 5-minute mean of 0 µg/m³
  does not happen in Seoul's air); a *spike* is a burst that stands well above the median of
  the readings around it; a *stuck* sensor repeats one value for hours. See :mod:`.pm10`.
* ``pm10_min_valid_readings = 216``: the Korean rule that a daily value needs 75% of the day.
* ``pm10_avg_fence = 90.8`` and ``pm10_max_fence = 160.5``: the original system's constants,
  which are Tukey upper fences (Q3 + 1.5 IQR) of its 2008-2025 daily table. They only *flag*
  days; :func:`recompute_fences` derives them again from any daily table.

The policy turns into a plain dict and back (:meth:`CleaningPolicy.to_dict`), so it can be
Dagster run configuration and is recorded with every cleaning run.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

READINGS_PER_DAY = 288  # 5-minute PM10 readings, 00:00 .. 23:55

# The widest range any policy may call plausible: outside it a value cannot be a Seoul air
# temperature at all. The pandera schema of the cleaned table enforces these limits.
TEMPERATURE_LIMITS = (-50.0, 50.0)


class PolicyError(ValueError):
    """A policy value is out of its allowed range, or a key is unknown."""


@dataclass(frozen=True)
class CleaningPolicy:
    """Thresholds of the cleaning rules; defaults are the documented default policy."""

    longest_interpolated_gap_days: int = 3
    temperature_sentinel_at_or_below: float = -90.0
    ta_plausible_min: float = -35.0
    ta_plausible_max: float = 45.0

    pm10_zero_at_or_below: float = 0.0
    pm10_spike_window_minutes: int = 30
    pm10_spike_ratio: float = 3.0
    pm10_spike_excess: float = 100.0
    pm10_spike_min_neighbours: int = 4
    pm10_stuck_readings: int = 72
    pm10_min_valid_readings: int = 216

    pm10_avg_fence: float = 90.8
    pm10_max_fence: float = 160.5

    def __post_init__(self) -> None:
        problems = []
        if not 0 <= self.longest_interpolated_gap_days <= 31:
            problems.append("longest_interpolated_gap_days must be 0..31")
        low, high = TEMPERATURE_LIMITS
        if not low <= self.ta_plausible_min < self.ta_plausible_max <= high:
            problems.append(f"ta_plausible_min < ta_plausible_max must lie within {low}..{high}")
        if self.temperature_sentinel_at_or_below >= self.ta_plausible_min:
            problems.append("temperature_sentinel_at_or_below must be below ta_plausible_min")
        if self.pm10_spike_window_minutes % 5 or not 5 <= self.pm10_spike_window_minutes <= 180:
            problems.append("pm10_spike_window_minutes must be a multiple of 5 in 5..180")
        if self.pm10_spike_ratio <= 1 or self.pm10_spike_excess < 0:
            problems.append("pm10_spike_ratio must exceed 1 and pm10_spike_excess be >= 0")
        if self.pm10_spike_min_neighbours < 1:
            problems.append("pm10_spike_min_neighbours must be at least 1")
        if self.pm10_stuck_readings < 2:
            problems.append("pm10_stuck_readings must be at least 2")
        if not 1 <= self.pm10_min_valid_readings <= READINGS_PER_DAY:
            problems.append(f"pm10_min_valid_readings must be 1..{READINGS_PER_DAY}")
        if not (self.pm10_avg_fence > 0 and self.pm10_max_fence > 0):
            problems.append("the PM10 fences must be positive")
        if problems:
            raise PolicyError("; ".join(problems))

    @property
    def pm10_spike_window_readings(self) -> int:
        """How many 5-minute readings on each side of a reading are its neighbours."""
        return self.pm10_spike_window_minutes // 5

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> CleaningPolicy:
        """A policy from a (possibly partial) dict; unknown keys are an error, not ignored."""
        known = {field.name: field for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise PolicyError(f"unknown cleaning policy keys: {', '.join(unknown)}")
        converted = {}
        for name, value in values.items():
            kind = int if known[name].type in ("int", int) else float
            converted[name] = kind(value)
        return cls(**converted)

    def with_fences(self, fences: Mapping[str, float]) -> CleaningPolicy:
        """This policy with the fences of :func:`recompute_fences`."""
        return dataclasses.replace(
            self, pm10_avg_fence=fences["pm10_avg"], pm10_max_fence=fences["pm10_max"]
        )


DEFAULT_POLICY = CleaningPolicy()


def tukey_upper_fence(values: pd.Series) -> float:
    """Q3 + 1.5 * IQR of the non-missing values (linear quantiles), rounded to 0.1.

    This is how the original system's 90.8 and 160.5 were obtained, once, from its daily table.
    """
    present = pd.Series(values, dtype=float).dropna()
    if present.empty:
        raise ValueError("no values to compute a fence from")
    q1, q3 = present.quantile([0.25, 0.75])
    return round(q3 + 1.5 * (q3 - q1), 1) + 0.0


def recompute_fences(daily_table: pd.DataFrame) -> dict[str, float]:
    """The Tukey upper fences of ``pm10_avg`` and ``pm10_max`` in a daily table.

    Give it the cleaned days the fences should describe (e.g. several years of
    ``result/daily``); feed the result to :meth:`CleaningPolicy.with_fences`.
    """
    fences = {column: tukey_upper_fence(daily_table[column]) for column in ("pm10_avg", "pm10_max")}
    if not all(math.isfinite(fence) and fence > 0 for fence in fences.values()):
        raise ValueError(f"the daily table gives unusable fences {fences}")
    return fences
