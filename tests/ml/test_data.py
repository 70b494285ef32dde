import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.inputs.history import (
    hhmi_to_hours,
    load_history,
    on_calendar,
    read_asos_elements,
    validate_history,
)
from seoulcast_assets.ml.inputs.variables import TARGETS, WEATHER_ELEMENTS


def test_loader_reads_the_real_record_with_its_known_values(history):
    assert list(history.columns) == [*TARGETS, *WEATHER_ELEMENTS]
    assert history.index.name == "date"
    assert history.index.min() == pd.Timestamp("1907-10-01")
    assert history.index.max() == pd.Timestamp("2018-12-31")
    assert history.loc["1927-12-31", "ta_min"] == pytest.approx(-23.1)
    assert history.loc["2018-08-01", "ta_max"] == pytest.approx(39.6)
    assert np.isnan(history.loc["2017-10-12", "ta_max"])
    assert history["pm10_avg"].first_valid_index() == pd.Timestamp("2008-04-28")


def test_the_korean_war_gap_has_no_temperature_and_becomes_nan_rows_on_the_calendar(history):
    war_gap = history.loc["1950-09-01":"1953-11-30"]
    assert war_gap[list(TARGETS)].isna().all().all()  # only some rain and snow was recorded
    calendar = on_calendar(history)
    assert len(calendar) == (calendar.index[-1] - calendar.index[0]).days + 1
    assert calendar.loc["1950-09-01":"1953-11-30", list(TARGETS)].isna().all().all()
    assert calendar.loc["1953-12-01", "ta_avg"] == history.loc["1953-12-01", "ta_avg"]


def test_validate_history_rejects_duplicates_and_adds_missing_columns():
    frame = pd.DataFrame({"ta_avg": [1.0, 2.0]}, index=pd.to_datetime(["2020-01-01"] * 2))
    with pytest.raises(ValueError):
        validate_history(frame)
    single = validate_history(pd.DataFrame({"ta_avg": [1.0]}, index=pd.to_datetime(["2020-01-01"])))
    assert list(single.columns) == list(TARGETS)
    assert single["pm10_avg"].isna().all()


def test_loader_rejects_duplicated_dates(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("date,ta_avg,ta_max,ta_min\n2020-01-01,1,2,0\n2020-01-01,1,2,0\n")
    with pytest.raises(ValueError, match="duplicated"):
        load_history(path)


def test_asos_elements_as_the_models_read_them(shared_data):
    elements = read_asos_elements(shared_data / "seoul_asos_daily.csv")
    # 2018-12-31: no precipitation (a blank cell), minimum at 07:30, max wind 3.4 m/s from 290°
    day = elements.loc["2018-12-31"]
    assert day["rn_day"] == 0.0 and day["sd_max"] == 0.0
    assert day["ta_min_tm"] == pytest.approx(7.5)
    assert day["ws_max_u"] == pytest.approx(-3.4 * np.sin(np.deg2rad(290)))
    assert day["ws_max_v"] == pytest.approx(-3.4 * np.cos(np.deg2rad(290)))
    # pressure fell: its maximum (1039.7 hPa at 08:53) came before its minimum (1035.3 at 23:44)
    assert day["ps_tendency"] == pytest.approx(-(1039.7 - 1035.3))
    assert elements.loc["2011-07-27", "rn_day"] == pytest.approx(301.5)  # the heavy-rain day


def test_times_of_day_are_hours_and_nonsense_is_missing():
    hours = hhmi_to_hours(pd.Series([704, "0704", 2400, -2335, 2454, 1261, None]))
    assert hours.iloc[0] == pytest.approx(7 + 4 / 60) and hours.iloc[1] == hours.iloc[0]
    assert hours.iloc[2] == 24.0 and hours.iloc[3:].isna().all()
