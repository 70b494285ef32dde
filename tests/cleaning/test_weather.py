"""The weather-element rules on hand-made days: sentinels, rain and snow, ranges, relations."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from seoulcast_assets.cleaning import DEFAULT_POLICY
from seoulcast_assets.cleaning.elements import ELEMENTS, WEATHER_COLUMNS
from seoulcast_assets.cleaning.flags import FLAG_VOCABULARY, join_flags
from seoulcast_assets.cleaning.weather import (
    CONSISTENCY_RULES,
    PLAUSIBILITY_RULES,
    RULES,
    clean_weather,
    with_wind_components,
)
from tests.cleaning.conftest import NAN, ORDINARY_WEATHER


def rows(**by_day: dict) -> pd.DataFrame:
    """Raw ASOS rows by ISO day: the ordinary winter day changed by each day's values."""
    index = pd.DatetimeIndex(pd.to_datetime(list(by_day)), name="date")
    return pd.DataFrame([{**ORDINARY_WEATHER, **values} for values in by_day.values()], index=index)


def clean(raw: pd.DataFrame, first: str, last: str, ta_avg: float = 0.0, collected=None):
    days = pd.date_range(first, last, name="date")
    collected = raw.index if collected is None else pd.DatetimeIndex(pd.to_datetime(collected))
    mean = pd.Series(ta_avg, index=days)
    return clean_weather(
        raw, collected, mean, date.fromisoformat(first), date.fromisoformat(last), DEFAULT_POLICY
    )


def flags_by_day(result) -> dict[str, str]:
    joined = join_flags(result.flags)
    return {f"{day:%Y-%m-%d}": text for day, text in joined.items()}


def test_an_ordinary_day_keeps_every_value_and_gets_no_flag():
    result = clean(rows(**{"2024-01-10": {}}), "2024-01-10", "2024-01-10")
    day = result.values.iloc[0]
    assert list(result.values.columns) == list(WEATHER_COLUMNS)
    for name, value in ORDINARY_WEATHER.items():
        if value == value:
            assert day[name] == value, name
    assert flags_by_day(result) == {"2024-01-10": ""}
    assert result.failures.empty


def test_sentinels_per_field_and_real_values_that_look_like_them():
    raw = rows(
        **{
            "2024-01-10": {"td_avg": -99.0, "hm_avg": -9.0, "ps_avg": -99.9, "si_day": -9.00},
            "2024-01-11": {"te_50": -99.0, "ws_avg": -9, "ca_tot": -999.0},
            # -9.0 °C and -9.9 °C are real temperatures: only <= -90 is KMA's code for them
            "2024-01-12": {"td_avg": -9.0, "ts_avg": -9.9, "tg_min": -19.9},
        }
    )
    result = clean(raw, "2024-01-10", "2024-01-12")
    values, flags = result.values, flags_by_day(result)
    assert values.loc["2024-01-10", ["td_avg", "hm_avg", "ps_avg", "si_day"]].isna().all()
    assert flags["2024-01-10"] == (
        "hm_avg:sentinel;hm_avg:missing;td_avg:sentinel;td_avg:missing;"
        "ps_avg:sentinel;ps_avg:missing;si_day:sentinel;si_day:missing"
    )
    assert values.loc["2024-01-11", ["te_50", "ws_avg", "ca_tot"]].isna().all()
    assert "te_50:sentinel" in flags["2024-01-11"] and "ca_tot:sentinel" in flags["2024-01-11"]
    assert values.loc["2024-01-12", ["td_avg", "ts_avg", "tg_min"]].tolist() == [-9.0, -9.9, -19.9]
    assert flags["2024-01-12"] == ""


def test_no_rain_or_snow_on_a_day_with_observations_is_zero():
    raw = rows(
        **{
            "2024-01-10": {"rn_day": NAN, "sd_new": NAN, "sd_max": NAN},  # the API's -9.0, parsed
            "2024-01-11": {"rn_day": 0.0, "sd_new": 0.0, "sd_max": 1.2},  # a trace, old snow
            "2024-01-12": {"rn_day": -9.0, "sd_new": -9.0, "sd_max": -9.0},  # -9.0 as KMA prints
            "2024-01-13": {"rn_day": 12.5, "sd_new": 3.4, "sd_max": 5.0},
        }
    )
    result = clean(raw, "2024-01-10", "2024-01-13")
    amounts = result.values[["rn_day", "sd_new", "sd_max"]]
    assert amounts.to_numpy().tolist() == [
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 1.2],
        [0.0, 0.0, 0.0],
        [12.5, 3.4, 5.0],
    ]
    assert set(flags_by_day(result).values()) == {""}  # none is no flag


