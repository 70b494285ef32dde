"""The forecaster with the weather elements: what it reads, the boosted medians, the degraded
path when an element is missing, and models that read none."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from seoulcast_assets.ml.families.recurrent.forecaster import Forecaster
from seoulcast_assets.ml.inputs.variables import QUANTILE_COLUMNS, TARGETS, WEATHER_ELEMENTS

from .conftest import TINY


def test_a_forecaster_reads_every_element_the_history_has(tiny_forecaster):
    assert set(tiny_forecaster.encoder.inputs) == set(WEATHER_ELEMENTS)
    assert tiny_forecaster.inputs == (*TARGETS, *tiny_forecaster.encoder.inputs)
    assert tiny_forecaster.report.boosting_weights  # boosters were fit on D+1..D+3


def test_boosted_medians_blend_where_they_helped_and_move_the_whole_interval(
    tiny_forecaster, recent_history
):
    boosters = tiny_forecaster.boosters
    assert boosters is not None and boosters.boosters  # kept in at least one cell
    weights = boosters.weights
    assert set(np.unique(weights)) <= {0.0, 0.25, 0.5, 0.75, 1.0}
    assert (weights[3:] == 0).all()  # D+4..D+7 are the networks' alone
    with_trees = tiny_forecaster.predict(recent_history, "2013-07-31")
    tiny_forecaster.boosters = None
    try:
        networks_only = tiny_forecaster.predict(recent_history, "2013-07-31")
    finally:
        tiny_forecaster.boosters = boosters
    h, t = next(iter(boosters.boosters))
    rows = (with_trees.horizon == h + 1) & (with_trees.target == TARGETS[t])
    moved = with_trees.loc[rows, "p50"].iloc[0] - networks_only.loc[rows, "p50"].iloc[0]
    assert moved != 0
    untouched = (with_trees.horizon >= 4).to_numpy()
    pd.testing.assert_frame_equal(with_trees[untouched], networks_only[untouched])


def test_a_missing_element_gives_a_degraded_forecast_naming_it(tiny_forecaster, recent_history):
    gappy = recent_history.copy()
    gappy.loc["2013-07-30":"2013-07-31", "hm_avg"] = np.nan
    forecast = tiny_forecaster.predict(gappy, "2013-07-31")
    assert np.isfinite(forecast[list(QUANTILE_COLUMNS)].to_numpy()).all()
    missing = tiny_forecaster.missing_values(gappy, "2013-07-31")
    assert missing == {
        pd.Timestamp("2013-07-30"): ["hm_avg"],
        pd.Timestamp("2013-07-31"): ["hm_avg"],
    }
    assert tiny_forecaster.missing_inputs(gappy, "2013-07-31") == list(missing)
    # and an element that is absent altogether degrades every day of the window
    without = recent_history.drop(columns=["ps_avg"])
    assert len(tiny_forecaster.missing_inputs(without, "2013-07-31")) == TINY.lookback
    assert np.isfinite(tiny_forecaster.predict(without, "2013-07-31")[["p50"]].to_numpy()).all()


def test_a_history_without_elements_trains_the_temperature_and_pm10_model(recent_history):
    targets_only = recent_history[list(TARGETS)]
    forecaster = Forecaster(TINY.replace(boosted_horizons=())).fit(targets_only, "2012-12-31")
    assert forecaster.encoder.inputs == () and forecaster.inputs == TARGETS
    assert forecaster.boosters is None


def test_saved_boosters_load_and_predict_alike(tiny_forecaster, recent_history, tmp_path):
    directory = tiny_forecaster.save(tmp_path / "model")
    metadata = json.loads((directory / "metadata.json").read_text())
    assert metadata["format_version"] == 3
    files = [cell["file"] for cell in metadata["boosting"]["cells"]]
    assert files and all((directory / name).is_file() for name in files)
    loaded = Forecaster.load(directory)
    days = pd.date_range("2013-03-01", "2013-03-10")
    pd.testing.assert_frame_equal(
        loaded.predict_many(recent_history, days),
        tiny_forecaster.predict_many(recent_history, days),
    )


def test_pm10_is_held_out_on_its_own_slice_and_the_temperatures_do_not_depend_on_it(
    tiny_forecaster, recent_history
):
    from seoulcast_assets.ml.families.recurrent.forecaster import train_forecaster

    one_slice = train_forecaster(
        recent_history, TINY.replace(pm10_validation_days=None), train_end="2012-12-31"
    )
    served = {m["group"]: m for m in tiny_forecaster.report.members}
    single = {m["group"]: m for m in one_slice.report.members}
    temperature_cells = np.s_[:, : len(TARGETS) - 1]  # the gate's PM10 column is not read

    def unread_dropped(member: dict) -> dict:
        gate = np.asarray(member["median_gate"])[temperature_cells]
        return {**member, "median_gate": gate.tolist()}

    assert unread_dropped(single["temperature"]) == unread_dropped(served["temperature"])
    assert (served["pm10"]["validation_days"], single["pm10"]["validation_days"]) == (730, 365)
    assert served["pm10"]["validation_windows"] > 1.9 * single["pm10"]["validation_windows"]
    assert served["pm10"]["train_windows"] < single["pm10"]["train_windows"]

    before = one_slice.predict(recent_history, "2013-07-31").set_index(["target", "horizon"])
    after = tiny_forecaster.predict(recent_history, "2013-07-31").set_index(["target", "horizon"])
    temperatures = before.index.get_level_values("target") != "pm10_avg"
    pd.testing.assert_frame_equal(after[temperatures], before[temperatures])
    assert not np.allclose(after.loc["pm10_avg", "p50"], before.loc["pm10_avg", "p50"])


def test_a_pm10_record_too_short_for_its_own_slice_is_held_out_on_the_usual_one(recent_history):
    from seoulcast_assets.ml.families.recurrent.forecaster import train_forecaster

    history = recent_history.loc["2006-01-01":].copy()
    history.loc[:"2011-06-30", "pm10_avg"] = np.nan  # 18 months of PM10 before 2013
    quick = TINY.replace(training_years=6, max_epochs=1, boosting_rounds=10)
    model = train_forecaster(history, quick, train_end="2012-12-31")
    days = {m["group"]: m["validation_days"] for m in model.report.members}
    assert days == {"temperature": 365, "pm10": 365}
