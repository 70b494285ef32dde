"""The forecast document: what the pipeline writes is what the API reads."""

from __future__ import annotations

import json
from datetime import date, datetime

import msgspec
import numpy as np
import pandas as pd
import pytest

from seoulcast_api.forecasts.schemas import ForecastDocument
from seoulcast_assets.forecasting import (
    InputPolicy,
    MissingInputError,
    check_inputs,
    forecast_document,
    summary_text,
)
from seoulcast_assets.kst import KST
from seoulcast_assets.ml.families.interface import forecast_frame, with_grades
from seoulcast_assets.ml.inputs.variables import HORIZONS, QUANTILES, TARGETS

ISSUE = date(2024, 5, 10)


def history(days=60, last=date(2024, 5, 9)) -> pd.DataFrame:
    index = pd.date_range(end=pd.Timestamp(last), periods=days, name="date")
    return pd.DataFrame(
        {"ta_avg": 15.0, "ta_max": 20.0, "ta_min": 10.0, "pm10_avg": 40.0}, index=index
    )


def predictions() -> pd.DataFrame:
    levels = np.asarray(QUANTILES)
    base = {"ta_avg": 15.0, "ta_max": 21.0, "ta_min": 9.0, "pm10_avg": 45.0}
    quantiles = {
        target: np.broadcast_to(
            value + 4 * (levels - 0.5) + np.asarray(HORIZONS)[:, None] * 0.1,
            (1, len(HORIZONS), len(levels)),
        )
        for target, value in base.items()
    }
    frame = forecast_frame(
        pd.DatetimeIndex([pd.Timestamp(ISSUE) - pd.Timedelta(days=1)]), quantiles
    )
    return with_grades(frame).drop(columns=["last_observed"])


MODEL = {"name": "seoulcast-lstm", "version": "3", "alias": "champion", "run_id": "abc"}


def test_complete_inputs_give_a_clean_forecast_the_api_can_read():
    inputs = check_inputs(history(), ISSUE)
    assert not inputs.degraded and inputs.last_date == date(2024, 5, 9)
    document = forecast_document(
        predictions(), ISSUE, datetime(2024, 5, 10, 5, 0, 31, tzinfo=KST), MODEL, inputs
    )
    parsed = msgspec.json.decode(json.dumps(document).encode(), type=ForecastDocument)
    assert len(parsed.days) == 7
    first = document["days"][0]
    assert first["date"] == "2024-05-10" and first["lead_days"] == 1
    assert document["days"][-1]["date"] == "2024-05-16"
    assert first["ta_avg"]["p10"] < first["ta_avg"]["p50"] < first["ta_avg"]["p90"]
    assert first["pm10_grade"] == "moderate"
    probabilities = first["pm10_grade_probabilities"]
    assert set(probabilities) == {"good", "moderate", "bad", "very_bad"}
    assert sum(probabilities.values()) == pytest.approx(1.0, abs=1e-9)
    assert document["issued_at"] == "2024-05-10T05:00:31+09:00"
    assert "2024-05-10" in summary_text(document) and "보통" in summary_text(document)


def test_no_cleaned_row_for_yesterday_is_an_error_not_a_stale_forecast():
    with pytest.raises(MissingInputError, match="2024-05-09"):
        check_inputs(history(last=date(2024, 5, 8)), ISSUE)


def test_a_few_missing_days_give_a_degraded_forecast_that_says_so():
    gappy = history()
    gappy.loc["2024-05-07", "ta_max"] = np.nan
    gappy.loc["2024-05-01":"2024-05-03", "pm10_avg"] = np.nan
    inputs = check_inputs(gappy, ISSUE)
    assert inputs.degraded
    assert inputs.missing_days == [date(2024, 5, d) for d in (1, 2, 3, 7)]
    document = forecast_document(predictions(), ISSUE, datetime.now(KST), MODEL, inputs)
    assert document["degraded"] is True
    assert any("2024-05-07" in w and "temperature" in w for w in document["warnings"])
    assert ":warning: degraded" in summary_text(document)


def test_too_many_missing_days_last_week_is_an_error():
    gappy = history()
    gappy.loc["2024-05-05":"2024-05-08", "ta_avg"] = np.nan
    with pytest.raises(MissingInputError, match="4 of the 7 days"):
        check_inputs(gappy, ISSUE, InputPolicy(max_missing_temperature_last_week=3))


def test_predictions_for_the_wrong_days_are_refused():
    with pytest.raises(ValueError, match="expected 2024-05-11"):
        forecast_document(
            predictions(),
            date(2024, 5, 11),
            datetime.now(KST),
            MODEL,
            check_inputs(history(last=date(2024, 5, 10)), date(2024, 5, 11)),
        )


def test_every_target_is_published():
    document = forecast_document(
        predictions(), ISSUE, datetime.now(KST), MODEL, check_inputs(history(), ISSUE)
    )
    assert all(set(TARGETS) <= set(day) for day in document["days"])


def test_publishing_keeps_the_newest_forecast_latest(local_store):
    from seoulcast_assets.forecasting import publish_forecast, read_forecasts

    def document(issue: date) -> dict:
        inputs = check_inputs(history(last=issue - pd.Timedelta(days=1)), issue)
        frame = predictions()
        frame["date"] = pd.to_datetime(frame["date"]) + pd.Timedelta(days=(issue - ISSUE).days)
        return forecast_document(frame, issue, datetime.now(KST), MODEL, inputs)

    assert publish_forecast(local_store, document(date(2024, 5, 10))) is True
    assert publish_forecast(local_store, document(date(2024, 5, 12))) is True
    assert publish_forecast(local_store, document(date(2024, 5, 11))) is False  # a backfill
    latest = json.loads(local_store.get("forecast/latest.json"))
    assert latest["issue_date"] == "2024-05-12"
    stored = read_forecasts(local_store, date(2024, 5, 11), date(2024, 5, 31))
    assert sorted(d["issue_date"] for d in stored) == ["2024-05-11", "2024-05-12"]


def test_a_missing_weather_element_degrades_the_forecast_and_names_the_element():
    observed = history().assign(hm_avg=60.0, ps_avg=1015.0)
    observed.loc["2024-05-08":"2024-05-09", "hm_avg"] = np.nan
    inputs = check_inputs(observed, ISSUE, elements=("hm_avg", "ps_avg"))
    assert inputs.degraded and inputs.missing_days == [date(2024, 5, 8), date(2024, 5, 9)]
    [warning] = inputs.warnings
    assert warning.startswith("hm_avg missing on 2024-05-08, 2024-05-09")
    assert not check_inputs(observed, ISSUE).degraded  # a model that reads no element
    absent = check_inputs(history(), ISSUE, elements=("ps_avg",))  # never collected at all
    assert absent.degraded and len(absent.missing_days) == InputPolicy().lookback_days
