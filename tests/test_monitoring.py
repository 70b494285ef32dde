"""Forecast scoring and input drift: quiet on normal days, loud on broken inputs."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.inputs.history import load_history
from seoulcast_assets.monitoring import (
    DriftSettings,
    RetrainThresholds,
    input_drift,
    population_stability_index,
    retrain_reasons,
    rolling_mae,
    score_forecasts,
    skill_ratios,
    with_reference_errors,
)


def forecast_document(issue: date, values: dict[str, float]) -> dict:
    days = []
    for lead in range(1, 8):
        day = {"date": (issue + timedelta(days=lead - 1)).isoformat(), "lead_days": lead}
        for target, value in values.items():
            day[target] = {"p10": value - 1, "p50": value + lead * 0.1, "p90": value + 1}
        days.append(day)
    return {"issue_date": issue.isoformat(), "days": days}


def test_forecasts_are_scored_per_target_and_lead_once_observed():
    observations = pd.DataFrame(
        {
            "ta_avg": [10.0, 11.0, np.nan],
            "ta_max": [15.0] * 3,
            "ta_min": [5.0] * 3,
            "pm10_avg": [40.0] * 3,
        },
        index=pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-03"]),
    )
    values = {"ta_avg": 10.0, "ta_max": 15.0, "ta_min": 5.0, "pm10_avg": 40.0}
    documents = [
        forecast_document(date(2024, 5, 1), values),
        forecast_document(date(2024, 5, 2), values),
    ]
    errors = score_forecasts(documents, observations, date(2024, 5, 1), date(2024, 5, 3))
    ta_avg = errors[errors.target == "ta_avg"].set_index(["issue_date", "horizon"])["error"]
    assert ta_avg[(date(2024, 5, 1), 1)] == pytest.approx(0.1)  # forecast 10.1, observed 10
    assert ta_avg[(date(2024, 5, 1), 2)] == pytest.approx(0.8)  # forecast 10.2, observed 11
    assert ta_avg[(date(2024, 5, 2), 1)] == pytest.approx(0.9)  # forecast 10.1, observed 11
    assert len(ta_avg) == 3  # 2024-05-03 has no observation yet
    mae = rolling_mae(errors).set_index(["target", "horizon"])
    assert mae.loc[("ta_avg", 1), "mae"] == pytest.approx(0.5)
    assert mae.loc[("ta_avg", 1), "n"] == 2


def test_skill_is_judged_against_climatology_on_the_same_days():
    # recent: the model's errors are half climatology's; in the backtest they were 0.8 of it
    errors = pd.DataFrame(
        {
            "date": [date(2024, 5, d) for d in (1, 2, 3, 1)],
            "target": ["ta_avg"] * 4,
            "horizon": [1, 1, 1, 2],
            "error": [1.0, 1.0, 1.0, 2.0],
            "reference_error": [2.0, 2.0, 2.0, 4.0],
        }
    )
    backtest = pd.DataFrame(
        {
            "model": ["lstm", "lstm", "climatology", "climatology"],
            "target": ["ta_avg"] * 4,
            "horizon": [1, 2, 1, 2],
            "mae": [1.6, 2.4, 2.0, 3.0],
        }
    )
    [row] = skill_ratios(errors, backtest).to_dict("records")
    # backtest skill weighted by the recent leads (3 at D+1, 1 at D+2): (3*1.6+2.4)/(3*2+3)=0.8
    assert row["backtest_skill"] == pytest.approx(0.8)
    assert row["recent_skill"] == pytest.approx(0.5)
    assert row["ratio"] == pytest.approx(0.625)
    assert row["days"] == 3


def test_reference_errors_are_matched_by_day_target_and_lead():
    errors = pd.DataFrame(
        {
            "issue_date": [date(2024, 5, 1)] * 2,
            "date": [date(2024, 5, 1), date(2024, 5, 2)],
            "target": ["ta_avg", "ta_avg"],
            "horizon": [1, 2],
            "forecast": [10.0, 11.0],
            "observed": [12.0, 12.0],
            "error": [2.0, 1.0],
        }
    )
    reference = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-02"]),
            "target": ["ta_avg"] * 3,
            "horizon": [1, 1, 2],
            "p50": [15.0, 99.0, 14.0],
        }
    )
    matched = with_reference_errors(errors, reference)
    assert list(matched["reference_error"]) == [3.0, 2.0]


def test_psi_is_zero_for_the_same_distribution_and_large_for_a_shift():
    rng = np.random.default_rng(1)
    reference = rng.normal(size=5000)
    assert population_stability_index(reference, rng.normal(size=5000)) < 0.01
    assert population_stability_index(reference, rng.normal(1.0, size=5000)) > 0.5


def test_retrain_reasons_respect_thresholds_and_evidence():
    thresholds = RetrainThresholds(skill_factor=1.5, drift_factor=1.5, min_scored_days=20)
    assert retrain_reasons({"ta_avg": 1.2}, 30, {"ta_avg": 1.1}, thresholds) == []
    assert retrain_reasons({"ta_avg": 3.0}, 10, {}, thresholds) == []  # too little evidence
    [reason] = retrain_reasons({"ta_avg": 1.8}, 30, {"pm10_avg": float("nan")}, thresholds)
    assert reason.startswith("ta_avg forecasts are 1.80x worse against climatology")
    [reason] = retrain_reasons({}, 0, {"pm10_avg": 2.4}, thresholds)
    assert "pm10_avg input drift ratio 2.40" in reason


@pytest.fixture(scope="module")
def seoul(shared_data):
    return load_history(shared_data / "seoul_temp_daily.csv", shared_data / "seoul_pm10_daily.csv")


def drift_ratio_series(history, as_of_days, trained_days_before=7):
    return [
        input_drift(history, as_of - timedelta(days=trained_days_before), as_of).set_index(
            "variable"
        )["ratio"]
        for as_of in as_of_days
    ]


def test_drift_stays_quiet_on_normal_days(seoul):
    """A weekly check over four ordinary years, the model retrained the week before each."""
    days = [d.date() for d in pd.date_range("2015-01-07", "2018-12-26", freq="14D")]
    ratios = pd.DataFrame(drift_ratio_series(seoul, days))
    fired = (ratios > RetrainThresholds().drift_factor).any(axis=1)
    assert fired.mean() <= 0.05, ratios.describe()


def test_drift_fires_on_broken_inputs(seoul):
    as_of = date(2017, 6, 30)
    broken = seoul.copy()
    recent = broken.index > pd.Timestamp(as_of - timedelta(days=60))
    broken.loc[recent, "pm10_avg"] *= 3  # a sensor gain fault
    broken.loc[recent, "ta_min"] = 0.0  # a stuck thermometer
    ratios = input_drift(broken, as_of - timedelta(days=7), as_of).set_index("variable")["ratio"]
    limit = RetrainThresholds().drift_factor
    assert ratios["pm10_avg"] > limit and ratios["ta_min"] > limit
    assert ratios["ta_avg"] <= limit  # untouched variables stay quiet


def test_too_few_recent_days_gives_no_drift_measure(seoul):
    gappy = seoul[seoul.index < pd.Timestamp("2017-05-20")]
    result = input_drift(gappy, date(2017, 5, 1), date(2017, 6, 30), DriftSettings())
    assert result["ratio"].isna().all()