def test_a_day_without_observations_has_no_rain_value():
    temperatures_only = {name: NAN for name in ORDINARY_WEATHER}
    raw = rows(**{"2024-01-10": temperatures_only, "2024-01-12": {}})
    collected = ["2024-01-10", "2024-01-11", "2024-01-12"]  # 01-11: KMA sent no row
    result = clean(raw, "2024-01-10", "2024-01-13", collected=collected)
    values, flags = result.values, flags_by_day(result)
    assert values.loc["2024-01-10":"2024-01-11"].isna().all().all()
    assert values.loc["2024-01-13"].isna().all()
    assert flags == {
        "2024-01-10": "weather:no_observation",  # a row with temperatures only says no more
        "2024-01-11": "weather:no_observation",
        "2024-01-12": "",
        "2024-01-13": "weather:not_collected",
    }


def test_a_day_of_sentinels_only_is_a_day_without_observations():
    """What the parser makes empty and what a raw route leaves as -9.0 read alike."""
    codes = {e.name: (-99.0 if e.kind == "temperature" else -9.0) for e in ELEMENTS}
    empty = {name: NAN for name in ORDINARY_WEATHER}
    result = clean(rows(**{"2024-01-10": codes, "2024-01-11": empty}), "2024-01-10", "2024-01-11")
    assert result.values.isna().all().all()  # no rain either: nothing says it was dry
    flags = flags_by_day(result)
    assert flags["2024-01-11"] == "weather:no_observation"
    assert flags["2024-01-10"].startswith("weather:no_observation;ws_avg:sentinel")
    assert "missing" not in flags["2024-01-10"] and "rn_day" not in flags["2024-01-10"]


def test_before_an_element_begins_its_absence_is_no_missing_value():
    # Seoul's record: dew point and day length from 1961, new snow from 1937-01-09.
    raw = rows(**{"1936-12-01": {"td_avg": NAN, "ss_dur": NAN, "si_day": NAN, "sd_new": NAN}})
    result = clean(raw, "1936-12-01", "1936-12-01")
    day = result.values.iloc[0]
    assert np.isnan(day["td_avg"]) and np.isnan(day["ss_dur"]) and np.isnan(day["sd_new"])
    assert day["sd_max"] == 0.0 and day["rn_day"] == 0.0  # these had begun: none is 0.0
    assert flags_by_day(result) == {"1936-12-01": ""}
    later = clean(rows(**{"1961-01-01": {"td_avg": NAN}}), "1961-01-01", "1961-01-01")
    assert flags_by_day(later) == {"1961-01-01": "td_avg:missing"}


def test_war_gap_days_keep_what_they_hold_and_miss_nothing():
    rain_only = {name: NAN for name in ORDINARY_WEATHER} | {"rn_day": 6.8}
    snow_only = {name: NAN for name in ORDINARY_WEATHER} | {"sd_max": 4.0}
    raw = rows(**{"1953-11-22": rain_only, "1953-11-23": snow_only, "1953-12-01": {}})
    collected = ["1953-11-22", "1953-11-23", "1953-11-24", "1953-12-01"]
    result = clean(raw, "1953-11-22", "1953-12-01", collected=collected)
    values, flags = result.values, flags_by_day(result)
    assert values.loc["1953-11-22", "rn_day"] == 6.8
    assert values.loc["1953-11-23", ["rn_day", "sd_max"]].tolist() == [0.0, 4.0]
    assert values.loc["1953-11-24"].isna().all()
    assert {day: flags[day] for day in ("1953-11-22", "1953-11-24", "1953-11-30")} == dict.fromkeys(
        ("1953-11-22", "1953-11-24", "1953-11-30"), "weather:war_gap"
    )
    assert flags["1953-12-01"] == ""


RANGED = [element for element in ELEMENTS if element.kind != "time"]
TIMES = [element for element in ELEMENTS if element.kind == "time"]


