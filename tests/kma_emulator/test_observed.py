"""Observed mode: what a client collects from the emulator is the data files, exactly."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.kma.client import KmaClient
from seoulcast_assets.kma.endpoints import ASOS_DAILY
from seoulcast_assets.kma.parse import parse_asos_daily, parse_pm10, summarize_pm10_days
from seoulcast_assets.kma.portal import read_portal_csv
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather
from seoulcast_assets.kma_emulator.readings import readings_with_summary

TEMPERATURE = ["ta_avg", "ta_max", "ta_min"]
PM10 = ["pm10_avg", "pm10_max", "pm10_min"]


@pytest.fixture(scope="module")
def files(shared_data):
    return {
        "temperature": pd.read_csv(shared_data / "seoul_temp_daily.csv", parse_dates=["date"]),
        "pm10": pd.read_csv(shared_data / "seoul_pm10_daily.csv", parse_dates=["date"]),
    }


@pytest.fixture(scope="module")
def client(files):
    weather = ObservedWeather(files["temperature"], files["pm10"], seed=3)
    with KmaEmulator(weather).running() as emulator:
        yield KmaClient(emulator.base_url, timeout=60)


def collected_pm10(client: KmaClient, start: date, end: date) -> pd.DataFrame:
    days = [summarize_pm10_days(parse_pm10(reply.text)) for reply in client.pm10(start, end)]
    daily = pd.concat(days, ignore_index=True)
    return daily.assign(pm10_avg=daily["pm10_avg"].round(1))


def expected_rows(table: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    chosen = table["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    return table.loc[chosen].reset_index(drop=True)


def test_pm10_readings_aggregate_to_the_file_for_a_winter(client, files):
    start, end = date(2017, 11, 1), date(2018, 1, 31)  # includes 2017-12-12..15, not in the file
    daily = collected_pm10(client, start, end)

    expected = expected_rows(files["pm10"], start, end)
    pd.testing.assert_frame_equal(daily[["date", *PM10]], expected, check_dtype=False)
    assert (daily["n_records"] == 288).all()
    missing = pd.date_range(start, end).difference(daily["date"])
    assert list(missing.strftime("%Y-%m-%d")) == [f"2017-12-{day}" for day in (12, 13, 14, 15)]


@pytest.mark.slow
def test_pm10_readings_aggregate_to_the_whole_file(client, files):
    daily = collected_pm10(client, date(2008, 4, 28), date(2018, 12, 31))
    pd.testing.assert_frame_equal(daily[["date", *PM10]], files["pm10"], check_dtype=False)


def test_temperature_rows_are_the_file_around_the_war(client, files):
    start, end = date(1949, 1, 1), date(1955, 12, 31)
    replies = client.asos_daily(start, end)
    table = pd.concat([parse_asos_daily(reply.text) for reply in replies], ignore_index=True)

    assert len(replies) == 7 * 12
    expected = expected_rows(files["temperature"], start, end)
    pd.testing.assert_frame_equal(table[["date", *TEMPERATURE]], expected)
    in_war = table["date"].between(pd.Timestamp("1950-09-01"), pd.Timestamp("1953-11-30"))
    assert not in_war.any()


@pytest.mark.slow
def test_temperature_rows_are_the_whole_file(client, files):
    spans = [(date(year, 1, 1), date(year + 9, 12, 31)) for year in range(1900, 2020, 10)]
    replies = [client.fetch(ASOS_DAILY, start, end) for start, end in spans]
    table = pd.concat([parse_asos_daily(reply.text) for reply in replies], ignore_index=True)
    pd.testing.assert_frame_equal(table[["date", *TEMPERATURE]], files["temperature"])


def test_a_missing_value_is_sent_as_minus_99(client):
    [reply] = client.asos_daily(date(2017, 10, 12), date(2017, 10, 12))

    row = reply.text.splitlines()[-2]
    assert row.split()[10:14] == ["11.4", "-99.0", "-9", "8.8"]  # TA_AVG, TA_MAX, its time, TA_MIN
    parsed = parse_asos_daily(reply.text).iloc[0]
    assert np.isnan(parsed["ta_max"]) and pd.isna(parsed["ta_max_tm"])
    assert (parsed["ta_avg"], parsed["ta_min"]) == (11.4, 8.8)


def test_the_portal_export_can_be_the_temperature_source(shared_data):
    portal_file = shared_data / "kma_portal_seoul_1907-2018.csv"
    weather = ObservedWeather.from_files(portal_csv=portal_file)
    with KmaEmulator(weather).running() as emulator:
        [reply] = KmaClient(emulator.base_url).asos_daily(date(1967, 2, 1), date(1967, 2, 28))
    table = parse_asos_daily(reply.text)

    expected = expected_rows(read_portal_csv(portal_file), date(1967, 2, 1), date(1967, 2, 28))
    pd.testing.assert_frame_equal(table[["date", "ta_avg", "ta_min", "ta_max"]], expected)


def test_a_source_needs_its_columns():
    with pytest.raises(ValueError, match="lacks the columns ta_min"):
        ObservedWeather(pd.DataFrame({"date": [], "ta_avg": [], "ta_max": []}))
    with pytest.raises(ValueError, match="either"):
        ObservedWeather.from_files(temperature_csv="a.csv", portal_csv="b.csv")


@pytest.mark.parametrize(
    ("mean", "maximum", "minimum"),
    [
        (75.5, 93, 47),
        (0.2, 2, 0),
        (17.0, 17, 17),
        (629.4, 1359, 21),
        (17.5, 3856, 0),
        (34.8, 40, 33),
    ],
)
def test_readings_reproduce_a_daily_summary(mean, maximum, minimum):
    values = readings_with_summary(mean, maximum, minimum, np.random.default_rng(1))

    assert len(values) == 288 and values.dtype.kind == "i"
    assert round(values.mean(), 1) == mean
    assert (values.max(), values.min()) == (maximum, minimum)
    if maximum - minimum >= 2 and mean > 1:
        assert (values == maximum).sum() == 1  # a spike is one reading
        assert (values == minimum).sum() == 1  # so is a zero


@pytest.mark.parametrize(("mean", "maximum", "minimum"), [(50, 40, 10), (5.0, 9, 9), (3, 10.5, 1)])
def test_impossible_summaries_are_refused(mean, maximum, minimum):
    with pytest.raises(ValueError):
        readings_with_summary(mean, maximum, minimum, np.random.default_rng(1))
