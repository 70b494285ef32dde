"""MLflow against a real tracking server: runs, per-epoch losses, registry, promotion, pyfunc."""

import json
from datetime import datetime

import mlflow
import pandas as pd
import pytest
import torch
from mlflow.tracking import MlflowClient

from seoulcast_assets.kst import KST
from seoulcast_assets.ml.evaluation.holdout import score_forecaster
from seoulcast_assets.ml.evaluation.metrics import METRICS_COLUMNS
from seoulcast_assets.ml.families.recurrent.forecaster import ForecasterConfig, train_forecaster
from seoulcast_assets.ml.families.recurrent.network import QuantileNetwork
from seoulcast_assets.ml.tracking.lifecycle import load_registered_forecaster, retrain_and_promote
from seoulcast_assets.ml.tracking.pyfunc import (
    history_to_frame,
    log_forecaster_model,
    predictions_to_frame,
)
from seoulcast_assets.ml.tracking.registry import (
    CHALLENGER,
    CHAMPION,
    PromotionRule,
    alias_version,
    decide_promotion,
)
from seoulcast_assets.ml.tracking.runs import training_run

from .conftest import TINY

pytestmark = pytest.mark.slow

EXPERIMENT = "seoulcast-test"
MODEL = "seoulcast-lstm-test"


QUICK = TINY.replace(max_epochs=2)


@pytest.fixture(scope="module")
def server(mlflow_tracking):
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(mlflow_tracking.tracking_uri)
    yield mlflow_tracking
    mlflow.set_tracking_uri(previous)


@pytest.fixture(scope="module")
def first_outcome(server, recent_history):
    """Evaluate, retrain, log and register version 1 (made champion under a lenient rule:
    the first version only has to be no worse than the baselines by a wide margin)."""
    history = recent_history.loc[:"2012-12-31"]
    bootstrap = PromotionRule(min_improvement=-0.5, max_target_regression=0.5)
    return retrain_and_promote(
        history, QUICK, holdout_days=184, model_name=MODEL, experiment=EXPERIMENT,
        rule=bootstrap, tracking_uri=server.tracking_uri,
    )  # fmt: skip


