"""The observations endpoint's reading of the yearly tables, old and new."""

from __future__ import annotations

from datetime import date

import pytest

from seoulcast_api.observations.services import parse_year_table
from seoulcast_assets.layout import YEAR_COLUMNS

ORIGINAL_COLUMNS = ("date", "ta_avg", "ta_max", "ta_min", "pm10_avg", "pm10_max", "pm10_min",
                    "pm10_n_valid", "flags")  # fmt: skip


def test_a_table_written_before_the_weather_elements_is_still_served():
    old = (",".join(ORIGINAL_COLUMNS) + "\n2016-03-01,4.1,9.0,-0.2,51.0,88.0,20.0,288,\n").encode()
    [day] = parse_year_table(old).values()
    assert (day.date, day.ta_max, day.pm10_n_valid, day.flags) == (date(2016, 3, 1), 9.0, 288, [])


def test_todays_table_with_every_element_is_served_alike():
    cells = dict.fromkeys(YEAR_COLUMNS, "")
    cells.update(date="2016-03-01", ta_avg="4.1", ws_avg="2.3", ta_max_tm="1452",
                 flags="hm_min:missing")  # fmt: skip
    raw = (",".join(YEAR_COLUMNS) + "\n" + ",".join(cells.values()) + "\n").encode()
    [day] = parse_year_table(raw).values()
    assert (day.ta_avg, day.ta_max, day.flags) == (4.1, None, ["hm_min:missing"])


def test_a_table_without_a_served_column_is_refused_naming_it():
    raw = b"date,ta_avg,ta_max,ta_min,pm10_avg,pm10_max,pm10_min,flags\n"
    with pytest.raises(ValueError, match=r"missing columns \['pm10_n_valid'\]"):
        parse_year_table(raw)
