import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.evaluation.holdout import score_forecaster
from seoulcast_assets.ml.families.baselines import (
    ClimatologyWithTrend,
    LaggedAnomalyLinear,
    Persistence,
)
from seoulcast_assets.ml.families.interface import FORECAST_COLUMNS
from seoulcast_assets.ml.inputs.variables import QUANTILE_COLUMNS, TARGETS

CUT = "2012-12-31"


@pytest.fixture(scope="module")
def fitted(recent_history):
    return {
        "persistence": Persistence().fit(recent_history, CUT),
        "climatology": ClimatologyWithTrend().fit(recent_history, CUT),
        "linear": LaggedAnomalyLinear().fit(recent_history, CUT),
    }


def test_forecast_frames_are_complete_and_ordered(fitted, recent_history):
    origins = pd.date_range("2012-12-31", "2013-01-30")
    for model in fitted.values():
        frame = model.predict_many(recent_history, origins)
        assert tuple(frame.columns) == FORECAST_COLUMNS
        assert len(frame) == len(origins) * len(TARGETS) * 7
        values = frame[list(QUANTILE_COLUMNS)].to_numpy()
        assert np.isfinite(values).all()
        assert (np.diff(values, axis=1) >= 0).all()
        assert (frame["date"] - frame["last_observed"]).dt.days.equals(frame["horizon"])
        assert (frame.loc[frame.target == "pm10_avg", "p05"] >= 0).all()


def test_persistence_repeats_the_last_observation(fitted, recent_history):
    forecast = fitted["persistence"].predict(recent_history, "2013-03-10")
    last = recent_history.loc["2013-03-10"]
    for target in TARGETS:
        rows = forecast[forecast.target == target]
        assert rows["p50"].to_numpy() == pytest.approx(last[target], abs=0.5)
        assert len(rows) == 7


def test_climatology_ignores_recent_days(fitted, recent_history):
    shifted = recent_history.copy()
    shifted.loc["2013-01-01":] += 10.0
    a = fitted["climatology"].predict(recent_history, "2013-02-01")
    b = fitted["climatology"].predict(shifted, "2013-02-01")
    pd.testing.assert_frame_equal(a, b)


def test_linear_beats_persistence_and_climatology_where_expected(fitted, recent_history):
    scores = pd.concat(
        [
            score_forecaster(model, recent_history, "2013-01-01", "2013-12-31", name=name)
            for name, model in fitted.items()
        ]
    ).set_index(["model", "target", "horizon"])["mae"]
    for target in ("ta_avg", "ta_min"):
        assert scores["linear", target, 1] < scores["climatology", target, 1]
        assert scores["linear", target, 7] < scores["persistence", target, 7]
        assert scores["linear", target, 1] < scores["persistence", target, 1]
