"""The pandera schema of the cleaned table names the day and the rule of every failure."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning import (
    FLAG_VOCABULARY,
    CleanTableInvalid,
    clean_day_table,
    validate_clean_days,
)
from seoulcast_assets.cleaning.elements import BY_NAME, ELEMENTS, WEATHER_COLUMNS
from seoulcast_assets.cleaning.weather import RULES
from seoulcast_assets.layout import YEAR_COLUMNS
from tests.cleaning.conftest import ORDINARY_WEATHER

NAN = np.nan


def table(*rows: dict) -> pd.DataFrame:
    """Cleaned days: a mild day with PM10 and no weather elements, changed by ``rows``."""
    defaults = {
        "ta_avg": 10.0,
        "ta_max": 15.0,
        "ta_min": 5.0,
        "pm10_avg": 40.0,
        "pm10_max": 80.0,
        "pm10_min": 10.0,
        "pm10_n_valid": 288.0,
        **dict.fromkeys(WEATHER_COLUMNS, NAN),
        "source": "kma",
        "flags": "",
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    frame.insert(0, "date", pd.to_datetime(frame.pop("date")))
    return frame[list(YEAR_COLUMNS)]


def failures(frame: pd.DataFrame) -> list[str]:
    with pytest.raises(CleanTableInvalid) as raised:
        validate_clean_days(frame)
    return [str(violation) for violation in raised.value.violations]


def test_a_good_table_passes_with_missing_values_and_known_flags():
    good = table(
        {"date": "2017-10-12", "ta_max": NAN, "flags": "ta_max:missing"},
        {
            "date": "2017-12-16",
            "pm10_avg": NAN,
            "pm10_max": NAN,
            "pm10_min": NAN,
            "pm10_n_valid": 0.0,
            "flags": "pm10:stuck_removed;pm10:low_coverage",
        },
        {
            "date": "1951-01-01",
            "ta_avg": NAN,
            "ta_max": NAN,
            "ta_min": NAN,
            "pm10_avg": NAN,
            "pm10_max": NAN,
            "pm10_min": NAN,
            "pm10_n_valid": NAN,
            "flags": "ta:war_gap",
        },
    )
    assert validate_clean_days(good) is not None
    assert "pm10_avg:above_fence" in FLAG_VOCABULARY


def test_temperature_order_names_the_day():
    bad = table({"date": "2024-01-01"}, {"date": "2024-01-02", "ta_min": 12.0})
    assert failures(bad) == [
        "2024-01-02: ta_min <= ta_avg <= ta_max (ta_min=12, ta_avg=10, ta_max=15)"
    ]


def test_temperature_limits_and_pm10_order_and_counts():
    bad = table(
        {"date": "2024-01-01", "ta_max": 61.0},
        {"date": "2024-01-02", "pm10_min": 50.0},
        {"date": "2024-01-03", "pm10_n_valid": 300.0},
        {"date": "2024-01-04", "pm10_avg": -1.0, "pm10_min": -2.0},
    )
    found = failures(bad)
    assert "2024-01-01: ta_max less_than_or_equal_to(50.0) (found 61)" in found
    assert any(f.startswith("2024-01-02: 0 <= pm10_min <= pm10_avg <= pm10_max") for f in found)
    assert "2024-01-03: pm10_n_valid less_than_or_equal_to(288) (found 300)" in found
    assert any(f.startswith("2024-01-04: pm10_avg greater_than_or_equal_to(0)") for f in found)


def test_one_row_per_date():
    bad = table({"date": "2024-01-01"}, {"date": "2024-01-01"})
    assert any(f.startswith("2024-01-01: date field_uniqueness") for f in failures(bad))


def test_unknown_flags_and_pm10_rules():
    bad = table(
        {"date": "2024-01-01", "flags": "ta_max:guessed"},
        {"date": "2024-01-02", "pm10_min": NAN},
        {"date": "2024-01-03", "pm10_n_valid": 0.0},
        {"date": "2007-05-01", "flags": ""},
        {
            "date": "2007-05-02",
            "pm10_avg": NAN,
            "pm10_max": NAN,
            "pm10_min": NAN,
            "pm10_n_valid": NAN,
            "flags": "pm10:not_collected",
        },
    )
    found = failures(bad)
    assert "2024-01-01: flags known_flags (found 'ta_max:guessed')" in found
    assert any(f.startswith("2024-01-02: PM10 values all present or all empty") for f in found)
    assert any(f.startswith("2024-01-03: PM10 values need kept readings") for f in found)
    assert any(f.startswith("2007-05-01: no PM10 before 2008-04-28") for f in found)
    assert any(f.startswith("2007-05-02: no PM10 before 2008-04-28") for f in found)


def test_the_error_message_lists_days_and_rules():
    bad = table({"date": "2024-03-05", "ta_avg": 20.0})
    with pytest.raises(CleanTableInvalid, match=r"2024-03-05: ta_min <= ta_avg <= ta_max"):
        validate_clean_days(bad)


def test_extra_or_missing_columns_are_refused():
    with pytest.raises(CleanTableInvalid, match="column_in_schema|column_in_dataframe"):
        validate_clean_days(table({"date": "2024-01-01"}).drop(columns="flags"))


# -- the weather elements -------------------------------------------------------------------------

# A written day with every element (the ordinary winter day of conftest, components included).
WEATHER_DAY = {
    **{name: value for name, value in ORDINARY_WEATHER.items() if value == value},
    "rn_day": 0.0,
    "sd_new": 0.0,
    "sd_max": 0.0,
    "ws_max_u": 5.3,
    "ws_max_v": 0.0,
    "ta_avg": 0.0,
    "ta_max": 4.0,
    "ta_min": -4.0,
}


# Out-of-range values that break no relation as well (an element's high + 1 otherwise), and the
# partner left empty where any value of a pair's member would break the other one too.
BREAKING_ALONE = {
    "ws_avg": {"ws_avg": -1.0},  # above 75 it would pass ws_max
    "ws_max": {"ws_max": 76.0, "wd_max": 360.0, "ws_max_u": 0.0, "ws_max_v": -76.0},
    "wd_max": {"wd_max": 361.0, "ws_max": 0.0, "ws_max_u": 0.0, "ws_max_v": 0.0, "ws_avg": 0.0},
    "hm_min": {"hm_min": -1.0},
    "td_avg": {"td_avg": -61.0},
    "ps_avg": {"ps_avg": 869.0, "ps_min": NAN},
    "ps_min": {"ps_min": 869.0},
    "ss_day": {"ss_day": -1.0},
    "ps_min <= ps_max": {"ps_min": 1032.0, "ps_avg": NAN},  # with the mean, two rules break
}


def breaking(rule) -> dict:
    """Values of a day that break ``rule`` (and no other rule)."""
    if rule.reason == "implausible":
        [column] = rule.removes
        return BREAKING_ALONE.get(column, {column: BY_NAME[column].high + 1})
    lower, upper = rule.reads
    return BREAKING_ALONE.get(rule.name, {lower: WEATHER_DAY[upper] + 1.0})


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_weather_rule_holds_for_what_is_written(rule):
    good = table({"date": "2024-01-03", **WEATHER_DAY})
    assert validate_clean_days(good) is not None
    found = failures(table({"date": "2024-01-03", **WEATHER_DAY, **breaking(rule)}))
    assert [f.split(" (")[0] for f in found] == [f"2024-01-03: {rule.name}"], found


def test_the_wind_components_and_the_source_are_checked():
    found = failures(
        table(
            {"date": "2024-01-03", **WEATHER_DAY, "ws_max_u": -5.3},  # toward the west: wrong
            {"date": "2024-01-04", **WEATHER_DAY, "ws_max_u": NAN, "ws_max_v": NAN},
            {"date": "2024-01-05", **WEATHER_DAY, "source": "guess"},
            {"date": "2024-01-06", **WEATHER_DAY, "ws_max": NAN, "ws_max_u": NAN, "ws_max_v": NAN},
            {"date": "2024-01-07", "source": ""},
        )
    )
    assert found == [
        "2024-01-03: ws_max_u, ws_max_v are the components of ws_max from wd_max "
        "(ws_max=5.3, wd_max=270, ws_max_u=-5.3, ws_max_v=0)",
        "2024-01-04: ws_max_u, ws_max_v are the components of ws_max from wd_max "
        "(ws_max=5.3, wd_max=270, ws_max_u=empty, ws_max_v=empty)",
        "2024-01-05: source isin(['kma', 'emulator-synthetic', 'emulator-observed', "
        "'portal-import', '']) (found 'guess')",
    ]


@pytest.fixture(scope="module")
def seoul_record(shared_data) -> pd.DataFrame:
    record = pd.read_csv(shared_data / "seoul_asos_daily.csv", parse_dates=["date"])
    return record.set_index("date").assign(source="kma")


def test_the_real_record_read_through_the_rules_passes_the_schema(seoul_record):
    """seoul_asos_daily.csv as raw ASOS rows, 1907-2018: cleaned, then validated (nothing
    raises), and the values the rules removed are the record's few impossible ones."""
    no_readings = pd.DataFrame({"time": pd.DatetimeIndex([]), "pm10": []})
    cleaned = clean_day_table(
        seoul_record,
        seoul_record.index,
        no_readings,
        pd.DatetimeIndex([]),
        date(1907, 10, 1),
        date(2018, 12, 31),
    )
    assert len(cleaned) == 40_635 and validate_clean_days(cleaned) is not None
    flags = cleaned["flags"].str.split(";").explode()
    removed = flags[flags.str.endswith((":implausible", ":inconsistent", ":sentinel"))]
    assert removed.value_counts().to_dict() == {
        "ws_avg:inconsistent": 180,  # ws_avg > ws_max, 1907-1949
        "ws_max:inconsistent": 180,
        "ps_avg:inconsistent": 3,
        "ps_max:inconsistent": 2,
        "ps_min:inconsistent": 1,
        "ts_avg:implausible": 1,
        "te_05:implausible": 1,
        "te_15:implausible": 1,
        # times that are no time of day: 2454, 2410 ..., 1570, 490 (minutes >= 60), 1942-1977
        "ta_max_tm:implausible": 2,
        "ta_min_tm:implausible": 7,
        "ws_max_tm:implausible": 1,
        "ps_max_tm:implausible": 1,
        "ps_min_tm:implausible": 1,
    }
    by_day = cleaned.set_index("date")
    assert np.isnan(by_day.at[pd.Timestamp("1942-12-02"), "ta_min_tm"])  # 2454 in the record
    assert "ta_min_tm:implausible" in by_day.at[pd.Timestamp("1942-12-02"), "flags"]
    assert by_day.at[pd.Timestamp("2018-08-01"), "ta_max_tm"] == 1536
    assert by_day.at[pd.Timestamp("1957-08-24"), "flags"] == (
        "te_05:implausible;te_05:missing;"
        "ps_max_tm:missing;ps_min_tm:missing"  # the pressure times are read daily from 1962
    )
    assert by_day.at[pd.Timestamp("2016-07-20"), "flags"] == (
        "pm10:not_collected;"  # no readings were given
        "ps_avg:inconsistent;ps_avg:missing;ps_max:inconsistent;ps_max:missing"
    )


