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


def test_the_weather_file_has_the_elements_their_source_and_only_their_flags():
    weather = {column: [NAN] for column in WEATHER_COLUMNS}
    weather.update(ws_max=[5.34], wd_max=[270.0], ws_max_u=[5.3], ws_max_v=[-0.0], si_day=[9.405])
    weather.update(rn_day=[0.0], hm_min=[NAN], source=["emulator-observed"])
    weather.update(ta_max_tm=[1530.0], ta_min_tm=[704.0], ps_max_tm=[0.0], ps_min_tm=[2400.0])
    flags = "ta_max:interpolated;pm10:zero_removed;hm_min:missing;weather:no_observation"
    table = cleaned(("2024-01-01", 1.0, 3.0, -4.0, 40.0, 81.0, 3.0, 288.0, flags), **weather)
    objects = render_day_objects(format_clean_rows(table))
    header, row = objects["result/weather/date=2024-01/2024-01-01.csv"].decode().splitlines()
    assert header.split(",") == ["date", *WEATHER_COLUMNS, "source", "flags"]
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert (cells["ws_max"], cells["wd_max"], cells["ws_max_u"], cells["ws_max_v"]) == (
        "5.3",
        "270.0",
        "5.3",
        "0.0",  # never -0.0
    )
    assert (cells["si_day"], cells["rn_day"], cells["hm_min"], cells["hm_avg"]) == (
        "9.40",  # two decimals, as KMA prints radiation (9.405 is 9.404999... in binary)
        "0.0",
        "",
        "",
    )
    times = [cells[name] for name in WEATHER_COLUMNS[-6:]]
    assert times == ["1530", "704", "", "", "0", "2400"]  # KMA's hhmi, no decimals
    assert cells["source"] == "emulator-observed"
    assert cells["flags"] == "hm_min:missing;weather:no_observation"
    temperature = objects["result/temperature/date=2024-01/2024-01-01.csv"].decode()
    assert temperature.endswith(",ta_max:interpolated\n")  # no weather flag in it
    assert (
        objects["result/pm10/date=2024-01/2024-01-01.csv"].decode().endswith(",pm10:zero_removed\n")
    )


def test_a_year_table_from_before_the_weather_elements_still_reads_and_merges():
    old = (
        b"date,ta_avg,ta_max,ta_min,pm10_avg,pm10_max,pm10_min,pm10_n_valid,flags\n"
        b"2024-03-01,1.0,2.0,0.0,40.0,50.0,30.0,288,\n"
    )
    typed = read_year_tables([old])
    assert list(typed.columns) == list(YEAR_COLUMNS)
    assert typed[list(WEATHER_COLUMNS)].isna().all().all()
    assert typed["source"].tolist() == [""] and typed["flags"].tolist() == [""]
    assert typed["ws_avg"].dtype == float and typed["pm10_avg"].tolist() == [40.0]

    new = cleaned(
        ("2024-03-02", 2.0, 3.0, 1.0, NAN, NAN, NAN, NAN, ""),
        ws_avg=[2.5],
        source=["kma"],
    )
    merged = render_year_tables(format_clean_rows(new), {2024: old})["result/daily/year=2024.csv"]
    lines = merged.decode().splitlines()
    assert lines[0] == ",".join(YEAR_COLUMNS)  # the table now has every column
    assert lines[1] == f"2024-03-01,1.0,2.0,0.0,40.0,50.0,30.0,288,{NO_WEATHER},"
    both = read_year_tables([merged])
    assert both["ws_avg"].tolist()[1] == 2.5 and both["source"].tolist() == ["", "kma"]
