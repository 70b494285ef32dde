"""Synthetic Seoul weather: realistic enough to develop and test against, identical every time.

Everything is a pure function of the seed: the daily series are generated once, from the first
day of each series to :data:`HORIZON`, in one pass; each day's 5-minute PM10 readings come from
a generator seeded by (seed, day), so any day can be drawn on its own, in any order, in any
process, and comes out the same.

ASOS: every daily ``kma_sfcdd3`` element, physically consistent (:mod:`.synthetic_weather`):
Seoul's seasonal cycle of temperature (about -2.5 °C in January, 26 °C in August around the
middle of the record) with a warming trend of 1.8 °C per century, driven day to day by passing
pressure systems; rain with cloud and little sunshine, humidity and dew point from the
temperature, snow only when cold, wind, soil and earth temperatures. On a few days one value is
missing, as in KMA's own record.

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
from seoulcast_assets.kma_emulator.sources import SLOTS_PER_DAY, Pm10Day
from seoulcast_assets.kma_emulator.synthetic_weather import daily_weather

HORIZON = date(2100, 12, 31)  # the series end here; later days are served without data
# Mid-month values, interpolated linearly in between, chosen so that the monthly means come out
# as Seoul's: 60, 63, 72, 66, 58, 43, 33, 30, 32, 42, 52, 56 µg/m³ around 2008.
PM10_LEVEL = (60.4, 61.7, 75.0, 65.2, 59.0, 41.5, 31.8, 29.5, 30.9, 42.2, 53.1, 55.8)

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

_PM10_STREAM, _READINGS_STREAM = 2, 3  # stream 1 is the ASOS days (synthetic_weather)
_SMOOTHING = np.hanning(36)  # about three hours of 5-minute readings


class SyntheticWeather:
    """A deterministic source of Seoul's daily ASOS elements and PM10 readings (see the module
    docstring)."""

    observation_source = "emulator-synthetic"  # X-SeoulCast-Source of its replies

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
        dates = pd.date_range(TEMPERATURE_START, HORIZON, freq="D")
        return daily_weather(self.seed, dates, self.missing_temperature_rate)

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
