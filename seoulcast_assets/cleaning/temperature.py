"""Daily temperature rules: sentinels, plausibility, ``ta_min <= ta_avg <= ta_max``, short gaps.

The original system replaced -99.0 by NaN and then ran
``interpolate(method='time', limit_direction='both')``, which also copied the day before into a
trailing gap (yesterday's missing value became the day before's) and never checked that a day's
three values are in order. Here, in this order:

1. **sentinels**: a value at or below ``temperature_sentinel_at_or_below`` (KMA prints -99.0)
   is missing, flagged ``:sentinel``. The raw parser already does this for KMA replies; the rule
   stays so that a raw day from any route is read the same way.
2. **plausibility**: a value outside ``ta_plausible_min..ta_plausible_max`` is removed,
   flagged ``:implausible``.
3. **order**: the day's values must satisfy ``ta_min <= ta_avg <= ta_max``. Which value of a
   broken pair is wrong cannot be told from the day alone, so every value that takes part in a
   broken inequality is removed, flagged ``:inconsistent`` (e.g. ``ta_min > ta_avg`` with a
   sensible ``ta_max``: ``ta_min`` and ``ta_avg`` go, ``ta_max`` stays). A removed value is then
   an ordinary gap for step 4.
4. **short gaps**: a run of missing values of one column that is at most
   ``longest_interpolated_gap_days`` long, with an observed value on *both* sides, is filled by
   linear interpolation in time (the same as pandas' ``method='time'`` on a daily calendar),
   rounded to 0.1 °C, flagged ``:interpolated``. A run touching the edge of what was read is
   never filled (no extrapolation), nor is a run that touches the Korean War gap, whose days
   are never filled at all. A filled value that would break the day's order with its observed
   values is dropped again (``:missing``).

Every day of the war gap is flagged ``ta:war_gap``, with or without a raw row: the data portal
lists 225 of them with rain or snow but no temperature, which are no missing temperatures.

A partition reads ``longest_interpolated_gap_days`` days on each side of itself, which is all a
fill can depend on: a run short enough to fill has both its ends within that distance. So a day
cleaned alone and the same day cleaned inside a long range come out the same. The newest day is
cleaned before the next day exists, so its missing values stay missing; cleaning it again once
the next days are collected (a range run over the last week) fills them.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.flags import (
    TEMPERATURE_COLUMNS,
    TEMPERATURE_FLAGS,
    empty_flags,
    value_flag,
)
from seoulcast_assets.cleaning.policy import CleaningPolicy
from seoulcast_assets.kma.coverage import KOREAN_WAR_GAP

# (lower, upper) pairs that must hold on every day where both are present.
ORDERED_PAIRS = (("ta_min", "ta_avg"), ("ta_avg", "ta_max"), ("ta_min", "ta_max"))


def temperature_read_window(first: date, last: date, policy: CleaningPolicy) -> tuple[date, date]:
    """The raw days cleaning ``first..last`` needs: the range and the longest gap around it."""
    margin = timedelta(days=policy.longest_interpolated_gap_days)
    return first - margin, last + margin


def clean_temperature(
    raw: pd.DataFrame,
    collected: pd.DatetimeIndex,
    first: date,
    last: date,
    policy: CleaningPolicy,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cleaned ``ta_avg, ta_max, ta_min`` and their flags for every day ``first..last``.

    ``raw`` holds the rows KMA sent (indexed by day, NaN for a missing value) for at least
    :func:`temperature_read_window`; ``collected`` lists the days whose raw object exists, with
    or without a row. Both results are indexed by every day of ``first..last``.
    """
    read_first, read_last = temperature_read_window(first, last, policy)
    calendar = pd.date_range(read_first, read_last, freq="D", name="date")
    values = raw.reindex(calendar)[list(TEMPERATURE_COLUMNS)].astype(float)
    flags = empty_flags(calendar, TEMPERATURE_FLAGS)

    values = remove_sentinels(values, flags, policy)
    values = remove_implausible(values, flags, policy)
    values = remove_inconsistent(values, flags)
    war_gap = in_war_gap(calendar)
    values = interpolate_short_gaps(values, flags, policy.longest_interpolated_gap_days, war_gap)
    values = drop_inconsistent_fills(values, flags)

    observed = calendar.isin(raw.index)
    # A war-gap day is one whatever its raw row holds (225 of them hold rain or snow only).
    flags["ta:war_gap"] = war_gap
    flags["ta:no_observation"] = calendar.isin(collected) & ~observed & ~war_gap
    flags["ta:not_collected"] = ~calendar.isin(collected) & ~observed & ~war_gap
    for column in TEMPERATURE_COLUMNS:
        missing = observed & ~war_gap & values[column].isna().to_numpy()
        flags[value_flag(column, "missing")] = missing

    days = pd.date_range(first, last, freq="D", name="date")
    return values.loc[days], flags.loc[days]


