"""MLflow against a real tracking server: runs, per-epoch losses, registry, promotion, pyfunc."""

import mlflow
import numpy as np
import pandas as pd
import pytest
import torch
from mlflow.tracking import MlflowClient

from seoulcast_assets.ml.evaluation import evaluate_holdout, score_forecaster
from seoulcast_assets.ml.forecaster import ForecasterConfig, train_forecaster
from seoulcast_assets.ml.model import QuantileLSTM
from seoulcast_assets.ml.pyfunc import history_to_frame, log_forecaster_model, predictions_to_frame
from seoulcast_assets.ml.registry import (
    CHALLENGER,
    CHAMPION,
    PromotionRule,
    alias_version,
    decide_promotion,
)
from seoulcast_assets.ml.tracking import (
    EpochLossLogger,
    log_forecast_plot,
    log_forecaster_params,
    log_metrics_table,
    training_run,
)
from tests.support.mlflow_server import wait_until_healthy

from .conftest import TINY

pytestmark = pytest.mark.slow

EXPERIMENT = "seoulcast-test"
MODEL = "seoulcast-lstm-test"
HOLDOUT = ("2012-07-01", "2012-12-31")


QUICK = TINY.replace(max_epochs=2)


@pytest.fixture(scope="module")
def server(booting_mlflow_server):
    previous = mlflow.get_tracking_uri()
    wait_until_healthy(booting_mlflow_server)
    mlflow.set_tracking_uri(booting_mlflow_server.tracking_uri)
    yield booting_mlflow_server
    mlflow.set_tracking_uri(previous)


@pytest.fixture(scope="module")
def champion_run(server, recent_history):
    """Train, evaluate on the held-out window, log everything and register version 1."""
    history = recent_history.loc[:"2012-12-31"]
    with training_run(EXPERIMENT, "candidate", tracking_uri=server.tracking_uri) as run:
        evaluation = evaluate_holdout(
            history, *HOLDOUT, config=QUICK, callbacks=[EpochLossLogger()]
        )
        log_forecaster_params(evaluation.forecaster)
        log_metrics_table(evaluation.metrics, "holdout")
        log_forecast_plot(evaluation.predictions)
        info = log_forecaster_model(evaluation.forecaster, history, registered_model_name=MODEL)
    return run.info.run_id, info, evaluation


def test_runs_end_finished_and_log_losses_tables_and_plots(champion_run):
    run_id, _, _ = champion_run
    client = MlflowClient()
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["config.hidden_size"] == str(QUICK.hidden_size)
    train_loss = client.get_metric_history(run_id, "train_loss")
    val_loss = client.get_metric_history(run_id, "val_loss")
    assert len(train_loss) >= 2 and [m.step for m in val_loss] == list(range(len(val_loss)))
    assert "holdout/lstm/ta_avg/h1/mae" in run.data.metrics
    artifacts = {a.path for a in client.list_artifacts(run_id)}
    assert {"holdout", "plots", "model"} <= artifacts or {"holdout", "plots"} <= artifacts
    assert [a.path for a in client.list_artifacts(run_id, "holdout")] == ["holdout/metrics.csv"]
    assert [a.path for a in client.list_artifacts(run_id, "plots")] == [
        "plots/forecast_vs_actual.png"
    ]


def test_a_failing_training_leaves_its_run_failed(server, recent_history):
    broken = ForecasterConfig(training_years=0.01)  # no training windows at all
    with pytest.raises(ValueError, match="need training and validation windows"):
        with training_run(EXPERIMENT, "broken", tracking_uri=server.tracking_uri):
            train_forecaster(recent_history.loc[:"2012-12-31"], broken)
    runs = mlflow.search_runs(experiment_names=[EXPERIMENT], output_format="list")
    assert {r.info.run_name: r.info.status for r in runs}["broken"] == "FAILED"
    assert all(r.info.status in ("FINISHED", "FAILED") for r in runs)


def test_first_version_becomes_champion_and_loads_with_identical_predictions(
    champion_run, recent_history
):
    _, info, evaluation = champion_run
    version = str(info.registered_model_version)
    bootstrap = PromotionRule(min_improvement=-0.5, max_target_regression=0.5)
    decision = decide_promotion(MODEL, version, evaluation.metrics, rule=bootstrap)
    assert decision.promoted, decision.reasons
    assert alias_version(MODEL, CHAMPION) == version
    assert alias_version(MODEL, CHALLENGER) == version
    tags = MlflowClient().get_model_version(MODEL, version).tags
    assert tags["promotion.decision"] == "promoted"

    loaded = mlflow.pyfunc.load_model(f"models:/{MODEL}@champion")
    history = recent_history.loc[:"2012-12-31"]
    recent = history_to_frame(history.iloc[-400:])
    served = loaded.predict(recent)
    expected = predictions_to_frame(evaluation.forecaster.predict(history, "2012-12-31"))
    pd.testing.assert_frame_equal(served, expected)
    # an earlier issue day, given (like every call should be) the 365 days before it
    earlier = loaded.predict(
        history_to_frame(history.loc[:"2012-12-31"].iloc[-500:]),
        params={"last_observed_day": "2012-10-15"},
    )
    assert earlier["date"].min() == "2012-10-16"
    pd.testing.assert_frame_equal(
        earlier, predictions_to_frame(evaluation.forecaster.predict(history, "2012-10-15"))
    )


def test_promotion_refuses_a_worse_model_and_records_why(champion_run, recent_history):
    _, info, evaluation = champion_run
    history = recent_history.loc[:"2012-12-31"]
    champion = evaluation.forecaster
    worse = train_forecaster(history.loc[: HOLDOUT[0]], QUICK.replace(max_epochs=1))
    torch.manual_seed(1)
    worse.networks = [QuantileLSTM(**dict(champion.networks[0].hparams))]  # untrained weights
    holdout = pd.concat([
        score_forecaster(worse, history, *HOLDOUT, name="lstm"),
        evaluation.metrics[evaluation.metrics.model != "lstm"],
    ])  # fmt: skip
    champion_scores = score_forecaster(champion, history, *HOLDOUT)
    with training_run(EXPERIMENT, "worse", tracking_uri=mlflow.get_tracking_uri()):
        worse_info = log_forecaster_model(worse, history, registered_model_name=MODEL)
    version = str(worse_info.registered_model_version)
    decision = decide_promotion(MODEL, version, holdout, champion_metrics=champion_scores)
    assert not decision.promoted
    assert decision.previous_champion == str(info.registered_model_version)
    assert any("champion" in reason for reason in decision.reasons)
    assert not {c.reference: c.beaten for c in decision.comparisons}["champion"]
    assert alias_version(MODEL, CHAMPION) == str(info.registered_model_version)
    assert alias_version(MODEL, CHALLENGER) == version
    tags = MlflowClient().get_model_version(MODEL, version).tags
    assert tags["promotion.decision"] == "rejected"
    assert "champion" in tags["promotion.reason"]
    assert np.isfinite(decision.comparisons[0].mean_ratio)
