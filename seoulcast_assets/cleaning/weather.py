"""Daily weather-element rules: sentinels, rain and snow, plausibility, consistency, wind.

In this order, per day (each element's unit, range and first day are in :mod:`.elements`):

1. **sentinels**: KMA's missing-value code becomes missing, flagged ``:sentinel``: -99.0 for
   the temperature-type fields (``td_avg``, ``ts_avg``, ``tg_min``, ``te_*``; at or below the
   policy's ``temperature_sentinel_at_or_below``, since -9.0 °C is real), a negative number made
   only of nines (-9, -9.0, -99.9 ...) for the others, the times of day included. The raw parser
   already does this for KMA replies; the rule stays so that a raw day from any route is read
   alike. For rain and snow that code means *none* (``RN_DAY = -9.0`` on a dry day) and is read
   as the parser reads it.
2. **rain and snow**: on a day whose raw row holds any weather observation, an empty
   ``rn_day``, ``sd_new`` or ``sd_max`` is 0.0: the API prints -9.0 (parsed to empty) on a dry
   day, the data portal leaves the cell blank, and both write 0 for a trace, which stays 0.0.
   A day without a row, or whose row holds only temperatures (and the times of their maximum
   and minimum, which a temperature-only source gives too), says nothing about rain: empty.
   A true gap of the rain gauge alone on a day with other observations cannot be told from a
   dry day in either route, so it is read as dry. Before an element's first day nothing is
   filled.
3. **plausibility**: a value outside its element's physical range is removed,
   ``:implausible``; so is a time (``ta_max_tm`` ...) that is not a time of day, KMA's ``hhmi``
   from 0000 to 2400 with minutes below 60 (Seoul's record holds 12 such among the six kept
   times, ``2454`` on 1942-12-02, ``1570`` on 1943-04-09 ...). The raw layer keeps such a value
   as KMA sent it (the parser no longer refuses a reply for it), so the rule sees it.
4. **consistency**, on what step 3 kept: ``hm_min <= hm_avg``, ``ws_avg <= ws_max``,
   ``ps_min <= ps_avg <= ps_max`` (each pair), ``td_avg <= ta_avg + 0.5 °C`` and
   ``ss_day <= ss_dur``. Where a broken pair cannot say which value is wrong both are removed
   (as for temperature); the dew point gives way to the mean temperature (the forecast's
   target, checked against its own max and min) and sunshine to the astronomical day length.
   Removed values are flagged ``:inconsistent``.
5. **wind components** of the max wind, ``ws_max_u = -ws_max sin(wd_max)`` and
   ``ws_max_v = -ws_max cos(wd_max)`` (toward where it blows), where both are kept.

Nothing is interpolated: the newest day, the one a forecast needs, has no next day to
interpolate from, and a filled day of humidity or sunshine would be an invented one (filling a
hidden day of 1990-2018 linearly misses ``hm_avg`` by 7.7 %, ``ss_day`` by 2.9 h, ``ps_avg`` by
2.0 hPa: 60-80 % of persistence's error). Every rule works within a day, so a day cleaned alone
and inside a range come out the same.

Steps 3 and 4 are :class:`Rule` objects, each a named pandera check: the cleaning runs each
check on the raw values and turns its failure cases into flags, and the schema of the cleaned
table (:mod:`.schemas`) runs the very same checks on what is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from seoulcast_assets.cleaning.elements import (
    ELEMENT_NAMES,
    ELEMENTS,
    NONE_IS_ZERO,
    OBSERVED_ELEMENTS,
    WEATHER_COLUMNS,
    WIND_COMPONENTS,
    Element,
)
from seoulcast_assets.cleaning.flags import WEATHER_FLAGS, empty_flags, value_flag
from seoulcast_assets.cleaning.policy import CleaningPolicy
from seoulcast_assets.cleaning.temperature import in_war_gap

DEW_POINT_TOLERANCE = 0.5  # °C: rounding, and means of hourly values taken at other hours

Reason = Literal["implausible", "inconsistent"]


@dataclass(frozen=True)
class Rule:
    """A check every cleaned day must pass, and the values removed from a day that fails."""

    name: str
    reason: Reason
    removes: tuple[str, ...]  # the columns whose values are removed on a failing day
    reads: tuple[str, ...]  # the columns it reads (shown when the schema reports it)
    passes: Callable[[pd.DataFrame], pd.Series]  # True where the day passes; empty passes

    @cached_property
    def check(self) -> pa.Check:
        return pa.Check(self.passes, name=self.name, ignore_na=False)  # passes() handles NaN

    def failures(self, table: pd.DataFrame) -> np.ndarray:
        """True for the rows of ``table`` that fail, by running the pandera check."""
        return ~self.check(table).check_output.to_numpy(dtype=bool)


def _within(column: str, low: float, high: float) -> Callable[[pd.DataFrame], pd.Series]:
    def passes(table: pd.DataFrame) -> pd.Series:
        values = table[column]
        return ~((values < low) | (values > high))

    return passes


def _time_of_day(column: str, low: float, high: float) -> Callable[[pd.DataFrame], pd.Series]:
    def passes(table: pd.DataFrame) -> pd.Series:
        values = table[column]
        outside = (values < low) | (values > high)
        return ~(outside | (values % 100 >= 60) | (values % 1 > 0))  # NaN compares False

    return passes


def _at_most(lower: str, upper: str, tolerance: float = 0.0):
    def passes(table: pd.DataFrame) -> pd.Series:
        return ~(table[lower] > table[upper] + tolerance)

    return passes


def _range_rule(element: Element) -> Rule:
    name, low, high = element.name, element.low, element.high
    if element.kind == "time":
        passes = _time_of_day(name, low, high)
        title = f"{name} is a time of day: {low:04.0f}..{high:04.0f}, minutes < 60"
        return Rule(title, "implausible", (name,), (name,), passes)
    passes = _within(name, low, high)
    return Rule(f"{name} in {low:g}..{high:g}", "implausible", (name,), (name,), passes)


def _order_rule(lower: str, upper: str, removes: tuple[str, ...] | None = None) -> Rule:
    pair = (lower, upper)
    return Rule(f"{lower} <= {upper}", "inconsistent", removes or pair, pair, _at_most(*pair))


PLAUSIBILITY_RULES: tuple[Rule, ...] = tuple(_range_rule(element) for element in ELEMENTS)
CONSISTENCY_RULES: tuple[Rule, ...] = (
    _order_rule("hm_min", "hm_avg"),
    _order_rule("ws_avg", "ws_max"),
    _order_rule("ps_min", "ps_avg"),
    _order_rule("ps_avg", "ps_max"),
    _order_rule("ps_min", "ps_max"),
    Rule(
        f"td_avg <= ta_avg + {DEW_POINT_TOLERANCE:g}",
        "inconsistent",
        ("td_avg",),
        ("td_avg", "ta_avg"),
        _at_most("td_avg", "ta_avg", DEW_POINT_TOLERANCE),
    ),
    _order_rule("ss_day", "ss_dur", removes=("ss_day",)),
)
RULES: tuple[Rule, ...] = (*PLAUSIBILITY_RULES, *CONSISTENCY_RULES)


def rules_of(column: str, reason: str) -> list[Rule]:
    """The rules that remove ``column``'s value for ``reason``."""
    return [rule for rule in RULES if rule.reason == reason and column in rule.removes]