@pytest.mark.parametrize("element", RANGED, ids=lambda element: element.name)
def test_each_element_outside_its_physical_range_is_removed(element):
    inside = {"2024-01-10": {element.name: element.low}, "2024-01-11": {element.name: element.high}}
    below = element.low - 0.1 if element.low != 0 else -0.1
    outside = {"2024-01-12": {element.name: below}, "2024-01-13": {element.name: element.high + 1}}
    alone = dict.fromkeys(ORDINARY_WEATHER, NAN)  # no partner for a relation to break
    raw = rows(**{day: {**alone, **values} for day, values in {**inside, **outside}.items()})
    result = clean(raw, "2024-01-10", "2024-01-13", ta_avg=45.0)
    kept = result.values[element.name]
    assert kept.loc["2024-01-10":"2024-01-11"].tolist() == [element.low, element.high]
    assert kept.loc["2024-01-12":"2024-01-13"].isna().all()
    failures = result.failures[result.failures["column"] == element.name]
    assert failures["rule"].unique().tolist() == [
        f"{element.name} in {element.low:g}..{element.high:g}"
    ]
    flags = flags_by_day(result)
    assert f"{element.name}:implausible" in flags["2024-01-12"]
    assert f"{element.name}:implausible" in flags["2024-01-13"]
    assert "implausible" not in flags["2024-01-10"] + flags["2024-01-11"]


def test_the_six_times_of_day_are_kept():
    assert [element.name for element in TIMES] == [
        "ta_max_tm", "ta_min_tm", "hm_min_tm", "ws_max_tm", "ps_max_tm", "ps_min_tm"
    ]  # fmt: skip
    assert list(WEATHER_COLUMNS[-6:]) == [element.name for element in TIMES]


@pytest.mark.parametrize("element", TIMES, ids=lambda element: element.name)
def test_each_time_that_is_no_time_of_day_is_removed(element):
    """KMA's hhmi runs from 0000 to 2400 (the day's end); Seoul's record holds 2454 and 2410,
    1570 and 490 (minutes 70 and 90); KMA's missing code -9 is a sentinel, not a time."""
    name = element.name
    kept = {"2024-01-10": 0.0, "2024-01-11": 2400.0, "2024-01-12": 704.0, "2024-01-13": 2359.0}
    removed = {
        "2024-01-14": 2454.0,
        "2024-01-15": 2401.0,
        "2024-01-16": 1570.0,
        "2024-01-17": -2335.0,
        "2024-01-18": 704.5,
    }
    raw = rows(**{day: {name: value} for day, value in {**kept, **removed}.items()},
               **{"2024-01-19": {name: -9.0}})  # fmt: skip
    result = clean(raw, "2024-01-10", "2024-01-19")
    values, flags = result.values[name], flags_by_day(result)
    assert values.loc["2024-01-10":"2024-01-13"].tolist() == list(kept.values())
    assert values.loc["2024-01-14":"2024-01-19"].isna().all()
    assert all(flags[day] == "" for day in kept)
    assert all(flags[day] == f"{name}:implausible;{name}:missing" for day in removed)
    assert flags["2024-01-19"] == f"{name}:sentinel;{name}:missing"
    failures = result.failures[result.failures["column"] == name]
    assert failures["rule"].unique().tolist() == [
        f"{name} is a time of day: 0000..2400, minutes < 60"
    ]
    assert failures["value"].tolist() == list(removed.values())


def test_the_times_of_the_extremes_alone_are_no_weather_observation():
    """A temperature-only source (the emulator's temperature file) gives the times of its
    maximum and minimum: that says nothing about rain or wind."""
    times_only = dict.fromkeys(ORDINARY_WEATHER, NAN) | {"ta_max_tm": 1450.0, "ta_min_tm": 550.0}
    result = clean(rows(**{"2024-01-10": times_only}), "2024-01-10", "2024-01-10")
    day = result.values.iloc[0]
    assert (day["ta_max_tm"], day["ta_min_tm"]) == (1450.0, 550.0)
    assert np.isnan(day["rn_day"]) and flags_by_day(result) == {
        "2024-01-10": "weather:no_observation"
    }


def test_a_time_before_its_record_begins_is_no_missing_value():
    # Seoul's record of the humidity minimum's time begins on 1962-04-01.
    before = clean(rows(**{"1962-03-31": {"hm_min_tm": NAN}}), "1962-03-31", "1962-03-31")
    after = clean(rows(**{"1962-04-01": {"hm_min_tm": NAN}}), "1962-04-01", "1962-04-01")
    assert flags_by_day(before) == {"1962-03-31": ""}
    assert flags_by_day(after) == {"1962-04-01": "hm_min_tm:missing"}


