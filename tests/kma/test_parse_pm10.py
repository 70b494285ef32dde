"""5-minute PM10 replies and their unscreened daily summary."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.kma.errors import KmaMalformedReply, KmaTruncatedReply
from seoulcast_assets.kma.parse import parse_pm10, summarize_pm10_days
from tests.kma.samples import PM10_LINES


def reply(lines, header: str = "# TM STN PM10 FLAG MQC\n") -> str:
    return "#START7777\n" + header + "".join(f"{line}\n" for line in lines) + "#7777END\n"


def month_of_readings(values: np.ndarray) -> list[str]:
    times = pd.date_range("2026-01-01", periods=len(values), freq="5min")
    return [f"{t:%Y%m%d%H%M},   108,{v:5d},000000,,=" for t, v in zip(times, values, strict=True)]


def test_verbatim_lines():
    table = parse_pm10(reply(PM10_LINES))

    assert list(table.columns) == ["time", "stn", "pm10", "flag", "mqc"]
    assert list(table["time"]) == [
        pd.Timestamp("2026-04-20 21:00"),
        pd.Timestamp("2026-07-01 18:00"),
        pd.Timestamp("2026-07-01 22:30"),
    ]
    assert list(table["stn"]) == [90, 108, 100]
    assert list(table["pm10"]) == [49.0, 39.0, 0.0]  # a zero reading is a reading
    assert list(table["flag"]) == ["000000"] * 3
    assert list(table["mqc"]) == [""] * 3


@pytest.mark.parametrize("value", ["-99", "-9", "-1", "-999.0", ""])
def test_negative_or_empty_readings_are_missing(value):
    table = parse_pm10(reply([f"202607011800,   108,{value:>5},000000,,="]))
    assert math.isnan(table.at[0, "pm10"])


def test_rows_without_the_end_mark_and_flags_are_kept_as_received():
    table = parse_pm10(
        reply(["202607011800,   108,   39,000100,M", "202607011805,108,40,000000,,="])
    )
    assert list(table["pm10"]) == [39.0, 40.0]
    assert list(table["flag"]) == ["000100", "000000"]
    assert list(table["mqc"]) == ["M", ""]


def test_comment_lines_between_readings_are_skipped():
    lines = [PM10_LINES[1], "# a comment", "", PM10_LINES[2]]
    assert list(parse_pm10(reply(lines))["pm10"]) == [39.0, 0.0]


@pytest.mark.parametrize(
    "bad",
    [
        "202607011805,   108,   4x,000000,,=",  # not a number
        "20260701180,   108,   40,000000,,=",  # 11-digit time
        "202607011865,   108,   40,000000,,=",  # minute 65
        "202602301800,   108,   40,000000,,=",  # 30 February
        "202607011805,   108,   40,000000,,=,extra",  # too many fields
        "202607011805,   108",  # cut short
        "202607011805   108   40 000000",  # not comma-separated
    ],
)
def test_a_malformed_row_names_its_line(bad):
    lines = [*PM10_LINES, bad, PM10_LINES[0]]
    with pytest.raises(KmaMalformedReply) as caught:
        parse_pm10(reply(lines))
    assert caught.value.line_number == 6  # START, header, three good rows, then the bad one
    assert caught.value.line == bad


def test_a_reply_cut_before_its_end_marker_is_truncated():
    text = reply(PM10_LINES)
    with pytest.raises(KmaTruncatedReply):
        parse_pm10(text[: text.index("#7777END") - 5])


def test_a_reply_without_readings_is_an_empty_table():
    table = parse_pm10(reply([]))
    assert table.empty
    assert list(table.columns) == ["time", "stn", "pm10", "flag", "mqc"]


def test_a_month_of_readings_parses_in_a_few_milliseconds():
    values = np.random.default_rng(0).integers(0, 300, 31 * 288)
    text = reply(month_of_readings(values))
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        table = parse_pm10(text)
        timings.append(time.perf_counter() - started)
    assert np.array_equal(table["pm10"].to_numpy(), values.astype(float))
    assert table["time"].iloc[-1] == pd.Timestamp("2026-01-31 23:55")
    assert min(timings) < 0.05, f"best of 5: {min(timings) * 1000:.1f} ms"


def test_daily_summary_covers_valid_readings_and_counts_every_record():
    lines = [
        "202604012355,   108,   10,000000,,=",  # last slot of 1 April
        "202604020000,   108,    0,000000,,=",  # first slot of 2 April: a zero is valid
        "202604020005,   108, 3856,000000,,=",  # a spike is not screened out here
        "202604020010,   108,  -99,000000,,=",  # missing: counted as a record, not as valid
        "202604020015,   108,   44,000000,,=",
    ]
    daily = summarize_pm10_days(parse_pm10(reply(lines)))

    assert list(daily.columns) == [
        "date", "pm10_avg", "pm10_max", "pm10_min", "n_valid", "n_records",
    ]  # fmt: skip
    assert list(daily["date"]) == [pd.Timestamp("2026-04-01"), pd.Timestamp("2026-04-02")]
    assert daily.iloc[0][["pm10_avg", "pm10_max", "pm10_min"]].tolist() == [10.0, 10.0, 10.0]
    second = daily.iloc[1]
    assert second["pm10_avg"] == pytest.approx((0 + 3856 + 44) / 3)
    assert (second["pm10_max"], second["pm10_min"]) == (3856.0, 0.0)
    assert (second["n_valid"], second["n_records"]) == (3, 4)


def test_a_day_of_missing_readings_has_no_valid_count():
    daily = summarize_pm10_days(parse_pm10(reply(["202604020000,   108,  -99,000000,,="])))
    assert (daily.at[0, "n_valid"], daily.at[0, "n_records"]) == (0, 1)
    assert math.isnan(daily.at[0, "pm10_avg"])


def test_summary_of_no_readings_is_empty_with_the_columns():
    daily = summarize_pm10_days(parse_pm10(reply([])))
    assert daily.empty
    assert list(daily.columns) == [
        "date",
        "pm10_avg",
        "pm10_max",
        "pm10_min",
        "n_valid",
        "n_records",
    ]
