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
from seoulcast_assets.kma.parse import parse_pm10, summarize_pm10_days
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
