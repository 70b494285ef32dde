"""Synthetic weather: the same bytes every time, and a plausible Seoul."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.kma.client import KmaClient
from seoulcast_assets.kma.columns import ASOS_COLUMNS
from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10, summarize_pm10_days
from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather
from tests.support.kma_emulator import NOW

ASOS_MONTH = ("/api/typ01/url/kma_sfcdd3.php", "tm1=20240101&tm2=20240131&stn=108&help=1")
PM10_MONTH = ("/api/typ01/url/kma_pm10.php", "tm1=201504010000&tm2=201504302355&stn=108")
FIRST_PM10_DAY, LAST_DAY = date(2008, 4, 28), date(2025, 12, 31)
LAST_PM10_DAY = date(2016, 12, 31)  # nine springs are plenty, and keep the test quick


def reply_digest(seed: int) -> str:
    emulator = KmaEmulator(SyntheticWeather(seed=seed), clock=lambda: NOW)
    digest = hashlib.sha256()
    for path, query in (ASOS_MONTH, PM10_MONTH):
        digest.update(emulator.answer(path, query).body)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def temperature(weather) -> pd.DataFrame:
    table = weather.asos_days(date(1907, 10, 1), LAST_DAY)
    return table.assign(month=table["date"].dt.month, year=table["date"].dt.year)


@pytest.fixture(scope="module")
def pm10_days(weather) -> pd.DataFrame:
    """Per day: mean, max, min, zero count, isolated spikes, from every synthetic reading."""
    rows = []
    for day in pd.date_range(FIRST_PM10_DAY, LAST_PM10_DAY).date:
        readings = weather.pm10_day(day)
        if readings is None:
            rows.append({"date": day, "n": 0})
            continue
        values = readings.values
        high = np.flatnonzero(values >= 500)
        isolated = [
            i
            for i in high
            if values[max(i - 1, 0)] < 300 and values[min(i + 1, len(values) - 1)] < 300
        ]
        rows.append(
            {
                "date": day,
                "n": len(values),
                "mean": values.mean(),
                "max": values.max(),
                "min": values.min(),
                "zeros": int((values == 0).sum()),
                "spikes": len(isolated),
                "integers": values.dtype.kind == "i" and values.min() >= 0,
            }
        )
    table = pd.DataFrame(rows)
    return table.assign(month=pd.to_datetime(table["date"]).dt.month)


def test_the_same_seed_gives_the_same_bytes():
    assert reply_digest(5) == reply_digest(5)
    assert reply_digest(5) != reply_digest(6)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_bytes_in_another_process():
    script = "from tests.kma_emulator.test_synthetic import reply_digest\nprint(reply_digest(5))\n"
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert other.stdout.strip() == reply_digest(5)


def test_a_day_is_the_same_whatever_else_was_asked_for(weather):
    fresh = SyntheticWeather(seed=weather.seed)
    day = date(2019, 3, 9)
    assert np.array_equal(fresh.pm10_day(day).values, weather.pm10_day(day).values)


def test_seoul_seasons(temperature):
    monthly = temperature.groupby("month")["ta_avg"].mean()
    assert -4.0 <= monthly[1] <= -1.0
    assert 24.5 <= monthly[8] <= 27.5
    assert monthly.idxmin() == 1
    assert monthly.idxmax() in (7, 8)


def test_daily_extremes_bracket_the_mean(temperature):
    complete = temperature.dropna(subset=["ta_avg", "ta_max", "ta_min"])
    assert (complete["ta_min"] <= complete["ta_avg"]).all()
    assert (complete["ta_avg"] <= complete["ta_max"]).all()
    diurnal_range = complete["ta_max"] - complete["ta_min"]
    assert 7.0 <= diurnal_range.mean() <= 11.0
    assert diurnal_range.min() >= 1.0
    assert (complete["ta_avg"] == -9.0).any()  # why -9.0 must not be read as missing


def test_warming_trend(temperature):
    early = temperature.loc[temperature["year"].between(1911, 1940), "ta_avg"].mean()
    late = temperature.loc[temperature["year"].between(1991, 2020), "ta_avg"].mean()
    assert 0.8 <= late - early <= 2.5


def test_day_to_day_persistence(temperature):
    climate = temperature.groupby(temperature["date"].dt.dayofyear)["ta_avg"].transform("mean")
    anomaly = temperature["ta_avg"] - climate
    assert anomaly.autocorr(lag=1) > 0.5


def test_a_few_values_are_missing(temperature):
    missing_days = temperature[["ta_avg", "ta_max", "ta_min"]].isna().any(axis=1).sum()
    assert 0 < missing_days < len(temperature) / 1000


def test_pm10_readings_are_plausible(pm10_days):
    observed = pm10_days[pm10_days["n"] > 0]
    assert observed["integers"].all()
    assert len(observed) > 0.99 * len(pm10_days)  # a day without readings is rare
    assert 0.10 <= (observed["zeros"] > 0).mean() <= 0.50  # sensor noise
    assert observed["max"].max() <= 3856


def test_pm10_is_higher_in_spring_and_winter(pm10_days):
    monthly = pm10_days.groupby("month")["mean"].mean()
    summer = monthly[[7, 8]].mean()
    assert monthly[[3, 4]].mean() > 1.5 * summer
    assert monthly[[12, 1, 2]].mean() > 1.3 * summer


def test_yellow_dust_days_in_spring(pm10_days):
    dusty = pm10_days[pm10_days["mean"].between(150, 400)]
    assert len(dusty) >= 10
    assert dusty["month"].isin([3, 4, 5]).mean() >= 0.6


def test_isolated_spikes(pm10_days):
    assert pm10_days["spikes"].sum() >= 20


def test_served_readings_add_up_to_the_source(weather):
    with KmaEmulator(weather, clock=lambda: NOW).running() as emulator:
        replies = KmaClient(emulator.base_url).pm10(date(2016, 3, 1), date(2016, 3, 31))
    daily = summarize_pm10_days(parse_pm10(replies[0].text))

    for row in daily.itertuples():
        readings = weather.pm10_day(row.date.date()).values
        assert row.n_records == len(readings)
        assert row.pm10_avg == pytest.approx(readings.mean())
        assert (row.pm10_max, row.pm10_min) == (readings.max(), readings.min())


# -- every element, physically consistent ---------------------------------------------------------

WIND_POINTS = {20, 50, 70, 90, 110, 140, 160, 180, 200, 230, 250, 270, 290, 320, 340, 360}


def magnus(celsius):
    """Saturation vapour pressure over water, hPa (WMO's Magnus constants)."""
    return 6.112 * np.exp(17.62 * celsius / (243.12 + celsius))


@pytest.fixture(scope="module")
def weather_days(weather) -> pd.DataFrame:
    """A century of synthetic days with every element observed (1982 on)."""
    table = weather.asos_days(date(1982, 1, 1), date(2081, 12, 31)).reset_index(drop=True)
    return table.assign(month=table["date"].dt.month, year=table["date"].dt.year)


def test_every_element_is_served(weather_days):
    served = set(weather_days.columns) - {"date", "month", "year"}
    assert served == set(ASOS_COLUMNS[2:]) - {"ss_cmb", "rn_pow_max", "rn_pow_max_tm"}
    complete = weather_days.drop(columns=["rn_day", "rn_d99", "rn_dur", "fg_dur", "ev_l"])
    complete = complete.drop(columns=[c for c in complete if c.startswith(("rn_", "sd_"))])
    assert complete.notna().mean().min() > 0.999  # a group of instruments fails now and then


def test_humidity_and_dew_point_follow_the_temperature(weather_days):
    days = weather_days.dropna(subset=["ta_avg", "ta_max", "td_avg", "hm_avg", "hm_min"])
    assert (days["td_avg"] <= days["ta_avg"]).all()
    assert np.allclose(days["pv_avg"], magnus(days["td_avg"]), atol=0.051)
    humidity = 100 * magnus(days["td_avg"]) / magnus(days["ta_avg"])
    assert np.allclose(days["hm_avg"], humidity, atol=0.051)
    assert (days["hm_min"] <= days["hm_avg"]).all() and (days["hm_avg"] <= 100).all()
    assert (days["hm_min"] >= 1).all()
    wet = days["rn_day"] >= 1
    assert days.loc[wet, "hm_avg"].mean() > days.loc[days["rn_day"].isna(), "hm_avg"].mean() + 10
    monthly = days.groupby("month")["hm_avg"].mean()
    assert monthly[7] > monthly[1] + 10  # the monsoon is humid, winter dry


def test_sea_level_pressure_is_physical(weather_days):
    days = weather_days.dropna(subset=["ps_avg", "pa_avg"])
    assert (days["ps_min"] <= days["ps_avg"]).all() and (days["ps_avg"] <= days["ps_max"]).all()
    assert days["ps_min"].min() >= 950 and days["ps_max"].max() <= 1060
    below = days["ps_avg"] - days["pa_avg"]  # the barometer is 86 m up
    assert below.between(9, 12).all()
    monthly = days.groupby("month")["ps_avg"].mean()
    assert monthly[1] - monthly[7] > 15  # the Siberian high against the summer low
    typhoons = days[(days["month"].between(7, 9)) & (days["ps_min"] < 990)]
    assert len(typhoons) >= 10 and typhoons["ws_ins"].mean() > 2 * days["ws_ins"].mean()


def test_pressure_systems_come_with_the_temperature_changes_as_in_seoul(weather_days, shared_data):
    """The pressure falls the day before a cold front and rises with its cooling; it falls on
    the day of a warming; the lag correlations of the daily changes are Seoul's."""

    def signature(table):
        table = table.set_index("date").asfreq("D")
        pressure, temperature = table["ps_avg"].diff(), table["ta_avg"].diff()
        cold, warm = temperature <= -4, temperature >= 4
        return (
            [pressure.corr(temperature.shift(-lag)) for lag in (-1, 0, 1)],
            [pressure.shift(1)[cold].mean(), pressure[cold].mean()],
            [pressure[warm].mean(), pressure.shift(-1)[warm].mean()],
        )

    real = pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])
    seoul = signature(real[real["date"].dt.year >= 1990])
    synthetic = signature(weather_days[["date", "ps_avg", "ta_avg"]])

    assert np.allclose(synthetic[0], seoul[0], atol=0.06), (synthetic[0], seoul[0])
    before_cooling, with_cooling = synthetic[1]
    assert before_cooling < -1.5 and with_cooling > 1.0  # Seoul: -2.7, +2.1 hPa
    with_warming, after_warming = synthetic[2]
    assert with_warming < -1.0 and after_warming < -1.0  # Seoul: -2.7, -1.7 hPa