def test_a_broken_pair_loses_both_values_where_either_may_be_wrong():
    raw = rows(
        **{
            "2024-01-10": {"hm_min": 60.0, "hm_avg": 52.0},
            "2024-01-11": {"ws_avg": 6.0, "ws_max": 5.3},
            "2024-01-12": {"ps_min": 1029.0},  # above the mean 1028.4, below the max 1031.0
            "2024-01-13": {"hm_min": 52.0, "ws_avg": 5.3, "ps_min": 1028.4, "ps_max": 1028.4},
        }
    )
    result = clean(raw, "2024-01-10", "2024-01-13")
    values, flags = result.values, flags_by_day(result)
    assert values.loc["2024-01-10", ["hm_min", "hm_avg"]].isna().all()
    assert values.loc["2024-01-11", ["ws_avg", "ws_max"]].isna().all()
    assert np.isnan(values.loc["2024-01-11", "ws_max_u"])  # no max wind: no components
    assert values.loc["2024-01-12", ["ps_min", "ps_avg"]].isna().all()
    assert values.loc["2024-01-12", "ps_max"] == 1031.0
    assert flags["2024-01-12"] == (
        "ps_avg:inconsistent;ps_avg:missing;ps_min:inconsistent;ps_min:missing"
    )
    assert flags["2024-01-13"] == ""  # equal is in order
    assert set(result.failures["rule"]) == {
        "hm_min <= hm_avg",
        "ws_avg <= ws_max",
        "ps_min <= ps_avg",
    }


def test_the_dew_point_and_sunshine_give_way():
    raw = rows(
        **{
            "2024-07-10": {"td_avg": 25.6},  # the mean temperature 25.0 + 0.5 and more
            "2024-07-11": {"td_avg": 25.5},  # within the tolerance
            "2024-07-12": {"ss_day": 11.0, "ss_dur": 10.9},
            "2024-07-13": {"ss_day": 10.9, "ss_dur": 10.9},
        }
    )
    result = clean(raw, "2024-07-10", "2024-07-13", ta_avg=25.0)
    values, flags = result.values, flags_by_day(result)
    assert (
        np.isnan(values.loc["2024-07-10", "td_avg"]) and values.loc["2024-07-11", "td_avg"] == 25.5
    )
    assert flags["2024-07-10"] == "td_avg:inconsistent;td_avg:missing"
    assert (
        np.isnan(values.loc["2024-07-12", "ss_day"]) and values.loc["2024-07-12", "ss_dur"] == 10.9
    )
    assert flags["2024-07-12"] == "ss_day:inconsistent;ss_day:missing"
    assert flags["2024-07-11"] == flags["2024-07-13"] == ""


def test_an_implausible_value_does_not_also_break_its_pair():
    result = clean(rows(**{"2024-01-10": {"hm_min": 150.0}}), "2024-01-10", "2024-01-10")
    assert result.values.iloc[0]["hm_avg"] == 52.0
    assert flags_by_day(result)["2024-01-10"] == "hm_min:implausible;hm_min:missing"


@pytest.mark.parametrize(
    ("speed", "direction", "u", "v"),
    [
        (5.3, 270.0, 5.3, 0.0),  # from the west: blows toward the east
        (4.0, 0.0, 0.0, -4.0),  # from the north (0 and 360 alike)
        (4.0, 360.0, 0.0, -4.0),
        (2.0, 180.0, 0.0, 2.0),
        (10.0, 50.0, -7.7, -6.4),
        (0.0, 200.0, 0.0, 0.0),  # calm
        (3.0, NAN, NAN, NAN),
    ],
)
def test_wind_components(speed, direction, u, v):
    components = with_wind_components(pd.DataFrame({"ws_max": [speed], "wd_max": [direction]}))
    got = components[["ws_max_u", "ws_max_v"]].iloc[0].tolist()
    np.testing.assert_array_equal(got, [u, v])
    assert not any(value == 0 and np.signbit(value) for value in got)  # never -0.0


def test_every_rule_is_a_named_pandera_check_whose_failures_are_the_flags():
    assert len(PLAUSIBILITY_RULES) == len(ELEMENTS) and len(RULES) == len(ELEMENTS) + 7
    assert all(isinstance(rule.check, pa.Check) for rule in RULES)
    assert [rule.name for rule in CONSISTENCY_RULES] == [
        "hm_min <= hm_avg",
        "ws_avg <= ws_max",
        "ps_min <= ps_avg",
        "ps_avg <= ps_max",
        "ps_min <= ps_max",
        "td_avg <= ta_avg + 0.5",
        "ss_day <= ss_dur",
    ]
    frame = pd.DataFrame({"hm_min": [30.0, 60.0, NAN], "hm_avg": [50.0, 50.0, 50.0]})
    result = CONSISTENCY_RULES[0].check(frame)
    assert result.check_output.tolist() == [True, False, True]  # empty passes
    assert not result.check_passed and list(result.failure_cases.index) == [1]
    for rule in RULES:
        for column in rule.removes:
            assert f"{column}:{rule.reason}" in FLAG_VOCABULARY
