"""The emulator hands out only what KMA would: no future, nothing before a series, no war."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10
from tests.kma_emulator.conftest import get

ASOS, PM10 = "kma_sfcdd3.php", "kma_pm10.php"


def asos_dates(emulator, tm1: str, tm2: str, **params: str) -> list[str]:
    table = parse_asos_daily(get(emulator, ASOS, tm1=tm1, tm2=tm2, **params).content)
    return list(table["date"].dt.strftime("%Y-%m-%d"))


def pm10_times(emulator, tm1: str, tm2: str, **params: str) -> pd.Series:
    return parse_pm10(get(emulator, PM10, tm1=tm1, tm2=tm2, **params).content)["time"]


def test_daily_rows_stop_at_yesterday_in_kst(emulator):
    days = asos_dates(emulator, "20260301", "20260331", stn="108")
    assert days[0] == "2026-03-01"
    assert days[-1] == "2026-03-14"  # "now" is 2026-03-15 10:02 KST
    assert asos_dates(emulator, "20260315", "20260320") == []


def test_readings_stop_at_now(emulator, weather):
    times = pm10_times(emulator, "202603150000", "202603152355", stn="108")
    expected = weather.pm10_day(pd.Timestamp("2026-03-15").date())
    served_slots = expected.slots[expected.slots <= 120]  # 120 = 10:00
    assert len(times) == len(served_slots)
    assert times.max() <= pd.Timestamp("2026-03-15 10:00")


def test_a_window_inside_a_day_is_honoured(emulator):
    times = pm10_times(emulator, "202401101003", "202401101102")
    assert times.min() >= pd.Timestamp("2024-01-10 10:05")
    assert times.max() <= pd.Timestamp("2024-01-10 11:00")
    assert 0 < len(times) <= 12


def test_nothing_before_the_series_start(emulator):
    assert asos_dates(emulator, "19070901", "19071003") == [
        "1907-10-01",
        "1907-10-02",
        "1907-10-03",
    ]
    times = pm10_times(emulator, "200804010000", "200804302355")
    assert times.min() == pd.Timestamp("2008-04-28 00:00")


def test_no_rows_during_the_korean_war(emulator):
    assert asos_dates(emulator, "19500830", "19500902") == ["1950-08-30", "1950-08-31"]
    assert asos_dates(emulator, "19531129", "19531202") == ["1953-12-01", "1953-12-02"]
    assert asos_dates(emulator, "19510101", "19521231") == []


@pytest.mark.parametrize(
    ("stn", "served"), [("108", True), ("0", True), ("", True), ("119:108", True), ("119", False)]
)
def test_only_seoul_has_data(emulator, stn, served):
    assert bool(asos_dates(emulator, "20240101", "20240103", stn=stn)) == served
    assert bool(len(pm10_times(emulator, "202401010000", "202401010100", stn=stn))) == served


def test_a_missing_temperature_is_sent_as_minus_99(emulator, weather):
    table = weather.asos_days(pd.Timestamp("1907-10-01").date(), pd.Timestamp("2025-12-31").date())
    missing = table[table["ta_max"].isna()].iloc[0]
    day = f"{missing['date']:%Y%m%d}"
    response = get(emulator, ASOS, tm1=day, tm2=day)

    row = response.content.decode("euc_kr").splitlines()[-2].split()
    assert row[0] == day
    assert row[11] == "-99.0"  # TA_MAX
    assert pd.isna(parse_asos_daily(response.content).at[0, "ta_max"])


def test_an_unknown_api_is_a_404_with_kmas_words(emulator):
    for path in ("kma_sfctm2.php", "../../other"):
        response = get(emulator, path, tm1="20240101", tm2="20240102")
        assert response.status_code == 404
        assert "유효하지 않은 API" in response.content.decode("utf-8")


@pytest.mark.parametrize(
    ("endpoint", "params", "named"),
    [
        (ASOS, {"tm2": "20240102"}, "tm1"),
        (ASOS, {"tm1": "2024-01-01", "tm2": "20240102"}, "tm1"),
        (ASOS, {"tm1": "20240101", "tm2": "20240199"}, "tm2"),
        (ASOS, {"tm1": "20240105", "tm2": "20240101"}, "before tm1"),
        (PM10, {"tm1": "20240101", "tm2": "20240102"}, "tm1"),
        (PM10, {"tm1": "202401010000"}, "tm2"),
    ],
)
def test_bad_times_get_a_clear_error(emulator, endpoint, params, named):
    response = get(emulator, endpoint, **params)
    assert response.status_code == 400
    result = json.loads(response.content)["result"]
    assert result["status"] == 400
    assert named in result["message"]
