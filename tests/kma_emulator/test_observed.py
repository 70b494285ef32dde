"""Observed mode: what a client collects from the emulator is the data files, exactly."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.kma.client import KmaClient
from seoulcast_assets.kma.columns import ASOS_COLUMNS
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


# -- every ASOS element ----------------------------------------------------------------------------

TIMES = [name for name in ASOS_COLUMNS if name.endswith("_tm")]


@pytest.fixture(scope="module")
def asos_file(shared_data) -> pd.DataFrame:
    return pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])


@pytest.fixture(scope="module")
def asos_client(asos_file):
    with KmaEmulator(ObservedWeather(asos_file)).running() as emulator:
        yield KmaClient(emulator.base_url, timeout=60)


def fetched(client: KmaClient, start: date, end: date) -> pd.DataFrame:
    replies = client.asos_daily(start, end)
    return pd.concat([parse_asos_daily(reply.text) for reply in replies], ignore_index=True)


def test_every_element_comes_back_as_the_file_has_it(asos_client, asos_file):
    """2010 through the real client and parser: typhoon Kompasu (09-02), 25.8 cm of snow
    (01-04), and every other day and element the file has."""
    table = fetched(asos_client, date(2010, 1, 1), date(2010, 12, 31))
    expected = expected_rows(asos_file, date(2010, 1, 1), date(2010, 12, 31))
    served = [name for name in ASOS_COLUMNS[2:] if name in asos_file.columns]

    assert len(table) == 365 and (table["stn"] == 108).all()
    assert len(served) == 51  # all the file's columns but wd_frq, ca_mid, sd_hr3, te_005..te_03
    pd.testing.assert_series_equal(table["date"], expected["date"])
    for name in served:
        want = expected[name]
        got = table[name].astype(float) if name in TIMES else table[name]
        pd.testing.assert_series_equal(got, want, check_names=False, obj=name)
    # Dry days: blank in the file, -9.0 from the API, NaN once parsed.
    assert table["rn_day"].isna().sum() == expected["rn_day"].isna().sum() > 200
    day = table.set_index("date")
    assert day.at[pd.Timestamp("2010-09-02"), "ws_max"] == 14.0
    assert day.at[pd.Timestamp("2010-09-02"), "ws_max_tm"] == "0744"
    assert day.at[pd.Timestamp("2010-01-04"), "sd_new"] == 25.8
    assert day[["ss_cmb", "rn_pow_max", "rn_pow_max_tm"]].isna().all().all()  # not in the file


def test_sentinels_and_traces_are_printed_as_kma_prints_them(asos_client):
    """2014-01-01: a trace of rain (0 in the file); 2014-01-02: a dry day."""
    [reply] = asos_client.asos_daily(date(2014, 1, 1), date(2014, 1, 2))
    trace, dry = (row.split() for row in reply.text.splitlines()[-3:-1])
    position = {name: index for index, name in enumerate(ASOS_COLUMNS)}

    def fields(row, *names):
        return [row[position[name]] for name in names]

    assert fields(trace, "rn_day", "rn_dur", "rn_60m_max_tm") == ["0.0", "0.03", "-9"]
    assert fields(dry, "rn_day", "rn_d99", "rn_dur", "sd_new", "sd_new_tm") == [
        "-9.0", "-9.0", "-9.00", "-9.0", "-9"
    ]  # fmt: skip
    assert fields(dry, "ss_cmb", "rn_pow_max", "rn_pow_max_tm", "fg_dur") == [
        "-9.0", "-9.0", "-9", "-9.00"
    ]  # fmt: skip
    assert fields(trace, "ta_min", "ta_min_tm", "te_50", "si_day") == ["0.3", "723", "17.3", "6.17"]


def test_a_missing_temperature_type_value_is_minus_99(asos_client, asos_file):
    missing = asos_file.loc[
        asos_file["date"].dt.year.between(2000, 2018) & asos_file["te_50"].isna()
    ]
    day = missing["date"].iloc[0].date()
    [reply] = asos_client.asos_daily(day, day)
    row = reply.text.splitlines()[-2].split()
    assert row[ASOS_COLUMNS.index("te_50")] == "-99.0"
    assert np.isnan(parse_asos_daily(reply.text).iloc[0]["te_50"])


def test_a_negative_time_in_the_record_is_served_and_kept_by_the_parser(asos_client):
    [reply] = asos_client.asos_daily(date(2008, 7, 20), date(2008, 7, 20))
    row = reply.text.splitlines()[-2].split()
    assert row[ASOS_COLUMNS.index("rn_10m_max_tm")] == "-2355"  # as KMA's record has it
    assert parse_asos_daily(reply.text).iloc[0]["rn_10m_max_tm"] == "-2355"  # not KMA's -9


def test_a_month_with_a_time_past_2400_is_served_and_parsed(asos_client):
    """December 1942 holds a minimum "at 24:54": the month still parses, the time is kept for
    the cleaning to remove (ta_min_tm:implausible), and every other day is there."""
    [reply] = asos_client.asos_daily(date(1942, 12, 1), date(1942, 12, 31))
    table = parse_asos_daily(reply.text).set_index("date")
    assert len(table) == 31
    assert table.at[pd.Timestamp("1942-12-02"), "ta_min_tm"] == "2454"
    assert table["ta_max_tm"].notna().all()


def test_the_portal_folder_serves_the_same_replies(asos_file, shared_data):
    from_folder = ObservedWeather.from_files(portal_csv=shared_data / "kma_portal_asos_108")
    emulators = KmaEmulator(ObservedWeather(asos_file)), KmaEmulator(from_folder)
    for query in ("tm1=20120801&tm2=20120831&stn=108", "tm1=19451201&tm2=19460131&stn=108&disp=0"):
        tidy, folder = (e.answer("/api/typ01/url/kma_sfcdd3.php", query).body for e in emulators)
        assert tidy == folder
    assert len(from_folder.fields) == 51


def test_replies_say_they_come_from_the_emulator(asos_client):
    [reply] = asos_client.asos_daily(date(2010, 1, 1), date(2010, 1, 31))
    assert reply.source == "emulator-observed"