def test_each_elements_first_day_is_the_records_first_value(seoul_record):
    for element in ELEMENTS:
        first = seoul_record[element.name].first_valid_index()
        assert first.date() == element.first_day, element.name


def _observed_month_by_month(series: pd.Series) -> pd.Series:
    """Share of each month's days with a value, the Korean War gap's months left out."""
    outside_war = ~((series.index >= "1950-06-25") & (series.index <= "1953-12-31"))
    kept = series[outside_war]
    return kept.notna().groupby(kept.index.to_period("M")).mean()


def test_each_element_is_expected_from_the_day_its_record_turns_daily(seoul_record):
    """``expected_from`` (what the per-element checks count missing days from) is the first day
    from which every month of the next two years is at least half observed: the pressure times'
    1908-1961 readings (a day or two a year) do not make 18,000 days "missing"."""
    later_than_first = set()
    for element in ELEMENTS:
        if element.kind == "amount":  # a blank rain or snow cell is a day without any
            continue
        months = _observed_month_by_month(seoul_record[element.name])
        start = pd.Timestamp(element.expected_from).to_period("M")
        assert (months[start:].iloc[:24] >= 0.5).all(), element.name
        if element.daily_from is not None:
            later_than_first.add(element.name)
            assert element.daily_from > element.first_day, element.name
            month_before = months[:start].iloc[-2]
            assert month_before < 0.5, element.name  # so no earlier month starts two such years
    assert {"ps_min_tm", "ps_max_tm", "ws_max_tm", "hm_min"} <= later_than_first
