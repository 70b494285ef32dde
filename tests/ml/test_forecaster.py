import json

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.baselines import Persistence
from seoulcast_assets.ml.evaluation import score_forecaster
from seoulcast_assets.ml.forecaster import Forecaster
from seoulcast_assets.ml.variables import HORIZONS, QUANTILE_COLUMNS, TARGETS

from .conftest import TINY


def test_tiny_model_beats_persistence_on_tomorrows_mean_temperature(
    tiny_forecaster, recent_history
):
    window = ("2013-01-01", "2013-06-30")
    lstm = score_forecaster(tiny_forecaster, recent_history, *window, name="lstm")
    persistence = score_forecaster(
        Persistence().fit(recent_history, "2012-12-31"), recent_history, *window
    )
    pick = "target == 'ta_avg' and horizon == 1"
    lstm_mae, persistence_mae = lstm.query(pick).mae.item(), persistence.query(pick).mae.item()
    assert lstm_mae < persistence_mae
    assert 0.6 < lstm.query(pick).coverage80.item() < 0.95


def test_predict_gives_one_row_per_target_and_horizon(tiny_forecaster, recent_history):
    forecast = tiny_forecaster.predict(recent_history, "2013-07-31")
    assert len(forecast) == len(TARGETS) * len(HORIZONS)
    assert list(forecast.columns[:3]) == ["target", "horizon", "date"]
    assert set(QUANTILE_COLUMNS) <= set(forecast.columns)
    first = forecast[forecast.horizon == 1]
    assert (first["date"] == pd.Timestamp("2013-08-01")).all()
    values = forecast[list(QUANTILE_COLUMNS)].to_numpy()
    assert np.isfinite(values).all() and (np.diff(values, axis=1) >= 0).all()
    pm10 = forecast[forecast.target == "pm10_avg"]
    probabilities = pm10[["p_good", "p_moderate", "p_bad", "p_very_bad"]].to_numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert pm10["grade"].isin(["good", "moderate", "bad", "very_bad"]).all()
    assert forecast.loc[forecast.target != "pm10_avg", "p_good"].isna().all()
    august = forecast[(forecast.target == "ta_max")]["p50"]
    assert august.between(20, 40).all()  # a sane Seoul August


def test_a_forecast_can_be_issued_despite_missing_recent_days(tiny_forecaster, recent_history):
    gappy = recent_history.drop(pd.date_range("2013-07-29", "2013-07-30"))
    gappy.loc["2013-07-31", "pm10_avg"] = np.nan
    forecast = tiny_forecaster.predict(gappy, "2013-07-31")
    assert np.isfinite(forecast[list(QUANTILE_COLUMNS)].to_numpy()).all()
    assert tiny_forecaster.missing_inputs(gappy, "2013-07-31") == list(
        pd.to_datetime(["2013-07-29", "2013-07-30", "2013-07-31"])
    )
    assert tiny_forecaster.missing_inputs(recent_history, "2013-07-31") == []
    # a day not yet observed at all counts as missing too
    assert tiny_forecaster.missing_inputs(recent_history.loc[:"2013-07-30"], "2013-07-31") == [
        pd.Timestamp("2013-07-31")
    ]


def test_save_and_load_give_the_same_predictions(tiny_forecaster, recent_history, tmp_path):
    tiny_forecaster.save(tmp_path / "model")
    files = sorted(p.name for p in (tmp_path / "model").iterdir())
    assert files == ["config.json", "member-0.pt", "metadata.json", "scalers.json"]
    metadata = json.loads((tmp_path / "model" / "metadata.json").read_text())
    assert metadata["training"]["trained_through"] == "2012-12-31"
    loaded = Forecaster.load(tmp_path / "model")
    days = pd.date_range("2013-03-01", "2013-03-10")
    pd.testing.assert_frame_equal(
        loaded.predict_many(recent_history, days),
        tiny_forecaster.predict_many(recent_history, days),
    )


def test_untrained_forecaster_refuses_to_predict(recent_history):
    with pytest.raises(RuntimeError, match="not been trained"):
        Forecaster(TINY).save("/nonexistent")
