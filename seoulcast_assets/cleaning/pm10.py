"""PM10: screen the 5-minute readings, aggregate the day, flag the fences.

The original system averaged every reading KMA sent, so a day's mean and max carried zero
readings (31% of its days had a daily minimum of 0) and single readings of 500-3,856 µg/m³ on
otherwise clean days. Then it *dropped* every day whose mean exceeded 90.8 and clipped the max
at 160.5: exactly the bad-air days a forecast is for. Here the readings of each day are
screened first, in this order, each rule on the readings the previous ones kept:

1. **zeros**: a reading at or below ``pm10_zero_at_or_below`` (0 µg/m³) is sensor noise: the
   5-minute mean of Seoul's air is never zero.
2. **stuck sensor**: ``pm10_stuck_readings`` (72, six hours) or more consecutive readings with
   one and the same value are removed. A working monitor's 5-minute value moves by a few µg/m³
   from one reading to the next; on 2017-12-16, the day after a four-day outage, all 288
   readings are 17.
3. **spikes**: a reading is a spike when it is more than ``pm10_spike_ratio`` (3) times the
   median of its neighbours, the kept readings within ``pm10_spike_window_minutes`` (±30 min)
   on the same day, *and* more than ``pm10_spike_excess`` (100 µg/m³) above that median, with
   at least ``pm10_spike_min_neighbours`` neighbours to judge by. Because the test is against
   the neighbours' median, it only fires while most neighbours are *not* elevated: a burst of
   up to half the window (30 minutes) is removed, while a yellow-dust episode that stays high
   for longer keeps its readings, onset included. 100 µg/m³ is more than the whole "moderate"
   band (31-80), so ordinary noise never qualifies.

The kept readings give ``pm10_avg``/``pm10_max``/``pm10_min`` and ``pm10_n_valid``. A day needs
``pm10_min_valid_readings`` (216 = 75% of 288, the Korean rule for a daily value) kept readings;
with fewer its values are left empty, flagged ``pm10:low_coverage``. Finally a mean above
``pm10_avg_fence`` or a max above ``pm10_max_fence`` is **flagged** (``:above_fence``) and kept.

Screening stays within a day (a reading's neighbours never come from the day before or after),
so a day cleaned alone and inside a range give the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.flags import PM10_FLAGS, empty_flags
from seoulcast_assets.cleaning.policy import READINGS_PER_DAY, CleaningPolicy
from seoulcast_assets.kma.coverage import PM10_START

PM10_TABLE_COLUMNS = ("pm10_avg", "pm10_max", "pm10_min", "pm10_n_valid")
_BLOCK_DAYS = 366  # days screened at a time: bounds the memory of the neighbour windows


@dataclass(frozen=True)
class Screening:
    """Which readings of a (days x 288) matrix each rule removed; ``kept`` is what remains."""

    zero: np.ndarray
    stuck: np.ndarray
    spike: np.ndarray
    kept: np.ndarray


def readings_by_slot(readings: pd.DataFrame, days: pd.DatetimeIndex) -> np.ndarray:
    """The readings (``time``, ``pm10``) as a (days x 288) matrix by 5-minute slot; NaN where
    there is no reading. Readings of other days are ignored; a repeated slot keeps the first."""
    matrix = np.full((len(days), READINGS_PER_DAY), np.nan)
    if readings.empty or len(days) == 0:
        return matrix
    times = pd.DatetimeIndex(readings["time"])
    row = days.get_indexer(times.normalize())
    slot = ((times - times.normalize()) // pd.Timedelta(minutes=5)).to_numpy()
    on_day = row >= 0
    row, slot = row[on_day], slot[on_day]
    values = readings["pm10"].to_numpy(dtype=float)[on_day]
    first = ~pd.Series(row * READINGS_PER_DAY + slot).duplicated().to_numpy()
    matrix[row[first], slot[first]] = values[first]
    return matrix


def screen_zero_readings(matrix: np.ndarray, policy: CleaningPolicy) -> np.ndarray:
    """Readings at or below the zero threshold: sensor noise."""
    with np.errstate(invalid="ignore"):
        return matrix <= policy.pm10_zero_at_or_below


def screen_stuck_readings(matrix: np.ndarray, policy: CleaningPolicy) -> np.ndarray:
    """Readings inside a run of ``pm10_stuck_readings`` or more equal consecutive readings."""
    same_as_before = np.zeros(matrix.shape, dtype=bool)
    same_as_before[:, 1:] = matrix[:, 1:] == matrix[:, :-1]  # NaN never equals: breaks a run
    run = np.cumsum(~same_as_before.ravel())  # a new run at every change and every day start
    run_length = np.bincount(run)[run].reshape(matrix.shape)
    return ~np.isnan(matrix) & (run_length >= policy.pm10_stuck_readings)


def screen_pm10_spikes(matrix: np.ndarray, policy: CleaningPolicy) -> np.ndarray:
    """Readings far above the median of their same-day neighbours (see the module docstring)."""
    spikes = np.zeros(matrix.shape, dtype=bool)
    for start in range(0, len(matrix), _BLOCK_DAYS):
        block = matrix[start : start + _BLOCK_DAYS]
        median, count = _neighbour_median(block, policy.pm10_spike_window_readings)
        with np.errstate(invalid="ignore"):
            spikes[start : start + len(block)] = (
                (count >= policy.pm10_spike_min_neighbours)
                & (block > policy.pm10_spike_ratio * median)
                & (block - median > policy.pm10_spike_excess)
            )
    return spikes


def screen_pm10_readings(matrix: np.ndarray, policy: CleaningPolicy) -> Screening:
    """Apply the three screening rules in order: zeros, stuck sensor, spikes."""
    zero = screen_zero_readings(matrix, policy)
    remaining = np.where(zero, np.nan, matrix)
    stuck = screen_stuck_readings(remaining, policy)
    remaining = np.where(stuck, np.nan, remaining)
    spike = screen_pm10_spikes(remaining, policy)
    kept = ~np.isnan(remaining) & ~spike
    return Screening(zero=zero, stuck=stuck, spike=spike, kept=kept)


def aggregate_pm10_days(
    matrix: np.ndarray, kept: np.ndarray, policy: CleaningPolicy
) -> pd.DataFrame:
    """Daily mean/max/min (rounded to 0.1) and count of the kept readings; days with fewer
    than ``pm10_min_valid_readings`` get empty values (their count is still given)."""
    n_valid = kept.sum(axis=1)
    values = np.where(kept, matrix, np.nan)
    enough = n_valid >= policy.pm10_min_valid_readings
    safe = np.where(enough[:, None], values, 0.0)  # no all-NaN rows reach the nan-reductions
    table = pd.DataFrame(
        {
            "pm10_avg": np.nansum(safe, axis=1) / np.maximum(n_valid, 1),
            "pm10_max": np.nanmax(safe, axis=1),
            "pm10_min": np.nanmin(np.where(enough[:, None], values, np.inf), axis=1),
        }
    )
    table.loc[~enough] = np.nan
    table = table.round(1) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0
    table["pm10_n_valid"] = n_valid.astype(float)
    return table


def clean_pm10(
    readings: pd.DataFrame,
    collected: pd.DatetimeIndex,
    first: date,
    last: date,
    policy: CleaningPolicy,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Screened daily PM10 and its flags for every day ``first..last``.

    ``readings`` are the 5-minute readings (``time``, ``pm10``; NaN when KMA sent none) of the
    days in ``collected`` (the days whose raw object exists). Days before the PM10 series
    starts (2008-04-28) get empty cells and no flags.
    """
    days = pd.date_range(first, last, freq="D", name="date")
    values = pd.DataFrame(np.nan, index=days, columns=list(PM10_TABLE_COLUMNS))
    flags = empty_flags(days, PM10_FLAGS)
    series_days = days[days >= pd.Timestamp(PM10_START)]
    if series_days.empty:
        return values, flags

    matrix = readings_by_slot(readings, series_days)
    screening = screen_pm10_readings(matrix, policy)
    daily = aggregate_pm10_days(matrix, screening.kept, policy)
    daily.index = series_days
    values.loc[series_days] = daily

    on = days >= pd.Timestamp(PM10_START)
    was_collected = days.isin(collected)
    has_reading = np.zeros(len(days), dtype=bool)
    has_reading[on] = (~np.isnan(matrix)).any(axis=1)
    flags.loc[on, "pm10:zero_removed"] = screening.zero.any(axis=1)
    flags.loc[on, "pm10:stuck_removed"] = screening.stuck.any(axis=1)
    flags.loc[on, "pm10:spike_removed"] = screening.spike.any(axis=1)
    flags["pm10:no_observation"] = on & was_collected & ~has_reading
    flags["pm10:not_collected"] = on & ~was_collected & ~has_reading
    flags["pm10:low_coverage"] = (
        on & has_reading & (values["pm10_n_valid"] < policy.pm10_min_valid_readings).to_numpy()
    )
    flags["pm10_avg:above_fence"] = (values["pm10_avg"] > policy.pm10_avg_fence).to_numpy()
    flags["pm10_max:above_fence"] = (values["pm10_max"] > policy.pm10_max_fence).to_numpy()
    return values, flags


def _neighbour_median(block: np.ndarray, half_window: int) -> tuple[np.ndarray, np.ndarray]:
    """For each reading: the median of the valid readings within ``half_window`` slots on
    either side on the same day (itself excluded), and how many there are."""
    padded = np.pad(block, ((0, 0), (half_window, half_window)), constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half_window + 1, axis=1)
    neighbours = np.delete(windows, half_window, axis=2)  # a copy without the reading itself
    neighbours.sort(axis=2)  # NaN sorts last
    count = (~np.isnan(neighbours)).sum(axis=2)
    low = np.take_along_axis(neighbours, np.maximum((count - 1) // 2, 0)[..., None], axis=2)
    high = np.take_along_axis(neighbours, (count // 2)[..., None], axis=2)
    median = np.where(count > 0, (low[..., 0] + high[..., 0]) / 2, np.nan)
    return median, count