def test_rain_days_are_cloudy_and_dark(weather_days):
    days = weather_days.dropna(subset=["ca_tot", "ss_day", "ss_dur"])
    sunny_share = days["ss_day"] / days["ss_dur"]
    wet, dry = days["rn_day"] >= 1, days["rn_day"].isna()
    assert days.loc[wet, "ca_tot"].mean() >= 7 and days.loc[dry, "ca_tot"].mean() <= 4.5
    assert sunny_share[wet].mean() <= 0.2 and sunny_share[dry].mean() >= 0.5
    assert sunny_share.corr(days["ca_tot"]) < -0.6
    assert days["ca_tot"].between(0, 10).all()
    share_wet = weather_days.groupby("month")["rn_day"].apply(lambda rain: (rain > 0).mean())
    assert share_wet[7] > 0.45 and share_wet[[1, 2, 12]].max() < 0.3  # Seoul's monsoon


def test_sunshine_fits_in_seouls_astronomical_day(weather_days, shared_data):
    days = weather_days.dropna(subset=["ss_day", "ss_dur"])
    assert (days["ss_day"] <= days["ss_dur"]).all() and (days["ss_day"] >= 0).all()
    real = pd.read_csv(
        shared_data / "seoul_asos_daily.csv", parse_dates=["date"], usecols=["date", "ss_dur"]
    )
    real_by_day = real.dropna().groupby(real["date"].dt.dayofyear)["ss_dur"].median()
    synthetic_by_day = days.groupby(days["date"].dt.dayofyear)["ss_dur"].median()
    assert (synthetic_by_day - real_by_day).abs().median() <= 0.05  # KMA's 가조시간
    assert synthetic_by_day[355] == 9.6 and synthetic_by_day[172] == 14.8


