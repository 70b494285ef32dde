"""Temperature rules on small hand-made frames."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning import DEFAULT_POLICY, CleaningPolicy
from seoulcast_assets.cleaning.temperature import clean_temperature, temperature_read_window
from tests.cleaning.conftest import days, temperature_rows

NAN = float("nan")


def clean(rows: dict, first: str, last: str, policy: CleaningPolicy = DEFAULT_POLICY):
    raw = temperature_rows(rows)
    collected = pd.DatetimeIndex(raw.index)
    return clean_temperature(
        raw, collected, date.fromisoformat(first), date.fromisoformat(last), policy
    )


def flags_on(flags: pd.DataFrame, day: str) -> set[str]:
    row = flags.loc[pd.Timestamp(day)]
    return set(row.index[row.to_numpy(dtype=bool)])


def steady(first: str, count: int, avg: float = 10.0) -> dict:
    return {day: (avg + i, avg + i + 5, avg + i - 5) for i, day in enumerate(days(first, count))}


def test_sentinels_become_missing_and_a_one_day_gap_is_interpolated():
    rows = steady("2024-01-01", 7)
    rows[date(2024, 1, 4)] = (13.0, -99.0, 8.0)
    values, flags = clean(rows, "2024-01-04", "2024-01-04")
    # ta_max of the neighbours: 17 on the 3rd, 19 on the 5th -> 18 on the 4th
    assert values.loc["2024-01-04", "ta_max"] == 18.0
    assert flags_on(flags, "2024-01-04") == {"ta_max:sentinel", "ta_max:interpolated"}


def test_implausible_values_are_removed():
    rows = steady("2024-07-01", 7, avg=25.0)
    rows[date(2024, 7, 4)] = (28.0, 61.0, 23.0)  # a unit slip, not a Seoul temperature
    policy = CleaningPolicy(longest_interpolated_gap_days=0)
    values, flags = clean(rows, "2024-07-04", "2024-07-04", policy)
    assert np.isnan(values.loc["2024-07-04", "ta_max"])
    assert flags_on(flags, "2024-07-04") == {"ta_max:implausible", "ta_max:missing"}


def test_a_record_day_is_plausible():
    rows = {date(1927, 12, 31): (-16.0, -10.1, -23.1), date(2018, 8, 1): (33.6, 39.6, 27.8)}
    for day in rows:
        values, flags = clean({day: rows[day]}, day.isoformat(), day.isoformat())
        assert list(values.iloc[0]) == list(rows[day])
        assert not flags.to_numpy().any()


@pytest.mark.parametrize(
    ("triple", "removed"),
    [
        ((13.0, 18.0, 15.0), {"ta_avg", "ta_min"}),  # ta_min above ta_avg: which is wrong?
        ((9.5, 9.0, 2.0), {"ta_avg", "ta_max"}),  # ta_avg above ta_max
        ((5.0, 2.0, 8.0), {"ta_avg", "ta_max", "ta_min"}),  # min and max swapped
    ],
)
def test_values_in_a_broken_order_are_removed_and_may_be_refilled(triple, removed):
    rows = steady("2024-03-01", 7)
    rows[date(2024, 3, 4)] = triple
    values, flags = clean(rows, "2024-03-04", "2024-03-04")
    day = flags_on(flags, "2024-03-04")
    assert {f"{column}:inconsistent" for column in removed} <= day
    assert {f"{column}:interpolated" for column in removed} <= day
    row = values.loc["2024-03-04"]
    assert row["ta_min"] <= row["ta_avg"] <= row["ta_max"]
    kept = {"ta_avg", "ta_max", "ta_min"} - removed
    for column in kept:
        assert row[column] == triple[["ta_avg", "ta_max", "ta_min"].index(column)]


def test_gaps_up_to_the_longest_are_filled_and_longer_ones_not_at_all():
    rows = {day: (float(i), i + 5.0, i - 5.0) for i, day in enumerate(days("2024-05-01", 20))}
    for missing in days("2024-05-03", 3) + days("2024-05-10", 4):  # a 3-day and a 4-day gap
        rows[missing] = (NAN, NAN, NAN)
    values, flags = clean(rows, "2024-05-03", "2024-05-13")
    assert list(values.loc["2024-05-03":"2024-05-05", "ta_avg"]) == [2.0, 3.0, 4.0]
    assert flags.loc["2024-05-03":"2024-05-05", "ta_avg:interpolated"].all()
    # pandas' limit=3 would fill the first three days of the 4-day gap; none is filled here
    assert values.loc["2024-05-10":"2024-05-13"].isna().all().all()
    assert flags.loc["2024-05-10":"2024-05-13", "ta_avg:missing"].all()
    assert not flags.loc["2024-05-10":"2024-05-13", "ta_avg:interpolated"].any()

    longer = CleaningPolicy(longest_interpolated_gap_days=4)
    values, _ = clean(rows, "2024-05-10", "2024-05-13", longer)
    assert list(values["ta_avg"]) == [9.0, 10.0, 11.0, 12.0]


def test_interpolation_is_linear_in_time_and_rounded_to_a_tenth():
    rows = {date(2024, 1, 1): (0.0, 5.0, -5.0), date(2024, 1, 5): (1.0, 6.0, -4.0)}
    rows.update({day: (NAN, NAN, NAN) for day in days("2024-01-02", 3)})
    values, _ = clean(rows, "2024-01-02", "2024-01-04")
    assert list(values["ta_avg"]) == [0.2, 0.5, 0.8]  # 0.25, 0.5, 0.75 rounded


def test_no_extrapolation_at_the_edges():
    # The newest day is cleaned before the next day exists: its missing value stays missing
    # (the original filled it with the day before's value).
    rows = steady("2024-11-15", 7)
    rows[date(2024, 11, 21)] = (5.0, NAN, 1.0)
    values, flags = clean(rows, "2024-11-21", "2024-11-21")
    assert np.isnan(values.loc["2024-11-21", "ta_max"])
    assert flags_on(flags, "2024-11-21") == {"ta_max:missing"}
    # Cleaned again once the next day is there, it is filled.
    rows[date(2024, 11, 22)] = (6.0, 21.0, 2.0)
    values, flags = clean(rows, "2024-11-21", "2024-11-21")
    assert values.loc["2024-11-21", "ta_max"] == pytest.approx((20.0 + 21.0) / 2)
    # Nor at the start of the series: nothing before the first observed day.
    rows = {date(1907, 10, 1): (NAN, 20.7, 7.9), date(1907, 10, 2): (16.2, 22.0, 7.9)}
    values, flags = clean(rows, "1907-10-01", "1907-10-01")
    assert np.isnan(values.loc["1907-10-01", "ta_avg"])


def test_the_war_gap_is_never_filled_and_flagged():
    before = steady("1950-08-28", 4)  # to 1950-08-31
    after = steady("1953-12-01", 3)
    rows = {**before, **after}
    policy = CleaningPolicy(longest_interpolated_gap_days=31)
    values, flags = clean(rows, "1950-08-30", "1953-12-02", policy)
    gap = slice("1950-09-01", "1953-11-30")
    assert values.loc[gap].isna().all().all()
    assert flags.loc[gap, "ta:war_gap"].all() and len(flags.loc[gap]) == 1187
    assert not flags.filter(like="interpolated").to_numpy().any()
    assert not flags.loc[gap, "ta:no_observation"].any()

    # A gap touching the war gap is not filled either, even within the longest gap.
    rows[date(1950, 8, 31)] = (NAN, NAN, NAN)
    values, flags = clean(rows, "1950-08-31", "1950-08-31", policy)
    assert values.isna().all().all()
    assert flags_on(flags, "1950-08-31") == {"ta_avg:missing", "ta_max:missing", "ta_min:missing"}


def test_days_without_a_row_say_whether_they_were_collected():
    rows = steady("2024-02-01", 3)
    raw = temperature_rows(rows)
    collected = pd.DatetimeIndex(pd.to_datetime(days("2024-02-01", 4)))  # the 4th came empty
    _, flags = clean_temperature(raw, collected, date(2024, 2, 4), date(2024, 2, 5), DEFAULT_POLICY)
    assert flags_on(flags, "2024-02-04") == {"ta:no_observation"}
    assert flags_on(flags, "2024-02-05") == {"ta:not_collected"}


def test_a_fill_that_would_break_the_order_is_dropped():
    rows = {
        date(2024, 4, 1): (10.0, 12.0, 8.0),
        date(2024, 4, 2): (20.0, NAN, 18.0),  # a warm day between two cool maxima
        date(2024, 4, 3): (10.0, 12.0, 8.0),
    }
    values, flags = clean(rows, "2024-04-02", "2024-04-02")
    assert np.isnan(values.loc["2024-04-02", "ta_max"])  # 12.0 would sit below ta_avg 20.0
    assert flags_on(flags, "2024-04-02") == {"ta_max:missing"}


def test_one_day_alone_equals_the_same_day_inside_a_range():
    rng = np.random.default_rng(3)
    rows = {}
    for day in days("2024-06-01", 40):
        avg = 20 + rng.normal()
        rows[day] = (round(avg, 1), round(avg + 4, 1), round(avg - 4, 1))
    for i, day in enumerate(days("2024-06-01", 40)):
        if rng.random() < 0.3:
            rows[day] = (NAN, rows[day][1], NAN) if i % 2 else (NAN, NAN, NAN)
    for day in days("2024-06-20", 5):  # and one gap too long to fill
        rows[day] = (NAN, NAN, NAN)
    whole, whole_flags = clean(rows, "2024-06-04", "2024-07-07")
    assert whole_flags.filter(like=":interpolated").to_numpy().any()
    assert whole_flags.filter(like=":missing").to_numpy().any()
    for day in days("2024-06-04", 34):
        alone, alone_flags = clean(rows, day.isoformat(), day.isoformat())
        same_day = [pd.Timestamp(day)]
        pd.testing.assert_frame_equal(alone, whole.loc[same_day], check_freq=False)
        pd.testing.assert_frame_equal(alone_flags, whole_flags.loc[same_day], check_freq=False)


def test_the_read_window_is_the_range_and_the_longest_gap():
    policy = CleaningPolicy(longest_interpolated_gap_days=3)
    assert temperature_read_window(date(2024, 1, 1), date(2024, 1, 31), policy) == (
        date(2023, 12, 29),
        date(2024, 2, 3),
    )
