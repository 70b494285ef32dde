"""clean_days over a store: the objects of the contract, year tables, idempotence."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning import CleaningPolicy, clean_days
from seoulcast_assets.cleaning.raw import RawDayUnreadable
from seoulcast_assets.cleaning.tables import YEAR_COLUMNS, read_year_tables
from seoulcast_assets.layout import clean_key, clean_year_key, raw_parsed_key, raw_reply_key
from tests.cleaning.conftest import (
    ORDINARY_WEATHER,
    asos_day_csv,
    days,
    smooth_day,
    store_raw_days,
)

NAN = float("nan")


def december(store) -> None:
    """Raw days 2017-12-10 .. 2018-01-05: temperature with a gap, PM10 with odd days."""
    temperature = {day: (1.0 + i * 0.1, 5.0, -3.0) for i, day in enumerate(days("2017-12-10", 27))}
    temperature[date(2017, 12, 20)] = (NAN, 5.0, -3.0)
    pm10 = {day: smooth_day(40.0, seed=i) for i, day in enumerate(days("2017-12-10", 27))}
    pm10[date(2017, 12, 12)] = None  # KMA sent no reading
    spiky = smooth_day(40.0, seed=99)
    spiky[100] = 2000
    pm10[date(2017, 12, 13)] = spiky
    store_raw_days(store, temperature, pm10)


def test_every_day_gets_its_objects_in_the_contracts_layout(memory_store):
    december(memory_store)
    report = clean_days(memory_store, date(2017, 12, 12), date(2018, 1, 2))
    assert report.days == 22 and report.years == [2017, 2018]
    objects = memory_store.objects
    temperature = objects[clean_key("temperature", date(2017, 12, 20))].decode()
    assert temperature.splitlines() == [
        "date,ta_avg,ta_max,ta_min,flags",
        "2017-12-20,2.0,5.0,-3.0,ta_avg:interpolated",
    ]
    pm10 = objects[clean_key("pm10", date(2017, 12, 12))].decode()
    assert pm10.splitlines() == [
        "date,pm10_avg,pm10_max,pm10_min,pm10_n_valid,flags",
        "2017-12-12,,,,0,pm10:no_observation",
    ]
    spike_day = objects[clean_key("pm10", date(2017, 12, 13))].decode().splitlines()[1]
    assert spike_day.endswith(",287,pm10:spike_removed")
    year = objects[clean_year_key(2017)].decode().splitlines()
    assert year[0] == ",".join(YEAR_COLUMNS)
    assert [line[:10] for line in year[1:]] == [d.isoformat() for d in days("2017-12-12", 20)]
    weather = (
        "2.1,5.3,270.0,5.3,0.0,52.0,31.0,-8.4,3.2,1018.1,1028.4,1031.0,1025.2,2.5,7.4,9.9,9.41,"
        "0.0,0.0,0.0,0.2,-7.4,3.3,6.8,9.0,13.9,16.4,1444,712,1446,1313,52,1539"
    )  # the ordinary winter day: dry, no snow, a west wind blowing east (u = 5.3, v = 0.0),
    # then the times of day as KMA's hhmi (00:52 is 52)
    assert year[1] == f"2017-12-12,1.2,5.0,-3.0,,,,0,{weather},kma,pm10:no_observation"
    assert objects[clean_key("weather", date(2017, 12, 12))].decode().splitlines() == [
        ",".join(["date", *YEAR_COLUMNS[8:]]),
        f"2017-12-12,{weather},kma,",
    ]
    assert report.flag_days == {
        "ta_avg:interpolated": 1,
        "pm10:spike_removed": 1,
        "pm10:no_observation": 1,
    }
    assert report.missing_pm10_days == [date(2017, 12, 12)]


def test_a_second_run_writes_nothing_and_a_one_day_run_keeps_the_rest_of_the_year(memory_store):
    december(memory_store)
    clean_days(memory_store, date(2017, 12, 12), date(2018, 1, 2))
    before = dict(memory_store.objects)
    again = clean_days(memory_store, date(2017, 12, 12), date(2018, 1, 2))
    assert again.objects_changed == 0 and memory_store.objects == before

    one_day = clean_days(memory_store, date(2017, 12, 15), date(2017, 12, 15))
    assert one_day.objects_written == 4 and one_day.objects_changed == 0
    assert memory_store.objects == before

    # A raw day corrected later changes its own objects and its year table, nothing else.
    store_raw_days(memory_store, {date(2017, 12, 15): (9.9, 12.0, 7.0)})
    changed = clean_days(memory_store, date(2017, 12, 15), date(2017, 12, 15))
    assert changed.objects_changed == 2
    different = {
        key
        for key in before
        if key.startswith("result/") and memory_store.objects[key] != before[key]
    }
    assert different == {clean_key("temperature", date(2017, 12, 15)), clean_year_key(2017)}
    table = read_year_tables([memory_store.objects[clean_year_key(2017)]])
    assert len(table) == 20 and table["date"].is_unique
    assert table.loc[table["date"] == "2017-12-15", "ta_avg"].item() == 9.9


def test_a_range_run_and_day_by_day_runs_write_the_same_bytes(memory_store):
    december(memory_store)
    clean_days(memory_store, date(2017, 12, 12), date(2018, 1, 2))
    whole = {k: v for k, v in memory_store.objects.items() if k.startswith("result/")}

    from tests.cleaning.conftest import MemoryStore

    by_day = MemoryStore()
    december(by_day)
    for day in reversed(days("2017-12-12", 22)):  # any order
        clean_days(by_day, day, day)
    assert {k: v for k, v in by_day.objects.items() if k.startswith("result/")} == whole


def test_days_before_the_pm10_series_have_no_pm10_objects(memory_store):
    store_raw_days(memory_store, {day: (15.0, 20.0, 10.0) for day in days("2008-04-24", 8)})
    report = clean_days(memory_store, date(2008, 4, 26), date(2008, 4, 29))
    keys = memory_store.list_keys("result/pm10/")
    assert keys == [clean_key("pm10", date(2008, 4, 28)), clean_key("pm10", date(2008, 4, 29))]
    assert report.flags_of(date(2008, 4, 27)) == []
    assert report.flags_of(date(2008, 4, 28)) == ["pm10:not_collected"]
    table = read_year_tables([memory_store.objects[clean_year_key(2008)]])
    assert np.isnan(table.loc[0, "pm10_n_valid"]) and table.loc[2, "pm10_n_valid"] == 0


def test_another_policy_changes_the_result(memory_store):
    december(memory_store)
    strict = CleaningPolicy(longest_interpolated_gap_days=0, pm10_spike_excess=5000.0)
    report = clean_days(memory_store, date(2017, 12, 12), date(2017, 12, 31), strict)
    assert report.flag_days == {
        "ta_avg:missing": 1,
        "pm10:no_observation": 1,
        "pm10_max:above_fence": 1,  # the 2000 µg/m³ reading is kept, and flagged
    }
    assert report.summary()["policy"]["pm10_spike_excess"] == 5000.0


def test_an_unreadable_raw_day_is_named_and_nothing_is_written(memory_store):
    december(memory_store)
    key = raw_reply_key("pm10", date(2017, 12, 14))
    memory_store.objects[key] = b"#START7777\n201712140000,   108,  abc,000000,,=\n#7777END\n"
    with pytest.raises(RawDayUnreadable, match="2017-12-14.txt"):
        clean_days(memory_store, date(2017, 12, 12), date(2017, 12, 20))
    memory_store.objects[key] = b"#START7777\n201712140000,   108,  40,000000,,=\n"
    with pytest.raises(RawDayUnreadable, match="2017-12-14.txt: not a complete KMA reply"):
        clean_days(memory_store, date(2017, 12, 12), date(2017, 12, 20))
    assert memory_store.list_keys("result/") == []


def test_the_report_summary_is_plain_metadata(memory_store):
    december(memory_store)
    summary = clean_days(memory_store, date(2017, 12, 12), date(2017, 12, 31)).summary()
    assert summary["missing_pm10_sample"] == "2017-12-12"
    assert summary["flag_days"]["pm10:spike_removed"] == 1
    assert isinstance(pd.Series(summary).to_json(), str)


def test_an_element_is_missing_only_from_the_day_its_record_turns_daily(memory_store):
    """Seoul's record holds the pressure times daily from 1962-04-01 (``expected_from``): a
    1957 day without them is not a missing day, a 1963 day is."""
    without_times = {
        k: v for k, v in ORDINARY_WEATHER.items() if k not in ("ps_max_tm", "ps_min_tm")
    }
    for day in (date(1957, 8, 24), date(1963, 8, 24)):
        memory_store.put_many({
            raw_parsed_key("asos", day): asos_day_csv(day, (25.0, 30.0, 21.0), without_times),
            raw_reply_key("asos", day): b"#START7777\n#7777END\n",
        })  # fmt: skip
    early = clean_days(memory_store, date(1957, 8, 24), date(1957, 8, 24))
    late = clean_days(memory_store, date(1963, 8, 24), date(1963, 8, 24))
    assert early.element_days("ps_min_tm") == 0 and early.missing_element_days("ps_min_tm") == []
    assert late.missing_element_days("ps_min_tm") == [date(1963, 8, 24)]
    assert late.missing_element_days("ps_avg") == []