def test_solar_radiation_follows_sunshine_and_season(weather_days):
    days = weather_days.dropna(subset=["si_day", "si_60m_max", "ss_day"])
    assert (days["si_day"] >= 0).all() and (days["si_60m_max"] <= days["si_day"]).all()
    for _, month in days.groupby("month"):
        assert month["si_day"].corr(month["ss_day"]) > 0.7
    clear = days[days["ss_day"] >= 0.8 * days["ss_dur"]]
    by_month = clear.groupby("month")["si_day"].mean()
    assert by_month[6] > 2 * by_month[12]  # a clear June day against a clear December day
    assert days["si_day"].max() < 36  # below what reaches the top of the air over Seoul
    assert set(days["si_60m_max_tm"].dropna()) <= {900.0, 1000.0, 1100.0, 1200.0, 1300.0,
                                                   1400.0, 1500.0}  # fmt: skip


def test_snow_only_when_cold(weather_days):
    snowy = weather_days[weather_days["sd_new"].notna()]
    assert (snowy["ta_avg"] <= 2.5).all() and snowy["rn_day"].notna().all()
    assert snowy["month"].isin([11, 12, 1, 2, 3, 4]).all()
    per_winter = len(snowy) / 100
    assert 6 <= per_winter <= 25  # Seoul: about 13 days of new snow a year
    lying = weather_days[weather_days["sd_max"].notna()]
    assert (lying["sd_max"] >= lying["sd_new"].fillna(0)).all()
    assert lying["month"].isin([11, 12, 1, 2, 3, 4]).all()


