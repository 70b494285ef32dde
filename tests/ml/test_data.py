import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.data import load_history, on_calendar, validate_history
from seoulcast_assets.ml.variables import TARGETS


def test_loader_reads_the_real_record_with_its_known_values(history):
    assert list(history.columns) == list(TARGETS)
    assert history.index.name == "date"
    assert history.index.min() == pd.Timestamp("1907-10-01")
    assert history.index.max() == pd.Timestamp("2018-12-31")
    assert history.loc["1927-12-31", "ta_min"] == pytest.approx(-23.1)
    assert history.loc["2018-08-01", "ta_max"] == pytest.approx(39.6)
    assert np.isnan(history.loc["2017-10-12", "ta_max"])
    assert history["pm10_avg"].first_valid_index() == pd.Timestamp("2008-04-28")


def test_the_korean_war_gap_is_absent_and_becomes_nan_rows_on_the_calendar(history):
    assert not history.index.isin(pd.date_range("1950-09-01", "1953-11-30")).any()
    calendar = on_calendar(history)
    assert len(calendar) == (calendar.index[-1] - calendar.index[0]).days + 1
    assert calendar.loc["1950-09-01":"1953-11-30"].isna().all().all()
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