# Negative numbers made only of nines, as KMA writes a missing value: -9, -9.9, -99, -99.9 ...
_ALL_NINES = np.round(
    [-((10**whole - 1) + (1 - 10.0**-decimals)) for whole in range(1, 6) for decimals in range(4)],
    3,
)
_TEMPERATURE_TYPE = [element.name for element in ELEMENTS if element.kind == "temperature"]
_NINES_TYPE = [element.name for element in ELEMENTS if element.kind != "temperature"]


@dataclass(frozen=True)
class CleanWeather:
    """The cleaned weather columns and flags of every day of a range, and each failed rule."""

    values: pd.DataFrame  # WEATHER_COLUMNS, indexed by day
    flags: pd.DataFrame  # WEATHER_FLAGS, indexed by day
    failures: pd.DataFrame  # date, column, reason, rule, value: one row per removed value


def clean_weather(
    raw: pd.DataFrame,
    collected: pd.DatetimeIndex,
    ta_avg: pd.Series,
    first: date,
    last: date,
    policy: CleaningPolicy,
) -> CleanWeather:
    """Cleaned weather elements for every day ``first..last``.

    ``raw`` holds the rows KMA sent (indexed by day, NaN for a missing value; columns it lacks
    are empty), ``collected`` the days whose raw object exists, ``ta_avg`` the cleaned mean
    temperature of the days (for the dew-point rule).
    """
    days = pd.date_range(first, last, freq="D", name="date")
    values = raw.reindex(index=days, columns=list(ELEMENT_NAMES)).astype(float)
    flags = empty_flags(days, WEATHER_FLAGS)
    observed = days.isin(raw.index)
    war_gap = in_war_gap(days)

    values = remove_sentinels(values, flags, policy)
    with_weather = values[list(OBSERVED_ELEMENTS)].notna().any(axis=1).to_numpy() & observed
    values = fill_none_as_zero(values, with_weather)

    removed = []
    values = _apply(PLAUSIBILITY_RULES, values, flags, removed)
    checked = values.assign(ta_avg=ta_avg.reindex(days).to_numpy(dtype=float))
    values = _apply(CONSISTENCY_RULES, checked, flags, removed)[list(ELEMENT_NAMES)]

    begun = _begun(days)
    missing = values.isna().to_numpy() & begun & (with_weather & ~war_gap)[:, None]
    for position, name in enumerate(ELEMENT_NAMES):
        flags[value_flag(name, "missing")] = missing[:, position]
    collected_day = days.isin(collected)
    flags["weather:war_gap"] = war_gap
    flags["weather:no_observation"] = collected_day & ~with_weather & ~war_gap
    flags["weather:not_collected"] = ~collected_day & ~war_gap

    values = with_wind_components(values)[list(WEATHER_COLUMNS)]
    failures = pd.concat(removed, ignore_index=True) if removed else _no_failures()
    return CleanWeather(values, flags, failures.sort_values(["date", "column"], ignore_index=True))


