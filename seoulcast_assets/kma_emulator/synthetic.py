"""Synthetic Seoul weather: realistic enough to develop and test against, identical every time.

Everything is a pure function of the seed: the daily series are generated once, from the first
day of each series to :data:`HORIZON`, in one pass; each day's 5-minute PM10 readings come from
a generator seeded by (seed, day), so any day can be drawn on its own, in any order, in any
process, and comes out the same.

Temperature: Seoul's seasonal cycle (about -2.5 °C in January, 26 °C in August around the middle
of the record), a warming trend of 1.8 °C per century, day-to-day persistence (AR(1) anomalies,
larger in winter), a slower year-to-year wobble, and a daily range that is widest in spring and
narrowest in the rainy season. On a few days one value is missing, as in KMA's own record.

PM10: a seasonal level (high in winter and spring, low in the summer monsoon) that declines
over the years, log-normal day-to-day persistence, spring yellow-dust episodes with daily means
of 150-400 µg/m³, and per day a diurnal cycle, zero readings from sensor noise, occasional
isolated spikes of 500-3,856 µg/m³, short outages and, rarely, a day without readings.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from seoulcast_assets.kma.coverage import PM10_START, TEMPERATURE_START
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, Pm10Day, draw_extreme_times

HORIZON = date(2100, 12, 31)  # the series end here; later days are served without data
REFERENCE_YEAR = 1966.0  # the normals below describe this year; the trend runs through it

# Mid-month values, interpolated linearly in between. They are chosen so that the monthly means
# come out as Seoul's normals: mean temperature -2.5, 0.0, 5.2, 12.2, 17.6, 22.0, 25.0, 26.0,
# 21.4, 14.6, 6.9, 0.0 °C; daily range 8.6 .. 10.3 °C (widest in April, narrowest in July);
# PM10 60, 63, 72, 66, 58, 43, 33, 30, 32, 42, 52, 56 µg/m³ around 2008.
MEAN_TEMPERATURE = (-3.2, -0.2, 5.2, 12.8, 17.9, 22.3, 25.2, 26.9, 21.5, 14.6, 6.8, -0.7)
DIURNAL_RANGE = (8.7, 8.7, 9.7, 10.5, 10.1, 8.7, 6.1, 7.0, 8.3, 10.0, 8.7, 8.0)
ANOMALY_SPREAD = (3.4, 3.2, 2.6, 2.2, 1.9, 1.6, 1.5, 1.4, 1.7, 2.1, 2.8, 3.3)
PM10_LEVEL = (60.4, 61.7, 75.0, 65.2, 59.0, 41.5, 31.8, 29.5, 30.9, 42.2, 53.1, 55.8)

WARMING_PER_YEAR = 0.018
PM10_DECLINE_PER_YEAR = 0.022
PM10_DECLINE_FLOOR = 0.55
DUST_EPISODES_PER_SPRING = 1.6
DUST_EPISODES_PER_WINTER = 0.3
MISSING_TEMPERATURE_RATE = 1 / 5000
MISSING_PM10_DAY_RATE = 1 / 500
OUTAGE_RATE = 1 / 100
ZERO_READING_RATE = 0.3
SPIKE_RATE = 1 / 60
SPIKE_RANGE = (500, 3856)

_TEMPERATURE_STREAM, _PM10_STREAM, _READINGS_STREAM = 1, 2, 3
_SMOOTHING = np.hanning(36)  # about three hours of 5-minute readings


class SyntheticWeather:
    """A deterministic source of Seoul temperature and PM10 (see the module docstring)."""

    def __init__(
        self, seed: int = 108, *, missing_temperature_rate: float = MISSING_TEMPERATURE_RATE
    ):
        self.seed = seed
        self.missing_temperature_rate = missing_temperature_rate
        self._temperature: pd.DataFrame | None = None
        self._pm10_mean: np.ndarray | None = None
        self._dust: np.ndarray | None = None
        self._day_readings = lru_cache(maxsize=4096)(self._draw_day)

    def __repr__(self) -> str:
        return f"SyntheticWeather(seed={self.seed})"

    def asos_days(self, start: date, end: date) -> pd.DataFrame:
        table = self._temperature_table()
        first = max((start - TEMPERATURE_START).days, 0)
        last = min((end - TEMPERATURE_START).days, len(table) - 1)
        return table.iloc[first : last + 1].copy() if last >= first else table.iloc[0:0].copy()

    def pm10_day(self, day: date) -> Pm10Day | None:
        if not PM10_START <= day <= HORIZON:
            return None
        return self._day_readings(day)

    def daily_pm10_mean(self, start: date, end: date) -> pd.Series:
        """The level each day's readings are drawn around (before zeros and spikes)."""
        means = self._pm10_daily()[0]
        first, last = (start - PM10_START).days, (end - PM10_START).days
        index = pd.date_range(start, end, freq="D")
        return pd.Series(means[max(first, 0) : last + 1], index=index[max(-first, 0) :])

    # -- daily series, generated once ---------------------------------------------------------

    def _temperature_table(self) -> pd.DataFrame:
        if self._temperature is None:
            self._temperature = self._generate_temperature()
        return self._temperature

    def _generate_temperature(self) -> pd.DataFrame:
        rng = np.random.default_rng([self.seed, _TEMPERATURE_STREAM])
        dates = pd.date_range(TEMPERATURE_START, HORIZON, freq="D")
        count = len(dates)
        season, years = _season(dates), _years(dates)
        anomaly = _ar1(rng.standard_normal(count), 0.72) * _seasonal(ANOMALY_SPREAD, season)
        wobble = _ar1(rng.standard_normal(count), 0.995) * 0.6  # months to years
        mean = (
            _seasonal(MEAN_TEMPERATURE, season)
            + WARMING_PER_YEAR * (years - REFERENCE_YEAR)
            + anomaly
            + wobble
        )
        spread = _seasonal(DIURNAL_RANGE, season) * np.exp(rng.normal(0, 0.25, count))
        spread = np.clip(spread, 2.0, 18.0)
        upper_share = np.clip(rng.normal(0.55, 0.06, count), 0.35, 0.75)
        table = pd.DataFrame(
            {
                "date": dates,
                "ta_avg": np.round(mean, 1),
                "ta_max": np.round(mean + spread * upper_share, 1),
                "ta_min": np.round(mean - spread * (1 - upper_share), 1),
            }
        )
        table["ta_max_tm"], table["ta_min_tm"] = draw_extreme_times(rng, count)
        missing = rng.random(count) < self.missing_temperature_rate
        which = rng.integers(0, 3, count)
        for column_number, column in enumerate(("ta_avg", "ta_max", "ta_min")):
            table.loc[missing & (which == column_number), column] = np.nan
        return table

    def _pm10_daily(self) -> tuple[np.ndarray, np.ndarray]:
        """Daily mean level and a dust marker for every day from PM10_START to HORIZON."""
        if self._pm10_mean is None:
            rng = np.random.default_rng([self.seed, _PM10_STREAM])
            dates = pd.date_range(PM10_START, HORIZON, freq="D")
            years = _years(dates)
            decline = np.maximum(1 - PM10_DECLINE_PER_YEAR * (years - years[0]), PM10_DECLINE_FLOOR)
            sigma = 0.42
            persistence = _ar1(rng.standard_normal(len(dates)), 0.6) * sigma
            level = _seasonal(PM10_LEVEL, _season(dates)) * decline
            mean = level * np.exp(persistence - sigma**2 / 2)
            dust = _dust_days(rng, dates)
            self._pm10_mean = np.where(dust > 0, np.maximum(dust, mean), mean)
            self._dust = dust > 0
        return self._pm10_mean, self._dust

    # -- one day's readings, drawn on demand ------------------------------------------------------

    def _draw_day(self, day: date) -> Pm10Day | None:
        means, dust = self._pm10_daily()
        offset = (day - PM10_START).days
        rng = np.random.default_rng([self.seed, _READINGS_STREAM, day.toordinal()])
        if rng.random() < MISSING_PM10_DAY_RATE:
            return None
        hours = np.arange(SLOTS_PER_DAY) / 12
        shape = (
            1
            + 0.12 * np.cos(2 * np.pi * (hours - 10) / 24)
            + 0.08 * np.cos(4 * np.pi * (hours - 9) / 24)
        )
        if dust[offset]:  # the dust front passes over a few hours
            centre, width = rng.uniform(4, 20), rng.uniform(3, 8)
            shape = 0.35 + np.exp(-0.5 * ((hours - centre) / width) ** 2)
        noise = np.convolve(
            rng.standard_normal(SLOTS_PER_DAY + _SMOOTHING.size - 1), _SMOOTHING, "valid"
        )
        noise *= 0.25 / max(noise.std(), 1e-9)
        noise += rng.normal(0, 0.08, SLOTS_PER_DAY)
        series = shape * np.exp(noise)
        values = np.maximum(np.rint(series * (means[offset] / series.mean())), 1).astype(np.int64)
        if rng.random() < ZERO_READING_RATE:
            values[rng.integers(0, SLOTS_PER_DAY, 1 + rng.poisson(1.0))] = 0
        if rng.random() < SPIKE_RATE:
            values[rng.integers(0, SLOTS_PER_DAY)] = rng.integers(
                SPIKE_RANGE[0], SPIKE_RANGE[1] + 1
            )
        slots = np.arange(SLOTS_PER_DAY)
        if rng.random() < OUTAGE_RATE:
            length = int(rng.integers(12, 97))
            start = int(rng.integers(0, SLOTS_PER_DAY - length))
            keep = (slots < start) | (slots >= start + length)
            slots, values = slots[keep], values[keep]
        return Pm10Day(slots, values)


