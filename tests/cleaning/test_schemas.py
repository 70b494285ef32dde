"""The pandera schema of the cleaned table names the day and the rule of every failure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.cleaning import FLAG_VOCABULARY, CleanTableInvalid, validate_clean_days
from seoulcast_assets.cleaning.elements import WEATHER_COLUMNS
from seoulcast_assets.layout import YEAR_COLUMNS

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
