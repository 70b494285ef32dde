"""Rendering the clean layer's CSVs and merging year tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from seoulcast_assets.cleaning.elements import WEATHER_COLUMNS
from seoulcast_assets.cleaning.tables import (
    YEAR_COLUMNS,
    format_clean_rows,
    read_year_tables,
    render_day_objects,
    render_year_tables,
)

NAN = np.nan
ORIGINAL_COLUMNS = (*YEAR_COLUMNS[:8], "flags")  # the year table before the weather elements
NO_WEATHER = "," * len(WEATHER_COLUMNS)  # a row's empty weather cells and source, joined


def cleaned(*rows, **weather) -> pd.DataFrame:
    """A cleaned table from rows of the original columns (date, temperatures, PM10, flags);
    ``weather`` gives whole weather columns (and ``source``), the others are empty."""
    frame = pd.DataFrame(list(rows), columns=list(ORIGINAL_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    for column in (*WEATHER_COLUMNS, "source"):
        frame[column] = weather.get(column, [NAN if column != "source" else ""] * len(frame))
    return frame[list(YEAR_COLUMNS)]


def test_values_have_one_decimal_and_each_file_its_own_flags():
    table = cleaned(
        (
            "2024-01-01",
            -0.04,
            3.25,
            -4.0,
            40.0,
            81.0,
            3.0,
            288.0,
            "ta_max:interpolated;pm10:zero_removed;pm10_avg:above_fence",
        ),
    )
    objects = render_day_objects(format_clean_rows(table))
    assert objects["result/temperature/date=2024-01/2024-01-01.csv"] == (
        b"date,ta_avg,ta_max,ta_min,flags\n2024-01-01,0.0,3.2,-4.0,ta_max:interpolated\n"
    )
    assert objects["result/pm10/date=2024-01/2024-01-01.csv"] == (
        b"date,pm10_avg,pm10_max,pm10_min,pm10_n_valid,flags\n"
        b"2024-01-01,40.0,81.0,3.0,288,pm10:zero_removed;pm10_avg:above_fence\n"
    )


def test_year_tables_merge_new_rows_and_keep_the_others_byte_for_byte():
    first = cleaned(
        ("2024-03-01", 1.0, 2.0, 0.0, NAN, NAN, NAN, NAN, ""),
        ("2024-03-03", 3.0, 4.0, 2.0, NAN, NAN, NAN, NAN, ""),
    )
    tables = render_year_tables(format_clean_rows(first), {})
    old = tables["result/daily/year=2024.csv"]
    second = cleaned(("2024-03-02", 2.0, 3.0, 1.0, 50.5, 90.0, 10.0, 250.0, "pm10:spike_removed"))
    merged = render_year_tables(format_clean_rows(second), {2024: old})[
        "result/daily/year=2024.csv"
    ]
    lines = merged.decode().splitlines()
    assert lines == [
        ",".join(YEAR_COLUMNS),
        f"2024-03-01,1.0,2.0,0.0,,,,,{NO_WEATHER},",
        f"2024-03-02,2.0,3.0,1.0,50.5,90.0,10.0,250,{NO_WEATHER},pm10:spike_removed",
        f"2024-03-03,3.0,4.0,2.0,,,,,{NO_WEATHER},",
    ]
    replaced = cleaned(("2024-03-03", 9.0, 9.5, 8.0, NAN, NAN, NAN, NAN, ""))
    again = render_year_tables(format_clean_rows(replaced), {2024: merged})
    typed = read_year_tables(again.values())
    assert list(typed["ta_avg"]) == [1.0, 2.0, 9.0] and typed["date"].is_unique


def test_a_range_over_new_year_writes_both_year_tables():
    table = cleaned(
        ("2023-12-31", 1.0, 2.0, 0.0, 40.0, 50.0, 30.0, 288.0, ""),
        ("2024-01-01", 1.0, 2.0, 0.0, 40.0, 50.0, 30.0, 288.0, ""),
    )
    tables = render_year_tables(format_clean_rows(table), {})
    assert sorted(tables) == ["result/daily/year=2023.csv", "result/daily/year=2024.csv"]
    typed = read_year_tables(tables.values())
    assert typed["pm10_n_valid"].tolist() == [288.0, 288.0]
