import json

import numpy as np
import pandas as pd
import pytest

from seoulcast_assets.ml.evaluation.holdout import score_forecaster
from seoulcast_assets.ml.families.baselines import Persistence
from seoulcast_assets.ml.families.recurrent.forecaster import Forecaster
from seoulcast_assets.ml.inputs.variables import HORIZONS, QUANTILE_COLUMNS, TARGETS

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
    networks = ["config.json", "member-0.pt", "member-1.pt", "metadata.json", "scalers.json"]
    assert [name for name in files if not name.startswith("booster-")] == networks
    metadata = json.loads((tmp_path / "model" / "metadata.json").read_text())
    assert metadata["training"]["trained_through"] == "2012-12-31"
    assert [n["group"] for n in metadata["networks"]] == ["temperature", "pm10"]
    loaded = Forecaster.load(tmp_path / "model")
    days = pd.date_range("2013-03-01", "2013-03-10")
    pd.testing.assert_frame_equal(
        loaded.predict_many(recent_history, days),
        tiny_forecaster.predict_many(recent_history, days),
    )


def test_untrained_forecaster_refuses_to_predict(recent_history):
    with pytest.raises(RuntimeError, match="not been trained"):
        Forecaster(TINY).save("/nonexistent")


def test_a_model_saved_before_network_groups_still_loads(tiny_forecaster, recent_history, tmp_path):
    """Format 1 (one network for every target) is what a registered champion may still be."""
    import torch

    directory = tiny_forecaster.save(tmp_path / "model")
    reference = Forecaster.load(directory)
    for network in reference.networks:
        network.median_gate.fill_(1.0)  # format 1 had no gate: the correction was always on
    metadata = json.loads((directory / "metadata.json").read_text())
    hyperparameters = dict(metadata["networks"][1]["hyperparameters"])
    for added in ("horizon_weights", "learnt_inputs"):
        del hyperparameters[added]
    metadata = {k: v for k, v in metadata.items() if k != "networks"}
    metadata.update(format_version=1, network_hyperparameters=hyperparameters)
    metadata["training"]["members"] = metadata["training"]["members"][1:]
    (directory / "metadata.json").write_text(json.dumps(metadata))
    state = torch.load(directory / "member-1.pt", weights_only=True)
    state["target_weights"] = state.pop("loss_weights")[0]
    for added in ("median_gate", "dynamic_used", "context_used"):
        del state[added]
    torch.save(state, directory / "member-0.pt")
    (directory / "member-1.pt").unlink()

    loaded = Forecaster.load(directory)
    assert loaded.network_groups == ["all"]
    forecast = loaded.predict(recent_history, "2013-07-31")
    assert np.isfinite(forecast[list(QUANTILE_COLUMNS)].to_numpy()).all()
    # the PM10 network, now serving every target, gives the same PM10 forecast as before
    pm10 = reference.predict(recent_history, "2013-07-31").query("target == 'pm10_avg'")
    pd.testing.assert_frame_equal(forecast.query("target == 'pm10_avg'"), pm10)


def test_the_temperature_network_learns_nothing_from_pm10(tiny_forecaster, recent_history):
    """PM10 exists only since 2008: the temperature network's LSTM and correction never see it
    (its linear anchor may), so poisoned PM10 moves its output by exactly the anchor's terms."""
    import torch

    from seoulcast_assets.ml.inputs.features import pm10_input_mask

    network = tiny_forecaster.networks[tiny_forecaster.network_groups.index("temperature")]
    dynamic = torch.randn(5, TINY.lookback, network.hparams.n_dynamic)
    context = torch.randn(5, network.hparams.n_context)
    poisoned_dynamic, poisoned_context = dynamic.clone(), context.clone()
    dynamic_pm10, context_pm10 = (
        torch.from_numpy(m) for m in pm10_input_mask(tiny_forecaster.encoder.dynamic_features)
    )
    poisoned_dynamic[..., dynamic_pm10] = 50.0
    poisoned_context[..., context_pm10] = 50.0
    with torch.no_grad():
        anchor_weight = network.anchor_weight.clone()
        network.anchor_weight.zero_()
        try:
            clean, dirty = network(dynamic, context), network(poisoned_dynamic, poisoned_context)
        finally:
            network.anchor_weight.copy_(anchor_weight)
    torch.testing.assert_close(clean, dirty)
    pm10 = tiny_forecaster.networks[tiny_forecaster.network_groups.index("pm10")]
    with torch.no_grad():
        assert not torch.allclose(pm10(dynamic, context), pm10(poisoned_dynamic, poisoned_context))


def test_the_median_gate_keeps_the_anchor_where_the_correction_did_not_help():
    import torch

    from seoulcast_assets.ml.families.recurrent.network import QuantileNetwork
    from seoulcast_assets.ml.families.recurrent.training import (
        gate_median_correction,
        predict_network,
    )
    from seoulcast_assets.ml.inputs.windows import WindowSet

    horizon, targets, quantiles = 2, 2, (0.1, 0.5, 0.9)
    network = QuantileNetwork(3, 2, targets, horizon, quantiles, hidden_size=4)  # anchor: zeros
    last = network.correction[-1]
    bias = torch.zeros(horizon, targets, len(quantiles))
    bias[0, 0, 1] = 5.0  # a median correction that hurts: the truth there is 0
    bias[1, 0, 1] = 1.0  # one that helps: the truth there is 1
    with torch.no_grad():
        last.weight.zero_()
        last.bias.copy_(bias.flatten())
    n = 20
    truth = np.zeros((n, horizon, targets), dtype=np.float32)
    truth[:, 1, 0] = 1.0
    validation = WindowSet(
        origins=pd.date_range("2010-01-01", periods=n),
        dynamic=np.random.default_rng(0).normal(size=(n, 7, 3)).astype(np.float32),
        context=np.zeros((n, 2), dtype=np.float32),
        targets=truth,
        mask=np.ones_like(truth),
    )
    gate = gate_median_correction(network, validation)
    assert gate == [[0, 0], [1, 0]]  # a correction of 0 is no help either: the anchor stays
    np.testing.assert_array_equal(network.median_gate.numpy(), np.asarray(gate))
    median = predict_network(network, validation.dynamic, validation.context)[..., 1]
    np.testing.assert_allclose(median, truth, atol=1e-6)
