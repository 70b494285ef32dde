"""PM10 screening, daily aggregation and fences on hand-made days of 5-minute readings."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning import DEFAULT_POLICY, CleaningPolicy
from seoulcast_assets.cleaning.pm10 import (
    clean_pm10,
    readings_by_slot,
    screen_pm10_readings,
    screen_pm10_spikes,
    screen_stuck_readings,
    screen_zero_readings,
)
from tests.cleaning.conftest import readings_frame, smooth_day

DAY = date(2015, 3, 10)


def clean_one_day(values, policy: CleaningPolicy = DEFAULT_POLICY, day: date = DAY):
    readings = readings_frame(day, values)
    collected = pd.DatetimeIndex([pd.Timestamp(day)])
    table, flags = clean_pm10(readings, collected, day, day, policy)
    row = flags.iloc[0]
    return table.iloc[0], set(row.index[row.to_numpy(dtype=bool)])


def matrix_of(values) -> np.ndarray:
    return np.asarray(values, dtype=float)[None, :]


def test_a_clean_day_is_aggregated_as_it_is():
    values = smooth_day(42.0, seed=1)
    row, flags = clean_one_day(values)
    assert flags == set()
    assert row["pm10_avg"] == round(values.mean(), 1)
    assert (row["pm10_max"], row["pm10_min"], row["pm10_n_valid"]) == (
        values.max(),
        values.min(),
        288,
    )


def test_zero_readings_are_removed():
    values = smooth_day(30.0, seed=2)
    values[[5, 100, 101]] = 0
    assert screen_zero_readings(matrix_of(values), DEFAULT_POLICY).sum() == 3
    row, flags = clean_one_day(values)
    kept = np.delete(values, [5, 100, 101])
    assert flags == {"pm10:zero_removed"}
    assert row["pm10_min"] == kept.min() > 0
    assert row["pm10_avg"] == round(kept.mean(), 1)
    assert row["pm10_n_valid"] == 285


def test_an_isolated_spike_is_removed():
    values = smooth_day(35.0, seed=3)
    values[150] = 3856  # one reading on an otherwise clean day
    spikes = screen_pm10_spikes(matrix_of(values), DEFAULT_POLICY)
    assert list(np.flatnonzero(spikes[0])) == [150]
    row, flags = clean_one_day(values)
    assert flags == {"pm10:spike_removed"}
    assert row["pm10_max"] < 60 and row["pm10_avg"] == round(np.delete(values, 150).mean(), 1)


def test_a_short_burst_is_removed_but_a_sustained_dust_episode_is_kept():
    base = smooth_day(40.0, seed=4)
    burst = base.copy()
    burst[100:106] = 600  # half an hour: still a minority of every reading's neighbours
    assert screen_pm10_spikes(matrix_of(burst), DEFAULT_POLICY)[0, 100:106].all()

    dust = base.copy()
    dust[100:160] = np.linspace(400, 900, 60).round()  # five hours of yellow dust
    spikes = screen_pm10_spikes(matrix_of(dust), DEFAULT_POLICY)
    assert not spikes.any()  # the onset too: half its neighbours are already high
    row, flags = clean_one_day(dust)
    assert flags == {"pm10_avg:above_fence", "pm10_max:above_fence"}
    assert row["pm10_max"] == 900 and row["pm10_avg"] == round(dust.mean(), 1)


def test_a_moderate_peak_is_not_a_spike():
    values = smooth_day(40.0, seed=5)
    values[80] = 130  # over three times its neighbours, but only about 90 above them
    values[195:206] = 105  # an hour of polluted air ...
    values[200] = 260  # ... with a peak far above it, but only 2.5 times as high
    assert not screen_pm10_spikes(matrix_of(values), DEFAULT_POLICY).any()


def test_a_stuck_sensor_is_removed():
    values = smooth_day(30.0, seed=6)
    values[:80] = 17  # six and a half hours of one value
    stuck = screen_stuck_readings(matrix_of(values), DEFAULT_POLICY)
    assert stuck[0, :80].all() and not stuck[0, 80:].any()
    row, flags = clean_one_day(values)
    assert flags == {"pm10:stuck_removed", "pm10:low_coverage"}  # 208 readings left < 216
    assert np.isnan(row["pm10_avg"]) and row["pm10_n_valid"] == 208

    all_day = np.full(288, 17.0)  # 2017-12-16, the day after a four-day outage
    row, flags = clean_one_day(all_day)
    assert flags == {"pm10:stuck_removed", "pm10:low_coverage"} and row["pm10_n_valid"] == 0


def test_a_day_with_too_few_readings_has_no_daily_value():
    values = smooth_day(25.0, seed=7)
    values[:73] = np.nan  # KMA sent -99 for six hours: 215 readings remain
    row, flags = clean_one_day(values)
    assert flags == {"pm10:low_coverage"}
    assert row[["pm10_avg", "pm10_max", "pm10_min"]].isna().all()
    assert row["pm10_n_valid"] == 215
    values[72] = 25  # 216 readings: 75% of the day is enough
    row, flags = clean_one_day(values)
    assert flags == set() and row["pm10_n_valid"] == 216


def test_the_fences_flag_but_never_delete_or_clip():
    values = np.full(288, 100.0)
    values[::2] = 101  # a bad-air day (나쁨): mean 100.5 > 90.8
    values[40:44] = [170, 175, 180, 175]  # a peak above 160.5, kept as measured
    row, flags = clean_one_day(values)
    assert flags == {"pm10_avg:above_fence", "pm10_max:above_fence"}
    assert row["pm10_max"] == 180 and row["pm10_avg"] == round(values.mean(), 1)
    lower = CleaningPolicy(pm10_avg_fence=200.0, pm10_max_fence=200.0)
    assert clean_one_day(values, lower)[1] == set()


def test_screening_order_zeros_then_stuck_then_spikes():
    values = smooth_day(20.0, seed=8)
    values[10] = 0
    values[20] = 900
    screening = screen_pm10_readings(matrix_of(values), DEFAULT_POLICY)
    assert screening.zero[0, 10] and not screening.spike[0, 10]
    assert screening.spike[0, 20] and screening.kept.sum() == 286


def test_neighbours_never_come_from_another_day():
    first = smooth_day(30.0, seed=9)
    second = smooth_day(30.0, seed=10)
    second[0] = 700  # midnight spike: judged by its own day's readings only
    readings = pd.concat(
        [readings_frame(DAY, first), readings_frame(date(2015, 3, 11), second)], ignore_index=True
    )
    collected = pd.DatetimeIndex(pd.to_datetime([DAY, date(2015, 3, 11)]))
    both, _ = clean_pm10(readings, collected, DAY, date(2015, 3, 11), DEFAULT_POLICY)
    alone, _ = clean_pm10(
        readings_frame(date(2015, 3, 11), second),
        collected,
        date(2015, 3, 11),
        date(2015, 3, 11),
        DEFAULT_POLICY,
    )
    pd.testing.assert_frame_equal(both.iloc[[1]], alone, check_freq=False)
    assert both.iloc[1]["pm10_max"] < 100


def test_days_without_readings_and_days_before_the_series():
    readings = readings_frame(date(2008, 4, 28), smooth_day(50.0))
    collected = pd.DatetimeIndex(pd.to_datetime([date(2008, 4, 28), date(2008, 4, 29)]))
    table, flags = clean_pm10(
        readings, collected, date(2008, 4, 26), date(2008, 4, 30), DEFAULT_POLICY
    )
    marked = {
        day.date().isoformat(): set(row.index[row.to_numpy(dtype=bool)])
        for day, row in flags.iterrows()
    }
    assert marked == {
        "2008-04-26": set(),  # before the PM10 series: empty, unflagged
        "2008-04-27": set(),
        "2008-04-28": set(),
        "2008-04-29": {"pm10:no_observation"},  # collected, no reading
        "2008-04-30": {"pm10:not_collected"},
    }
    assert table.loc["2008-04-26":"2008-04-27"].isna().all().all()
    assert table.loc["2008-04-29", "pm10_n_valid"] == 0


def test_readings_by_slot_places_each_reading_in_its_day_and_slot():
    frame = readings_frame(DAY, [1.0, 2.0, 3.0])
    frame = pd.concat([frame, frame.iloc[[1]].assign(pm10=99.0)], ignore_index=True)
    matrix = readings_by_slot(frame, pd.DatetimeIndex([pd.Timestamp(DAY)]))
    assert list(matrix[0, :4][:3]) == [1.0, 2.0, 3.0]  # a repeated slot keeps the first
    assert np.isnan(matrix[0, 3:]).all()


@pytest.mark.parametrize("level", [3.0, 40.0, 150.0])
def test_clean_days_of_any_level_lose_nothing(level):
    values = smooth_day(level, seed=int(level))
    assert screen_pm10_readings(matrix_of(values), DEFAULT_POLICY).kept.all()
