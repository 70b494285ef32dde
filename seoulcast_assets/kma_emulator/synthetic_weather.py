"""Every daily ASOS element of synthetic Seoul weather, physically consistent.

:func:`daily_weather` draws all days of a calendar at once (vectorised numpy, a handful of
linear recursions), from one seed, in this order:

* **pressure**: a synoptic wave (AR(2), Seoul's day-to-day persistence of sea-level pressure)
  around the seasonal mean (1025 hPa in winter, 1006 in July), plus a few typhoons a decade
  (Jul-Sep, 12-30 hPa deep). Station pressure by the hypsometric equation; the day's maximum
  and minimum bracket the mean by a range that grows with the pressure tendency, and fall early
  or late in the day by its sign;
* **temperature** anomalies respond to the pressure tendency as Seoul's do (a linear model fitted
  to Seoul's 1990-2018 record, in standardised anomalies): warming while the pressure falls,
  the cold front's drop as it rises again, the high's pressure peak a day after the coldest day;
* **rain** where a wetness index (low and falling pressure, plus noise) passes the month's
  threshold (Seoul's share of wet days: 20 % in winter, half the days in July), amounts heavier
  in the monsoon, a trace (``0.0``) just below the threshold; 9-9 precipitation from each day's
  morning and evening shares; durations and 1-hour / 10-minute maxima that fit the day's total;
* **cloud** from the same index (rainy days 8/10 and more), **sunshine** as a share of the
  astronomical day length that falls with cloud (little on rainy days), **solar radiation** by
  Ångström-Prescott from sunshine and the extraterrestrial radiation of the day;
* the **daily range** narrows under cloud; **dew point** below the temperature by a seasonal
  depression (smaller on rainy days), **vapour pressure** from it by Magnus, **relative
  humidity** from both, the day's **minimum humidity** at the afternoon maximum temperature;
* **wind**: log-normal means (windier with fast pressure changes and in typhoons), maxima and
  gusts by gust factors (mean <= max <= gust), directions on KMA's 16 points from seasonal
  regimes (north-west in winter, south-west in summer, easterlies late in summer);
* **snow** only when cold (mean temperature <= 2.5 °C), a snow pack that melts with warmth;
* **ground and earth**: surface mean warmer than the air under sunshine, grass minimum below
  the air minimum on clear nights, earth temperatures at 0.5-5 m following the air's annual
  cycle damped and delayed with depth (Seoul's amplitudes and lags) and its weather anomalies
  smoothed more the deeper they go;
* **evaporation** from radiation and the vapour-pressure deficit (the large pan only from April
  to mid-November), **fog** on humid, calm days.

Elements start in the years Seoul's record starts them (radiation in 1973, ...), so a synthetic
history looks like the real one; ``ss_cmb`` (Campbell sunshine) and ``rn_pow_max`` (rain
intensity) are never served, as Seoul's record has neither. On about one day in 5,000 a group
of instruments (wind, humidity, pressure, sunshine and radiation, earth) reports nothing.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from seoulcast_assets.kma_emulator import physics
from seoulcast_assets.kma_emulator.sources import draw_extreme_times

REFERENCE_YEAR = 1966.0  # the normals below describe this year; the trend runs through it
WARMING_PER_YEAR = 0.018

# Mid-month values, interpolated linearly in between (January first).
MEAN_TEMPERATURE = (-3.2, -0.2, 5.2, 12.8, 17.9, 22.3, 25.2, 26.9, 21.5, 14.6, 6.8, -0.7)
DIURNAL_RANGE = (8.7, 8.7, 9.7, 10.5, 10.1, 8.7, 6.1, 7.0, 8.3, 10.0, 8.7, 8.0)
ANOMALY_SPREAD = (3.4, 3.2, 2.6, 2.2, 1.9, 1.6, 1.5, 1.4, 1.7, 2.1, 2.8, 3.3)
SEA_LEVEL_PRESSURE = (1025.0, 1023.2, 1019.6, 1014.7, 1011.0, 1007.4, 1006.4, 1008.2, 1013.5,
                      1019.2, 1022.5, 1025.0)  # fmt: skip
PRESSURE_SPREAD = (4.7, 5.3, 5.2, 5.3, 4.8, 4.1, 4.0, 3.9, 4.6, 4.4, 4.8, 5.2)
WET_DAY_SHARE = (0.21, 0.20, 0.23, 0.29, 0.29, 0.34, 0.54, 0.47, 0.30, 0.20, 0.29, 0.25)
WET_DAY_RAIN = (2.7, 5.0, 5.5, 8.9, 11.8, 14.3, 25.9, 23.4, 17.2, 8.5, 5.4, 3.0)  # mm
DEW_POINT_DEPRESSION = (8.1, 8.8, 9.2, 9.9, 8.8, 7.3, 4.7, 5.5, 7.1, 7.9, 7.7, 7.8)  # °C
# The wetness index is N(0, 1): a day is wet above the quantile that leaves the month's share.
WET_DAY_THRESHOLD = tuple(NormalDist().inv_cdf(1 - share) for share in WET_DAY_SHARE)
# How far above it a wet day's index lies on average (the mean excess of a normal tail).
WET_DAY_EXCESS = tuple(
    NormalDist().pdf(threshold) / share - threshold
    for threshold, share in zip(WET_DAY_THRESHOLD, WET_DAY_SHARE, strict=True)
)
HEAVIER_PER_EXCESS = 0.8  # a wet day's amount grows with how far its index passes the threshold
MEAN_WIND = (2.38, 2.56, 2.76, 2.77, 2.51, 2.22, 2.27, 2.11, 1.91, 1.96, 2.2, 2.29)  # m/s
SURFACE_WARMTH = (0.3, 0.1, 0.7, 1.7, 2.8, 3.1, 1.6, 1.7, 1.6, 0.5, -0.7, -0.3)  # ts - ta, °C
WEST_WIND_FROM = (300, 300, 290, 280, 260, 240, 230, 240, 260, 280, 290, 300)  # degrees
EAST_WIND_SHARE = (0.1, 0.1, 0.12, 0.12, 0.12, 0.15, 0.2, 0.35, 0.35, 0.2, 0.12, 0.1)

# Sea-level pressure: AR(2) of Seoul's standardised anomalies (1990-2018).
PRESSURE_AR = (0.848, -0.301)
# Temperature anomaly (standardised) on its two previous days and on the pressure tendency of
# the next day, the day itself and the two before, fitted to the same years (residual sd
# 0.658); the same-day term then raised from -0.100 so that the simulated correlations of the
# daily pressure and temperature changes at lags -1, 0, 1 come out as Seoul's (-0.26, -0.18,
# 0.26; simulated -0.27, -0.18, 0.22).
TEMPERATURE_AR = (0.844, -0.169)
TEMPERATURE_ON_PRESSURE_TENDENCY = (-0.149, -0.160, 0.093, -0.029)  # t+1, t, t-1, t-2
TEMPERATURE_NOISE = 0.658
TYPHOONS_PER_YEAR = 0.35
SNOW_AT_OR_BELOW = 2.5  # °C daily mean: any colder wet day brings snow (all of it at <= 1 °C)

# Earth temperatures: depth (m), mean above the air's, share of the air's annual swing, its
# delay (days), and how many days the weather anomalies are smoothed over (Seoul 1990-2018).
EARTH = {
    "te_05": (0.5, 1.5, 0.89, 12, 6),
    "te_10": (1.0, 1.9, 0.76, 24, 14),
    "te_15": (1.5, 2.5, 0.64, 34, 24),
    "te_30": (3.0, 2.8, 0.38, 67, 50),
    "te_50": (5.0, 2.8, 0.20, 103, 90),
}
# The year each element starts in Seoul's record (it is served as missing before).
STARTS = {
    1908: ("hm_min", "ps_max", "ps_min"),
    1916: ("ts_avg", "te_05", "te_10", "te_15", "rn_d99"),
    1918: ("tg_min",),
    1925: ("te_30", "te_50"),
    1926: ("pa_avg", "ps_avg"),
    1937: ("rn_60m_max", "rn_60m_max_tm", "rn_10m_max", "rn_10m_max_tm", "sd_new", "sd_new_tm"),
    1942: ("rn_dur", "ps_max_tm", "ps_min_tm", "sd_max_tm"),
    1949: ("ws_ins", "wd_ins", "ws_ins_tm", "ws_max_tm"),
    1961: ("td_avg", "ss_dur"),
    1962: ("hm_min_tm",),
    1964: ("fg_dur",),
    1973: ("si_day", "ev_l"),
    1982: ("si_60m_max", "si_60m_max_tm"),
}
INSTRUMENT_GROUPS = {
    "wind": ("ws_avg", "wr_day", "wd_max", "ws_max", "ws_max_tm", "wd_ins", "ws_ins", "ws_ins_tm"),
    "humidity": ("td_avg", "hm_avg", "hm_min", "hm_min_tm", "pv_avg"),
    "pressure": ("pa_avg", "ps_avg", "ps_max", "ps_max_tm", "ps_min", "ps_min_tm"),
    "sunshine": ("ss_day", "si_day", "si_60m_max", "si_60m_max_tm"),
    "earth": tuple(EARTH),
}
MISSING_GROUP_RATE = 1 / 5000

(_PRESSURE, _TEMPERATURE, _TYPHOON, _RAIN, _CLOUD, _RANGE, _HUMIDITY, _WIND, _SNOW, _GROUND,
 _TIMES, _MISSING) = range(12)  # fmt: skip


def daily_weather(
    seed: int, dates: pd.DatetimeIndex, missing_temperature_rate: float
) -> pd.DataFrame:
    """One row per day of ``dates`` (consecutive), ``date`` then ASOS fields by API name."""
    streams = [np.random.default_rng([seed, 1, stream]) for stream in range(12)]
    calendar = _Calendar(dates)
    pressure = _pressure(calendar, streams[_PRESSURE], streams[_TYPHOON])
    mean = _mean_temperature(calendar, pressure, streams[_TEMPERATURE])
    rain = _rain(calendar, pressure, streams[_RAIN])
    sky = _sky(calendar, rain, streams[_CLOUD])
    table = {"date": dates, **pressure.columns(mean), **rain.columns, **sky}
    table |= _temperatures(calendar, mean, sky["ca_tot"], streams[_RANGE], missing_temperature_rate)
    table |= _humidity(calendar, table, rain.wet, streams[_HUMIDITY])
    table |= _wind(calendar, pressure, streams[_WIND])
    table |= _snow(table, rain, streams[_SNOW])
    table |= _ground(calendar, table, rain.wet, streams[_GROUND])
    table |= _evaporation_and_fog(calendar, table, rain.wet, streams[_GROUND])
    table |= _times(table, pressure, rain, streams[_TIMES])
    frame = pd.DataFrame(table)
    _no_time_without_its_extreme(frame)
    _start_elements(frame, calendar)
    _missing_groups(frame, streams[_MISSING])
    return frame


class _Calendar:
    def __init__(self, dates: pd.DatetimeIndex):
        self.count = len(dates)
        self.day_of_year = dates.dayofyear.to_numpy()
        self.month = dates.month.to_numpy()
        self.year = dates.year.to_numpy()
        self.season = (self.day_of_year - 0.5) / (365.25 / 12)  # months; 0.5 = mid-January
        self.years = self.year + (self.day_of_year - 1) / 365.25

    def seasonal(self, monthly: tuple[float, ...], lag_days: float = 0.0) -> np.ndarray:
        return seasonal(monthly, np.mod(self.season - lag_days / (365.25 / 12), 12))


def seasonal(monthly: tuple[float, ...], season: np.ndarray) -> np.ndarray:
    """Monthly values (mid-month) interpolated linearly, wrapping December to January."""
    months = np.arange(-1, 13) + 0.5
    values = np.array([monthly[-1], *monthly, monthly[0]], dtype=float)
    return np.interp(season, months, values)


def recursion(inputs: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    """``y[t] = inputs[t] + sum(c[k] * y[t-1-k])``: an AR filter, in plain Python (scipy's
    lfilter would cost more to import than it saves)."""
    out = [0.0] * len(inputs)
    if len(coefficients) == 1:
        (a,) = coefficients
        previous = 0.0
        for index, value in enumerate(inputs.tolist()):
            previous = value + a * previous
            out[index] = previous
    else:
        a, b = coefficients
        one = two = 0.0
        for index, value in enumerate(inputs.tolist()):
            one, two = value + a * one + b * two, one
            out[index] = one
    return np.array(out)


def _standardised(series: np.ndarray) -> np.ndarray:
    return (series - series.mean()) / series.std()


# -- pressure -------------------------------------------------------------------------------------


class _Pressure:
    def __init__(self, calendar: _Calendar, wave: np.ndarray, typhoon: np.ndarray, rng):
        self.wave, self.typhoon = wave, typhoon  # standardised anomaly; typhoon depth (hPa)
        spread = calendar.seasonal(PRESSURE_SPREAD)
        self.sea_level = np.round(
            np.clip(calendar.seasonal(SEA_LEVEL_PRESSURE) + spread * wave - typhoon, 950, 1060), 1
        )
        tendency = np.gradient(self.sea_level)  # hPa per day, through the day
        self.tendency = tendency
        self.tendency_std = np.diff(wave, prepend=wave[0]) / np.diff(wave).std()
        swing = 1.6 + 0.55 * np.abs(tendency) + rng.gamma(2.0, 0.5, calendar.count)
        above = rng.uniform(0.3, 0.7, calendar.count)
        self.highest = np.round(self.sea_level + swing * above, 1)
        self.lowest = np.round(self.sea_level - swing * (1 - above), 1)

    def columns(self, mean_temperature: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "pa_avg": np.round(physics.station_pressure(self.sea_level, mean_temperature), 1),
            "ps_avg": self.sea_level,
            "ps_max": self.highest,
            "ps_min": self.lowest,
        }


def _pressure(calendar: _Calendar, rng, typhoon_rng) -> _Pressure:
    wave = _standardised(recursion(rng.standard_normal(calendar.count), PRESSURE_AR))
    typhoon = np.zeros(calendar.count)
    in_season = np.flatnonzero((calendar.month >= 7) & (calendar.month <= 9))
    years = calendar.year[in_season]
    for year in np.unique(years):
        days = in_season[years == year]
        for _ in range(typhoon_rng.poisson(TYPHOONS_PER_YEAR)):
            centre, depth = int(typhoon_rng.choice(days)), typhoon_rng.uniform(12, 30)
            for offset, share in ((-1, 0.35), (0, 1.0), (1, 0.45)):
                if 0 <= centre + offset < calendar.count:
                    typhoon[centre + offset] = max(typhoon[centre + offset], depth * share)
    return _Pressure(calendar, wave, typhoon, rng)


# -- temperature ----------------------------------------------------------------------------------


def _mean_temperature(calendar: _Calendar, pressure: _Pressure, rng) -> np.ndarray:
    """Daily mean (unrounded): season, trend, anomalies driven by the pressure tendency."""
    tendency = pressure.tendency_std
    ahead, today, before, two_before = TEMPERATURE_ON_PRESSURE_TENDENCY
    forcing = (
        ahead * np.roll(tendency, -1)
        + today * tendency
        + before * np.roll(tendency, 1)
        + two_before * np.roll(tendency, 2)
        + TEMPERATURE_NOISE * rng.standard_normal(calendar.count)
    )
    anomaly = _standardised(recursion(forcing, TEMPERATURE_AR))
    wobble = _standardised(recursion(rng.standard_normal(calendar.count), (0.995,))) * 0.6
    return (
        calendar.seasonal(MEAN_TEMPERATURE)
        + WARMING_PER_YEAR * (calendar.years - REFERENCE_YEAR)
        + anomaly * calendar.seasonal(ANOMALY_SPREAD)
        + wobble
    )


def _temperatures(calendar, mean, cloud, rng, missing_rate: float) -> dict[str, np.ndarray]:
    count = calendar.count
    spread = calendar.seasonal(DIURNAL_RANGE) * np.exp(rng.normal(0, 0.2, count))
    spread = np.clip(spread * (1.3 - 0.6 * cloud / 10), 2.0, 18.0)  # cloud narrows the range
    upper_share = np.clip(rng.normal(0.55, 0.06, count), 0.35, 0.75)
    columns = {
        "ta_avg": np.round(mean, 1),
        "ta_max": np.round(mean + spread * upper_share, 1),
        "ta_min": np.round(mean - spread * (1 - upper_share), 1),
    }
    columns["ta_max_tm"], columns["ta_min_tm"] = draw_extreme_times(rng, count)
    missing = rng.random(count) < missing_rate
    which = rng.integers(0, 3, count)
    for number, name in enumerate(("ta_avg", "ta_max", "ta_min")):
        columns[name] = np.where(missing & (which == number), np.nan, columns[name])
    return columns


# -- rain, cloud, sunshine ------------------------------------------------------------------------


class _Rain:
    def __init__(self, wetness, threshold, amount, morning_share, typhoon):
        self.wetness, self.threshold = wetness, threshold
        self.amount = amount  # mm, NaN on dry days, 0.0 for a trace
        self.wet = amount > 0
        self.trace = amount == 0
        self.morning_share = morning_share
        self.typhoon = typhoon
        self.columns: dict[str, np.ndarray] = {}


def _rain(calendar: _Calendar, pressure: _Pressure, rng) -> _Rain:
    count = calendar.count
    noise = _standardised(recursion(rng.standard_normal(count), (0.4,)))
    wetness = _standardised(-0.55 * pressure.wave - 0.45 * pressure.tendency_std + 0.7 * noise)
    threshold = calendar.seasonal(WET_DAY_THRESHOLD)
    typhoon = pressure.typhoon > 5
    wet = (wetness > threshold) | typhoon
    trace = ~wet & (wetness > threshold - 0.25)
    shape = 0.75
    heavier = 1 + HEAVIER_PER_EXCESS * np.clip(wetness - threshold, 0, 3)
    mean_heavier = 1 + HEAVIER_PER_EXCESS * calendar.seasonal(WET_DAY_EXCESS)
    scale = calendar.seasonal(WET_DAY_RAIN) / shape / mean_heavier
    amount = rng.gamma(shape, 1.0, count) * scale * heavier
    amount += np.where(typhoon, rng.uniform(20, 200, count) * pressure.typhoon / 30, 0)
    amount = np.where(wet, np.clip(np.round(amount, 1), 0.1, 400.0), np.where(trace, 0.0, np.nan))
    rain = _Rain(wetness, threshold, amount, rng.uniform(0, 1, count), typhoon)
    rain.columns = _rain_details(rain, rng, count)
    return rain


def _rain_details(rain: _Rain, rng, count: int) -> dict[str, np.ndarray]:
    amount, wet, trace = rain.amount, rain.wet, rain.trace
    filled = np.nan_to_num(amount)
    minutes = np.rint(np.clip(54 * filled**0.55 * np.exp(rng.normal(0, 0.4, count)), 1, 1440))
    minutes = np.where(trace, rng.integers(1, 20, count), minutes)
    duration = np.where(wet | trace, np.round(minutes / 60, 2), np.nan)
    hours = np.maximum(np.ceil(minutes / 60), 1)
    hour_share = 1 / hours + (1 - 1 / hours) * rng.beta(1.2, 3.0, count)
    hourly = np.minimum(np.round(filled * hour_share, 1), filled)
    ten_share = np.clip(rng.beta(2.5, 2.5, count), 1 / 6, 1)
    ten_minutes = np.minimum(np.round(hourly * ten_share, 1), hourly)
    after_nine = np.round(filled * (1 - rain.morning_share), 1)
    before_nine = np.round(filled - after_nine, 1)
    nine_to_nine = after_nine + np.roll(before_nine, -1)  # 09:00 of the day to 09:00 the next
    nine_wet = np.roll(wet | trace, -1) | wet | trace
    return {
        "rn_day": amount,
        "rn_d99": np.where(nine_wet, np.round(nine_to_nine, 1), np.nan),
        "rn_dur": duration,
        "rn_60m_max": np.where(wet, hourly, np.where(trace, 0.0, np.nan)),
        "rn_10m_max": np.where(wet, ten_minutes, np.where(trace, 0.0, np.nan)),
    }


def _sky(calendar: _Calendar, rain: _Rain, rng) -> dict[str, np.ndarray]:
    """Total cloud, astronomical day length, sunshine, solar radiation."""
    count = calendar.count
    lift = rain.wetness - rain.threshold
    cloud = 10 / (1 + np.exp(-(1.2 * lift + 0.6 + rng.normal(0, 0.9, count))))
    cloud = np.round(np.clip(cloud, 0, 10), 1)
    day_length = physics.day_length(calendar.day_of_year)
    possible = np.round(day_length, 1)
    clear_share = np.clip(0.9 - 0.85 * (cloud / 10) ** 1.5 + rng.normal(0, 0.08, count), 0, 1)
    clear_share = np.where(rain.wet, clear_share * rng.uniform(0, 0.5, count), clear_share)
    sunshine = np.minimum(np.round(possible * clear_share, 1), possible)
    top = physics.extraterrestrial_radiation(calendar.day_of_year)
    radiation = top * (0.22 + 0.50 * sunshine / possible) * np.exp(rng.normal(0, 0.05, count))
    radiation = np.round(np.minimum(radiation, 0.78 * top), 2)
    peak_share = np.pi / (2 * day_length) * rng.uniform(1.0, 1.25, count)
    peak = np.minimum(np.round(radiation * peak_share, 2), radiation)
    return {
        "ca_tot": cloud,
        "ss_day": sunshine,
        "ss_dur": possible,
        "si_day": radiation,
        "si_60m_max": peak,
    }


# -- humidity, wind -------------------------------------------------------------------------------


def _humidity(calendar: _Calendar, table: dict, wet: np.ndarray, rng) -> dict[str, np.ndarray]:
    count = calendar.count
    wet_share = calendar.seasonal(WET_DAY_SHARE)
    dry_depression = calendar.seasonal(DEW_POINT_DEPRESSION) / (1 - 0.5 * wet_share)
    depression = dry_depression * np.exp(rng.normal(0, 0.3, count)) * np.where(wet, 0.45, 1.0)
    depression = np.clip(depression, 0.2, 30.0)
    air = table["ta_avg"]
    dew = np.round(air - depression, 1)
    vapour = physics.saturation_vapour_pressure(dew)  # saturation at the dew point
    humidity = np.round(physics.relative_humidity(air, dew), 1)
    at_maximum = physics.relative_humidity(table["ta_max"], dew) * rng.uniform(0.85, 1.0, count)
    lowest = np.maximum(np.minimum(np.rint(at_maximum), np.floor(humidity)), 1.0)
    return {
        "td_avg": dew,
        "hm_avg": humidity,
        "hm_min": np.where(np.isnan(humidity), np.nan, lowest),
        "pv_avg": np.round(vapour, 1),
    }


def _wind(calendar: _Calendar, pressure: _Pressure, rng) -> dict[str, np.ndarray]:
    count = calendar.count
    storm = pressure.typhoon / 30  # 0 .. 1
    speed = calendar.seasonal(MEAN_WIND) * np.exp(
        0.32 * rng.standard_normal(count) + 0.25 * np.abs(pressure.tendency_std) - 0.25
    )
    speed = np.clip(speed * (1 + 1.8 * storm), 0.1, 15)
    run = np.rint(speed * 864)  # 100 m units: m/s x 86,400 s / 100 m
    mean = np.maximum(np.round(run / 864, 1), 0.1)
    gust_factor = 1.0 + np.exp(rng.normal(np.log(1.1), 0.35, count))
    highest = np.maximum(np.round(mean * gust_factor + 6 * storm, 1), mean)
    gust = highest * (1 + np.exp(rng.normal(np.log(0.65), 0.3, count)))
    gust = np.maximum(np.round(np.minimum(gust, 35.0), 1), highest)
    easterly = rng.random(count) < calendar.seasonal(EAST_WIND_SHARE)
    veer = -20 * np.sign(pressure.tendency)  # south-west ahead of a low, north-west behind it
    westerly_from = calendar.seasonal(WEST_WIND_FROM) + veer + rng.normal(0, 35, count)
    direction = np.where(easterly, rng.normal(70, 30, count), westerly_from)
    direction = np.where(storm > 0.3, rng.normal(150, 20, count), direction)
    gust_direction = direction + rng.choice([0, 0, 0, -22.5, 22.5, -45, 45], count)
    return {
        "ws_avg": mean,
        "wr_day": run,
        "wd_max": physics.sixteen_points(direction).astype(float),
        "ws_max": highest,
        "wd_ins": physics.sixteen_points(gust_direction).astype(float),
        "ws_ins": gust,
    }


# -- snow, ground, evaporation --------------------------------------------------------------------


def _snow(table: dict, rain: _Rain, rng) -> dict[str, np.ndarray]:
    """New snow (cm) on cold wet days, and the pack it builds, melting when warm."""
    mean, highest = table["ta_avg"], table["ta_max"]
    water = np.nan_to_num(rain.amount)
    snow_share = np.clip((SNOW_AT_OR_BELOW - np.nan_to_num(mean, nan=10.0)) / 1.5, 0, 1)
    new = np.round(water * snow_share * rng.uniform(0.7, 1.3, len(water)), 1)
    melt = 1.0 + 0.8 * np.maximum(np.nan_to_num(highest), 0) + 0.3 * water * (1 - snow_share)
    melt = melt.tolist()  # cm a day: settling, warmth, rain on snow
    peaks, depth = [0.0] * len(new), 0.0
    for index, fresh in enumerate(new.tolist()):
        peak = depth + fresh
        peaks[index] = peak
        depth = max(peak - melt[index], 0.0)
    peak = np.round(np.array(peaks), 1)
    snowed = (new > 0) | (rain.wet & (snow_share > 0))
    return {
        "sd_new": np.where(snowed, new, np.nan),
        "sd_max": np.where(peak > 0, np.maximum(peak, np.where(snowed, new, 0)), np.nan),
    }


def _ground(calendar: _Calendar, table: dict, wet: np.ndarray, rng) -> dict[str, np.ndarray]:
    count = calendar.count
    air, lowest, cloud = table["ta_avg"], table["ta_min"], table["ca_tot"]
    sunny = table["ss_day"] / table["ss_dur"]
    surface = air + calendar.seasonal(SURFACE_WARMTH) + 2.0 * (sunny - 0.45)
    surface = surface + rng.normal(0, 0.8, count)
    clear_night = (1 - cloud / 10) * np.where(wet, 0.4, 1.0)
    grass = lowest - 0.8 - 3.8 * clear_night - np.abs(rng.normal(0, 0.8, count))
    columns = {"ts_avg": np.round(surface, 1), "tg_min": np.round(grass, 1)}
    climate = calendar.seasonal(MEAN_TEMPERATURE)
    annual_mean = float(np.mean(MEAN_TEMPERATURE))
    trend = WARMING_PER_YEAR * (calendar.years - REFERENCE_YEAR)
    weather = np.nan_to_num(air - climate - trend)
    for name, (_, above_air, swing, delay, smoothing) in EARTH.items():
        keep = 1 - 1 / smoothing
        smoothed = recursion(weather * (1 - keep), (keep,))
        delayed = calendar.seasonal(MEAN_TEMPERATURE, lag_days=delay)
        earth = annual_mean + above_air + swing * (delayed - annual_mean) + trend
        columns[name] = np.round(earth + swing * smoothed, 1)
    return columns


def _evaporation_and_fog(calendar, table: dict, wet: np.ndarray, rng) -> dict[str, np.ndarray]:
    count = calendar.count
    deficit = physics.saturation_vapour_pressure(table["ta_avg"]) - table["pv_avg"]
    small_pan = 0.10 * table["si_day"] + 0.30 * np.maximum(deficit, 0) * (
        0.7 + 0.15 * table["ws_avg"]
    )
    small_pan = np.clip(small_pan * np.where(wet, 0.6, 1.0) * np.exp(rng.normal(0, 0.15, count)),
                        0, 15)  # fmt: skip
    large_pan = small_pan * 0.72 * np.exp(rng.normal(0, 0.1, count))
    pan_out = (calendar.month >= 4) & ((calendar.month <= 10) | (calendar.day_of_year < 320))
    foggy = (table["hm_avg"] >= 75) & (table["ws_avg"] <= 2.0) & (rng.random(count) < 0.4)
    fog_hours = np.clip(rng.gamma(1.5, 2.3, count), 0.08, 20)
    return {
        "ev_s": np.round(small_pan, 1),
        "ev_l": np.where(pan_out, np.round(large_pan, 1), np.nan),
        "fg_dur": np.where(foggy, np.round(fog_hours, 2), np.nan),
    }


# -- times of day ---------------------------------------------------------------------------------


def _hhmm(minutes: np.ndarray) -> np.ndarray:
    minutes = np.clip(np.rint(minutes), 1, 1440).astype(np.int64)
    return (minutes // 60 * 100 + minutes % 60).astype(float)


def _times(table: dict, pressure: _Pressure, rain: _Rain, rng) -> dict[str, np.ndarray]:
    count = len(table["ta_avg"])
    maximum_minute = table["ta_max_tm"] // 100 * 60 + table["ta_max_tm"] % 100
    falling = pressure.tendency < 0  # the high comes first and the low last, or the reverse
    early, late = rng.uniform(1, 540, count), rng.uniform(900, 1440, count)
    wind_minute = np.clip(rng.normal(900, 180, count), 1, 1440)
    rain_hour_minute = rng.uniform(61, 1440, count)
    ten_minute = rain_hour_minute - rng.uniform(0, 50, count)
    snow_minute = rng.uniform(1, 1440, count)
    snowed = ~np.isnan(table["sd_new"])
    pack_minute = np.where(snowed, np.minimum(snow_minute + rng.uniform(0, 180, count), 1440),
                           rng.uniform(1, 540, count))  # fmt: skip
    hours = np.array([1000, 1100, 1200, 1200, 1200, 1300, 1300, 1400], dtype=float)

    def when(minutes, present):
        return np.where(present, _hhmm(minutes), np.nan)

    return {
        "ws_max_tm": when(wind_minute, True),
        "ws_ins_tm": when(wind_minute + rng.normal(0, 40, count), True),
        "hm_min_tm": when(maximum_minute + rng.normal(0, 45, count), ~np.isnan(table["hm_min"])),
        "ps_max_tm": when(np.where(falling, early, late), True),
        "ps_min_tm": when(np.where(falling, late, early), True),
        "si_60m_max_tm": np.where(table["si_60m_max"] > 0, rng.choice(hours, count), np.nan),
        "rn_60m_max_tm": when(rain_hour_minute, rain.wet),
        "rn_10m_max_tm": when(ten_minute, rain.wet),
        "sd_new_tm": when(snow_minute, snowed),
        "sd_max_tm": when(pack_minute, ~np.isnan(table["sd_max"])),
    }


def _no_time_without_its_extreme(frame: pd.DataFrame) -> None:
    """A missing maximum or minimum temperature has no time either (KMA prints -9 for both);
    the humidity time was drawn from the maximum's before, so it stays."""
    for time, value in (("ta_max_tm", "ta_max"), ("ta_min_tm", "ta_min")):
        frame.loc[frame[value].isna(), time] = np.nan


# -- history and gaps -----------------------------------------------------------------------------


def _start_elements(frame: pd.DataFrame, calendar: _Calendar) -> None:
    for year, names in STARTS.items():
        before = calendar.year < year
        for name in names:
            frame.loc[before, name] = np.nan


def _missing_groups(frame: pd.DataFrame, rng) -> None:
    for names in INSTRUMENT_GROUPS.values():
        missing = rng.random(len(frame)) < MISSING_GROUP_RATE
        frame.loc[missing, list(names)] = np.nan