def test_runs_end_finished_and_log_losses_tables_and_plots(first_outcome):
    client = MlflowClient()
    run = client.get_run(first_outcome.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["config.hidden_size"] == str(QUICK.hidden_size)
    assert run.data.params["holdout_start"] == "2012-07-01"
    train_loss = client.get_metric_history(first_outcome.run_id, "train_loss")
    val_loss = client.get_metric_history(first_outcome.run_id, "val_loss")
    assert len(train_loss) >= 1 and [m.step for m in val_loss] == list(range(len(val_loss)))
    assert "holdout/lstm/ta_avg/h1/mae" in run.data.metrics
    assert "holdout/linear/pm10_avg/h7/coverage80" in run.data.metrics
    artifacts = {a.path for a in client.list_artifacts(first_outcome.run_id)}
    assert {"holdout", "plots", "promotion_decision.json"} <= artifacts
    assert [a.path for a in client.list_artifacts(first_outcome.run_id, "plots")] == [
        "plots/holdout_forecast_vs_actual.png"
    ]


def test_the_experiment_run_and_model_are_described_and_the_run_names_its_data(first_outcome):
    client = MlflowClient()
    run = client.get_run(first_outcome.run_id)
    assert "Held out 2012-07-01..2012-12-31" in run.data.tags["mlflow.note.content"]
    assert len(run.data.tags["mlflow.source.git.commit"]) == 40  # the tests run in a checkout
    experiment = client.get_experiment(run.info.experiment_id)
    assert "one run per lstm_model" in experiment.tags["mlflow.note.content"]
    [dataset] = run.inputs.dataset_inputs
    assert dataset.dataset.name == "seoulcast-history-through-2012-12-31"
    assert [t.value for t in dataset.tags if t.key == "mlflow.data.context"] == ["training"]
    model = client.get_registered_model(MODEL)
    assert "PM10" in model.description and "champion" in model.description
    version = client.get_model_version(MODEL, first_outcome.version)
    assert version.description == (
        "Trained through 2012-12-31. Family lstm (configuration: the run tag model.config)."
    )


def test_a_failing_training_leaves_its_run_failed(server, recent_history):
    broken = ForecasterConfig(training_years=0.01)  # no training windows at all
    with pytest.raises(ValueError, match="need training and validation windows"):
        with training_run(EXPERIMENT, "broken", tracking_uri=server.tracking_uri):
            train_forecaster(recent_history.loc[:"2012-12-31"], broken)
    runs = mlflow.search_runs(experiment_names=[EXPERIMENT], output_format="list")
    assert {r.info.run_name: r.info.status for r in runs}["broken"] == "FAILED"
    assert all(r.info.status in ("FINISHED", "FAILED") for r in runs)


def test_first_version_becomes_champion_and_loads_with_identical_predictions(
    first_outcome, recent_history
):
    version, decision = first_outcome.version, first_outcome.decision
    assert decision.promoted, decision.reasons
    assert decision.previous_champion is None
    assert alias_version(MODEL, CHAMPION) == version
    assert alias_version(MODEL, CHALLENGER) == version
    tags = MlflowClient().get_model_version(MODEL, version).tags
    assert tags["promotion.decision"] == "promoted"

    loaded = mlflow.pyfunc.load_model(f"models:/{MODEL}@champion")
    history = recent_history.loc[:"2012-12-31"]
    served = loaded.predict(history_to_frame(history.iloc[-400:]))
    expected = predictions_to_frame(first_outcome.forecaster.predict(history, "2012-12-31"))
    pd.testing.assert_frame_equal(served, expected)
    # an earlier issue day, given (like every call should be) the 365 days before it
    earlier = loaded.predict(
        history_to_frame(history.iloc[-500:]), params={"last_observed_day": "2012-10-15"}
    )
    assert earlier["date"].min() == "2012-10-16"
    pd.testing.assert_frame_equal(
        earlier, predictions_to_frame(first_outcome.forecaster.predict(history, "2012-10-15"))
    )
    card = first_outcome.model_card(datetime(2013, 1, 1, 5, 12, tzinfo=KST))
    assert card["version"] == version and card["trained_through"] == "2012-12-31"
    assert len(card["backtest"]) == 5 * 4 * 7  # lstm and four baselines
    assert set(card["backtest"][0]) == set(METRICS_COLUMNS)
    json.dumps(card)  # plain JSON types only


def test_promotion_refuses_a_worse_model_and_records_why(first_outcome, recent_history):
    history = recent_history.loc[:"2012-12-31"]
    holdout_start, holdout_end = "2012-07-01", "2012-12-31"
    champion = load_registered_forecaster(MODEL)
    worse = train_forecaster(history.loc[:"2012-06-30"], QUICK.replace(max_epochs=1))
    torch.manual_seed(1)
    worse.networks = [QuantileNetwork(**dict(n.hparams)) for n in champion.networks]  # untrained
    baselines = first_outcome.holdout.metrics
    holdout = pd.concat([
        score_forecaster(worse, history, holdout_start, holdout_end, name="lstm"),
        baselines[baselines.model != "lstm"],
    ])  # fmt: skip
    champion_scores = score_forecaster(champion, history, holdout_start, holdout_end)
    with training_run(EXPERIMENT, "worse", tracking_uri=mlflow.get_tracking_uri()):
        worse_info = log_forecaster_model(worse, history, registered_model_name=MODEL)
    version = str(worse_info.registered_model_version)
    decision = decide_promotion(MODEL, version, holdout, champion_metrics=champion_scores)
    assert not decision.promoted
    assert decision.previous_champion == first_outcome.version
    assert any("champion" in reason for reason in decision.reasons)
    assert not {c.reference: c.beaten for c in decision.comparisons}["champion"]
    assert alias_version(MODEL, CHAMPION) == first_outcome.version
    assert alias_version(MODEL, CHALLENGER) == version
    tags = MlflowClient().get_model_version(MODEL, version).tags
    assert tags["promotion.decision"] == "rejected"
    assert "champion" in tags["promotion.reason"]
    assert json.loads(tags["promotion.details"])["promoted"] is False