def in_war_gap(days: pd.DatetimeIndex) -> np.ndarray:
    """True for the days of the Korean War gap (no observations; never interpolated)."""
    start, end = (pd.Timestamp(day) for day in KOREAN_WAR_GAP)
    return np.asarray((days >= start) & (days <= end))


def remove_sentinels(
    values: pd.DataFrame, flags: pd.DataFrame, policy: CleaningPolicy
) -> pd.DataFrame:
    """KMA's missing-value codes (-99.0 and kin) become missing values, flagged ``:sentinel``."""
    sentinel = values <= policy.temperature_sentinel_at_or_below
    return _remove(values, flags, sentinel, "sentinel")


def remove_implausible(
    values: pd.DataFrame, flags: pd.DataFrame, policy: CleaningPolicy
) -> pd.DataFrame:
    """Values outside the plausible range become missing, flagged ``:implausible``."""
    outside = (values < policy.ta_plausible_min) | (values > policy.ta_plausible_max)
    return _remove(values, flags, outside, "implausible")


def remove_inconsistent(values: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Values in a broken ``ta_min <= ta_avg <= ta_max`` become missing (``:inconsistent``)."""
    return _remove(values, flags, _order_violations(values), "inconsistent")


def interpolate_short_gaps(
    values: pd.DataFrame, flags: pd.DataFrame, longest_gap: int, never_fill: np.ndarray
) -> pd.DataFrame:
    """Fill interior runs of at most ``longest_gap`` missing days linearly (``:interpolated``).

    ``values`` must be on a daily calendar. A run is filled only when it has an observed value
    on both sides within the calendar and contains no ``never_fill`` day; it is filled whole or
    not at all (pandas' ``limit`` would fill the start of a longer run).
    """
    values = values.copy()
    positions = np.arange(len(values))
    blocked = np.concatenate([[0], np.cumsum(never_fill)])  # blocked[i] = never_fill days < i
    for column in values.columns:
        series = values[column].to_numpy(dtype=float)
        present = ~np.isnan(series)
        before = np.maximum.accumulate(np.where(present, positions, -1))
        after = np.minimum.accumulate(np.where(present, positions, len(series))[::-1])[::-1]
        inside = (before >= 0) & (after < len(series))
        left, right = np.where(inside, before, 0), np.where(inside, after, 0)
        fill = (
            ~present
            & inside
            & (right - left - 1 <= longest_gap)
            & (blocked[right] - blocked[left + 1] == 0)
        )
        if not fill.any():
            continue
        share = (positions - left) / np.maximum(right - left, 1)
        line = series[left] + (series[right] - series[left]) * share
        values[column] = np.where(fill, np.round(line, 1) + 0.0, series)
        flags[value_flag(column, "interpolated")] = fill
    return values


def drop_inconsistent_fills(values: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Remove interpolated values that break the day's order with its other values."""
    broken = _order_violations(values)
    values = values.copy()
    for column in TEMPERATURE_COLUMNS:
        interpolated = value_flag(column, "interpolated")
        drop = broken[column].to_numpy() & flags[interpolated].to_numpy()
        if drop.any():
            values.loc[drop, column] = np.nan
            flags[interpolated] &= ~drop
    return values


def _order_violations(values: pd.DataFrame) -> pd.DataFrame:
    """Per cell: True when the value takes part in a broken ordered pair (NaN never does)."""
    broken = pd.DataFrame(False, index=values.index, columns=list(TEMPERATURE_COLUMNS))
    for lower, upper in ORDERED_PAIRS:
        violation = (values[lower] > values[upper]).to_numpy()
        broken[lower] |= violation
        broken[upper] |= violation
    return broken


def _remove(
    values: pd.DataFrame, flags: pd.DataFrame, mask: pd.DataFrame, reason: str
) -> pd.DataFrame:
    for column in TEMPERATURE_COLUMNS:
        flags[value_flag(column, reason)] |= mask[column].to_numpy()
    return values.mask(mask)
