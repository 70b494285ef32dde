"""Every family through the shared interface: built from its spec, fit, forecast, leakage-free,
saved and loaded (and through the registry as a pyfunc) with the same forecasts."""

import mlflow
import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.families.catalog import FAMILIES, ModelSpec, load_model, save_model
from seoulcast_assets.ml.families.interface import FORECAST_COLUMNS, ForecastModel
from seoulcast_assets.ml.inputs.variables import QUANTILE_COLUMNS, TARGETS
from seoulcast_assets.ml.tracking.pyfunc import log_forecaster_model, predictions_to_frame
from seoulcast_assets.ml.tracking.runs import training_run

from .conftest import TINY
from .test_leakage import CUT, ORIGINS, poisoned_after

QUICK_PARAMS = {
    "lstm": {**TINY.to_dict(), "max_epochs": 2},
    "gru": {**TINY.to_dict(), "max_epochs": 2},
    "lightgbm": {"rounds": 40, "training_years": 8, "feature_days": 2},
    "linear": {"lags": 3, "ridge": 10.0},
}
"""Each family small enough to fit on a slice of the real record in seconds."""


def quick(family: str) -> ModelSpec:
    return ModelSpec(family, QUICK_PARAMS[family])


@pytest.fixture(scope="module")
def slices(recent_history):
    clean = recent_history.loc["2002-01-01":"2013-12-31"]
    return clean, poisoned_after(clean, CUT)


@pytest.fixture(scope="module")
def fitted(slices):
    clean, _ = slices
    return {family: quick(family).build().fit(clean, train_end=CUT) for family in FAMILIES}


def test_the_catalog_names_every_family_and_rejects_others():
    assert set(FAMILIES) == {"lstm", "gru", "lightgbm", "linear"}
    with pytest.raises(ValueError, match="unknown model family 'xgb'"):
        ModelSpec("xgb")
    assert ModelSpec("gru").build().config.cell == "gru"
    assert type(ModelSpec("linear", {"all_elements": False}).build()).__name__ == (
        "LaggedAnomalyLinear"
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_forecasts_every_target_and_horizon_with_ordered_quantiles(
    fitted, slices, family
):
    clean, _ = slices
    model = fitted[family]
    assert isinstance(model, ForecastModel) and model.trained_through == CUT
    frame = model.predict_many(clean, ORIGINS)
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    assert len(frame) == len(ORIGINS) * len(TARGETS) * 7
    values = frame[list(QUANTILE_COLUMNS)].to_numpy()
    assert np.isfinite(values).all()
    assert (np.diff(values, axis=1) >= 0).all()
    assert set(model.inputs) >= set(TARGETS)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_fit_with_a_cut_ignores_later_rows(fitted, slices, family):
    clean, poisoned = slices
    again = quick(family).build().fit(poisoned, train_end=CUT)
    pd.testing.assert_frame_equal(
        fitted[family].predict_many(clean, ORIGINS), again.predict_many(poisoned, ORIGINS)
    )
    day = CUT + pd.Timedelta(days=30)
    later_poisoned = poisoned_after(clean, day)
    pd.testing.assert_frame_equal(
        fitted[family].predict(clean, day), fitted[family].predict(later_poisoned, day)
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_saves_and_loads_with_the_same_forecasts(fitted, slices, family, tmp_path):
    clean, _ = slices
    folder = save_model(fitted[family], quick(family), tmp_path / family)
    loaded = load_model(folder)
    pd.testing.assert_frame_equal(
        fitted[family].predict_many(clean, ORIGINS), loaded.predict_many(clean, ORIGINS)
    )


def test_the_tree_family_reads_no_pm10_input_for_temperature(fitted):
    trees = fitted["lightgbm"]
    names = [
        *(f"{f}@{d}" for d in range(trees.config.feature_days)
          for f in trees.encoder.dynamic_features),
        *(f"ctx:{c}" for c in __import__(
            "seoulcast_assets.ml.inputs.features", fromlist=["CONTEXT_FEATURES"]
        ).CONTEXT_FEATURES),
    ]  # fmt: skip
    temperature = [n for n, keep in zip(names, trees._columns("ta_avg"), strict=True) if keep]
    pm10 = [n for n, keep in zip(names, trees._columns("pm10_avg"), strict=True) if keep]
    assert not any("pm10" in n for n in temperature)
    assert any("pm10" in n for n in pm10) and len(pm10) > len(temperature)


@pytest.mark.parametrize("family", ["lightgbm", "linear"])
def test_a_non_network_family_through_the_registry_predicts_like_the_object(
    mlflow_tracking, fitted, slices, family
):
    clean, _ = slices
    mlflow.set_tracking_uri(mlflow_tracking.tracking_uri)
    name = f"test-families-{family}"
    with training_run(f"test-families-{family}", tracking_uri=mlflow_tracking.tracking_uri):
        info = log_forecaster_model(
            fitted[family], clean.loc[:CUT], registered_model_name=name, spec=quick(family)
        )
    served = mlflow.pyfunc.load_model(f"models:/{name}/{info.registered_model_version}")
    signature_columns = [c.name for c in served.metadata.get_input_schema().inputs]
    assert signature_columns == ["date", *fitted[family].inputs]
    frame = clean.loc[:CUT].reindex(columns=list(fitted[family].inputs)).reset_index()
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    out = served.predict(frame.iloc[-400:], params={"last_observed_day": str(CUT.date())})
    expected = predictions_to_frame(fitted[family].predict(clean, CUT))
    pd.testing.assert_frame_equal(out.reset_index(drop=True), expected, check_dtype=False)