def remove_sentinels(
    values: pd.DataFrame, flags: pd.DataFrame, policy: CleaningPolicy
) -> pd.DataFrame:
    """KMA's missing-value codes become missing, ``:sentinel`` (rain and snow: no flag, as the
    parser reads ``RN_DAY = -9.0``; step 2 decides whether that is 0.0)."""
    sentinel = pd.DataFrame(False, index=values.index, columns=values.columns)
    with np.errstate(invalid="ignore"):
        temperature = values[_TEMPERATURE_TYPE].to_numpy()
        sentinel[_TEMPERATURE_TYPE] = temperature <= policy.temperature_sentinel_at_or_below
        nines = np.round(values[_NINES_TYPE].to_numpy(), 3)
        sentinel[_NINES_TYPE] = np.isin(nines, _ALL_NINES)
    for name in ELEMENT_NAMES:
        if name not in NONE_IS_ZERO:
            flags[value_flag(name, "sentinel")] |= sentinel[name].to_numpy()
    return values.mask(sentinel)


def fill_none_as_zero(values: pd.DataFrame, with_weather: np.ndarray) -> pd.DataFrame:
    """Empty rain and snow on a day with weather observations (from the element's first day)
    is none: 0.0."""
    values = values.copy()
    begun = _begun(values.index)
    for name in NONE_IS_ZERO:
        position = ELEMENT_NAMES.index(name)
        none = values[name].isna().to_numpy() & with_weather & begun[:, position]
        values.loc[none, name] = 0.0
    return values


def with_wind_components(values: pd.DataFrame) -> pd.DataFrame:
    """``ws_max_u``/``ws_max_v`` (m/s, 0.1) of ``ws_max`` blowing from ``wd_max`` degrees."""
    speed = values["ws_max"].to_numpy(dtype=float)
    direction = np.deg2rad(values["wd_max"].to_numpy(dtype=float))
    u, v = WIND_COMPONENTS
    return values.assign(
        **{
            u: np.round(-speed * np.sin(direction), 1) + 0.0,
            v: np.round(-speed * np.cos(direction), 1) + 0.0,
        }
    )


def _apply(
    rules: tuple[Rule, ...], table: pd.DataFrame, flags: pd.DataFrame, removed: list
) -> pd.DataFrame:
    """Run every rule on ``table`` as it is, then remove what failed (so a removal by one rule
    never decides another of the same step) and flag it."""
    failed = [(rule, rule.failures(table)) for rule in rules]
    cleaned = table.copy()
    for rule, rows in failed:
        if not rows.any():
            continue
        for column in rule.removes:
            flags[value_flag(column, rule.reason)] |= rows
            removed.append(
                pd.DataFrame(
                    {
                        "date": table.index[rows],
                        "column": column,
                        "reason": rule.reason,
                        "rule": rule.name,
                        "value": table[column].to_numpy()[rows],
                    }
                )
            )
            cleaned.loc[rows, column] = np.nan
    return cleaned


def _begun(days: pd.DatetimeIndex) -> np.ndarray:
    """(days x elements): True from each element's first day in Seoul's record."""
    starts = np.array([np.datetime64(element.first_day, "ns") for element in ELEMENTS])
    return days.to_numpy()[:, None] >= starts[None, :]


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.DatetimeIndex([]),
            "column": pd.Series(dtype=object),
            "reason": pd.Series(dtype=object),
            "rule": pd.Series(dtype=object),
            "value": pd.Series(dtype=float),
        }
    )