def test_precipitation_parts_fit_the_day(weather_days):
    wet = weather_days[weather_days["rn_day"] > 0]
    assert (wet["rn_60m_max"] <= wet["rn_day"]).all()
    assert (wet["rn_10m_max"] <= wet["rn_60m_max"]).all()
    assert wet["rn_dur"].between(0.01, 24).all()
    assert (weather_days["rn_day"].dropna() >= 0).all()
    day_total, nine_to_nine = weather_days["rn_day"].sum(), weather_days["rn_d99"].sum()
    assert abs(nine_to_nine - day_total) / day_total < 0.01  # the same rain, cut at 09:00
    assert (weather_days["rn_day"] == 0).mean() > 0.03  # traces


def test_wind_mean_max_gust_and_directions(weather_days):
    days = weather_days.dropna(subset=["ws_avg", "ws_max", "ws_ins"])
    assert (days["ws_avg"] > 0).all()
    assert (days["ws_avg"] <= days["ws_max"]).all() and (days["ws_max"] <= days["ws_ins"]).all()
    assert set(days["wd_max"]) <= WIND_POINTS and set(days["wd_ins"]) <= WIND_POINTS
    assert np.allclose(days["wr_day"] / 864, days["ws_avg"], atol=0.051)  # 100 m a day
    winter = days.loc[days["month"].isin([12, 1, 2]), "wd_max"].value_counts().idxmax()
    assert winter in (270, 290, 320)  # north-westerly monsoon


def test_earth_temperatures_lag_the_air_with_depth(weather_days):
    """The annual wave gets weaker and later with depth; the weather is smoothed away."""
    days = weather_days.dropna(subset=["ta_avg", "te_05", "te_10", "te_15", "te_30", "te_50"])
    angle = 2 * np.pi * days["date"].dt.dayofyear.to_numpy() / 365.25
    design = np.column_stack([np.ones(len(days)), np.cos(angle), np.sin(angle)])
    amplitudes, peaks, roughness = [], [], []
    for column in ("ta_avg", "te_05", "te_10", "te_15", "te_30", "te_50"):
        _, a, b = np.linalg.lstsq(design, days[column].to_numpy(), rcond=None)[0]
        amplitudes.append(np.hypot(a, b))
        peaks.append(np.mod(np.arctan2(b, a), 2 * np.pi) * 365.25 / (2 * np.pi))
        roughness.append(days[column].diff().std())
    assert all(np.diff(amplitudes) < 0), amplitudes
    assert all(np.diff(peaks) > 5), peaks  # days later at each depth
    assert 80 <= peaks[-1] - peaks[0] <= 130  # Seoul: 5 m peaks about 100 days after the air
    assert all(np.diff(roughness) < 0), roughness
    assert (days["te_50"].max() - days["te_50"].min()) < 12
    surface = weather_days.dropna(subset=["tg_min", "ta_min"])
    assert (surface["tg_min"] <= surface["ta_min"]).all()  # the grass cools below the air


def test_times_of_day_are_hhmm(weather_days):
    for column in [name for name in weather_days.columns if name.endswith("_tm")]:
        times = weather_days[column].dropna()
        assert times.between(1, 2400).all() and (times % 100 < 60).all(), column


def test_the_times_of_the_extremes_are_plausible(temperature, weather_days):
    """The maximum mid-afternoon, the minimum around dawn, the lowest humidity with the
    maximum; a missing maximum or minimum has no time (KMA prints -9 for both)."""

    def hours(table, column):
        times = table[column].dropna()
        return times // 100 + times % 100 / 60

    assert 14.0 <= hours(temperature, "ta_max_tm").median() <= 15.5
    assert 5.0 <= hours(temperature, "ta_min_tm").median() <= 6.5
    assert 13.5 <= hours(weather_days, "hm_min_tm").median() <= 16.0
    for time, value in (("ta_max_tm", "ta_max"), ("ta_min_tm", "ta_min")):
        assert temperature[time].isna().equals(temperature[value].isna()), time


def test_synthetic_days_come_back_through_the_client_as_drawn(weather):
    with KmaEmulator(weather, clock=lambda: NOW).running() as emulator:
        replies = KmaClient(emulator.base_url).asos_daily(date(2015, 1, 1), date(2017, 12, 31))
    table = pd.concat([parse_asos_daily(reply.text) for reply in replies], ignore_index=True)
    drawn = weather.asos_days(date(2015, 1, 1), date(2017, 12, 31)).reset_index(drop=True)
    for column in drawn.columns[1:]:
        got = table[column].astype(float) if column.endswith("_tm") else table[column]
        pd.testing.assert_series_equal(got, drawn[column].astype(float), check_names=False)


def test_replies_say_they_are_synthetic(emulator):
    [reply] = KmaClient(emulator.base_url).asos_daily(date(2024, 1, 1), date(2024, 1, 31))
    assert reply.source == "emulator-synthetic"
    pm10 = KmaClient(emulator.base_url).pm10(date(2024, 1, 1), date(2024, 1, 1))
    assert pm10[0].source == "emulator-synthetic"