def _season(dates: pd.DatetimeIndex) -> np.ndarray:
    """Position in the year in months: 0.5 is mid-January, 11.5 mid-December."""
    return (dates.dayofyear.to_numpy() - 0.5) / (365.25 / 12)


def _years(dates: pd.DatetimeIndex) -> np.ndarray:
    return dates.year.to_numpy() + (dates.dayofyear.to_numpy() - 1) / 365.25


def _seasonal(monthly: tuple[float, ...], season: np.ndarray) -> np.ndarray:
    """Monthly values (mid-month) interpolated linearly, wrapping December to January."""
    months = np.arange(-1, 13) + 0.5
    values = np.array([monthly[-1], *monthly, monthly[0]], dtype=float)
    return np.interp(season, months, values)


def _ar1(innovations: np.ndarray, phi: float) -> np.ndarray:
    """An AR(1) series with unit variance driven by ``innovations``."""
    scale = np.sqrt(1 - phi**2)
    series = np.empty_like(innovations)
    previous = innovations[0]
    for index, shock in enumerate(innovations.tolist()):
        previous = phi * previous + scale * shock if index else shock
        series[index] = previous
    return series


def _dust_days(rng: np.random.Generator, dates: pd.DatetimeIndex) -> np.ndarray:
    """Daily mean PM10 of yellow-dust days (0 elsewhere): a peak of 150-400 µg/m³ and, for
    longer episodes, shoulder days at 60-90% of it."""
    dust = np.zeros(len(dates))
    first = dates[0].date()
    for year in range(dates[0].year, dates[-1].year + 1):
        seasons = [
            (date(year, 3, 1), 92, DUST_EPISODES_PER_SPRING),
            (date(year, 11, 15), 106, DUST_EPISODES_PER_WINTER),
        ]
        for season_start, length, rate in seasons:
            for _ in range(rng.poisson(rate)):
                start = season_start + timedelta(days=int(rng.integers(0, length)))
                peak = rng.uniform(150, 400)
                days = int(rng.integers(1, 4))
                for step in range(days):
                    offset = (start - first).days + step
                    if 0 <= offset < len(dust):
                        level = peak if step == days // 2 else peak * rng.uniform(0.6, 0.9)
                        dust[offset] = max(dust[offset], level)
    return dust
