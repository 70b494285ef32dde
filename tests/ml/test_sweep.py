"""The model sweep on a real slice against a real MLflow server: the parent and nested runs,
their params and metrics, pruning, the ranked table and the chosen-model file."""

import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from seoulcast_assets.ml.families.catalog import ModelSpec
from seoulcast_assets.ml.sweep.choice import ChosenModel, read_chosen_model, write_chosen_model
from seoulcast_assets.ml.sweep.objective import BacktestWindow, mean_mae_ratio
from seoulcast_assets.ml.sweep.runner import (
    SweepSettings,
    finish_sweep,
    run_family,
    score_references,
    start_sweep,
)
from seoulcast_assets.ml.sweep.study import PRUNED, run_family_study

from .conftest import TINY

WINDOW = BacktestWindow("2011-12-31", "2012-12-31", "yearly")
QUICK_LSTM = {k: v for k, v in TINY.to_dict().items() if k not in {"lookback", "hidden_size",
              "num_layers", "batch_size", "learning_rate"}} | {"max_epochs": 2}  # fmt: skip


@pytest.fixture(scope="module")
def slice_history(recent_history):
    return recent_history.loc["2002-01-01":"2012-12-31"]


@pytest.fixture(scope="module")
def sweep(mlflow_tracking, slice_history):
    """A two-configuration sweep (one LSTM, one linear) on 2002–2012, scored on 2012."""
    mlflow.set_tracking_uri(mlflow_tracking.tracking_uri)
    settings = SweepSettings(
        families=("lstm", "linear"),
        trials={"lstm": 1, "linear": 1},
        window=WINDOW,
        fixed={"lstm": QUICK_LSTM},
    )
    start = start_sweep(slice_history, settings, experiment="test-sweep")
    results = [r for f in settings.families for r in run_family(slice_history, start, f)]
    rows = [*start.references.rows, *(r.row() for r in results)]
    return start, results, finish_sweep(start.parent_run_id, settings, rows)


def test_the_parent_run_holds_the_ranked_table_plot_and_winner(sweep):
    start, results, outcome = sweep
    client = MlflowClient()
    parent = client.get_run(outcome.parent_run_id)
    assert parent.info.status == "FINISHED"
    assert parent.data.params["families"] == "lstm,linear"
    assert parent.data.params["train_end"] == "2011-12-31"
    artifacts = {a.path for a in client.list_artifacts(outcome.parent_run_id)}
    assert {"ranked.csv", "ranked.md", "chosen_model.json", "plots"} <= artifacts
    plots = {a.path for a in client.list_artifacts(outcome.parent_run_id, "plots")}
    assert plots == {"plots/ranked.png"}
    ranked = pd.read_csv(client.download_artifacts(outcome.parent_run_id, "ranked.csv"))
    assert len(ranked) == 4 + 2  # four references, two configurations
    assert list(ranked["rank"]) == list(range(1, 7))
    assert set(ranked["family"]) == {"baseline", "lstm", "linear"}
    scored = ranked[ranked["state"].isin(["complete", "reference"])]["score"]
    assert scored.is_monotonic_increasing
    best = min((r for r in results if r.state == "complete"), key=lambda r: r.score)
    assert outcome.winner.spec == best.spec
    assert parent.data.tags["sweep.winner"] == best.spec.label()
    logged = json.loads(
        Path(client.download_artifacts(outcome.parent_run_id, "chosen_model.json")).read_text()
    )
    assert logged["family"] == best.family
    assert logged["chosen_by"]["sweep_run_id"] == parent.info.run_id


def test_each_configuration_is_a_nested_run_with_params_losses_and_backtest_metrics(sweep):
    start, results, outcome = sweep
    client = MlflowClient()
    children = client.search_runs(
        [client.get_run(outcome.parent_run_id).info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{outcome.parent_run_id}'",
    )
    by_family = {}
    for child in children:
        by_family.setdefault(child.data.tags["sweep.family"], []).append(child)
    assert {f: len(runs) for f, runs in by_family.items()} == {
        "baseline": 4,
        "lstm": 1,
        "linear": 1,
    }
    lstm = by_family["lstm"][0]
    assert lstm.data.params["family"] == "lstm"
    assert lstm.data.params["window_days"] == "14"  # the family's first trial: its defaults
    assert lstm.data.params["batch_size"] == "256" and lstm.data.params["max_epochs"] == "2"
    for child in (lstm, by_family["linear"][0]):
        metrics = child.data.metrics
        for target in ("ta_avg", "ta_max", "ta_min", "pm10_avg"):
            for horizon in range(1, 8):
                assert metrics[f"mae/{target}/d{horizon}"] > 0
        assert 0 < metrics["coverage80/ta_avg/d1"] <= 1
        assert metrics["folds"] == 1 and metrics["seconds"] > 0
        assert child.data.tags["sweep.state"] == "complete"
    losses = client.get_metric_history(lstm.info.run_id, "val_loss")
    assert len(losses) >= 1  # per-epoch losses of the network
    result = next(r for r in results if r.family == "lstm")
    assert result.metrics["mae/ta_avg/d1"] == pytest.approx(lstm.data.metrics["mae/ta_avg/d1"])


def test_the_score_is_the_mae_relative_to_persistence(sweep, slice_history):
    start, _, _ = sweep
    persistence = start.references.persistence
    assert mean_mae_ratio(persistence, persistence) == pytest.approx(1.0)
    rows = {row["config"]: row for row in start.references.rows}
    assert rows["persistence"]["score"] == pytest.approx(1.0)
    assert rows["linear_all"]["score"] < rows["climatology"]["score"] < 1.0


def test_a_hopeless_configuration_is_pruned_after_its_first_fold(slice_history, mlflow_tracking):
    mlflow.set_tracking_uri(mlflow_tracking.tracking_uri)
    mlflow.set_experiment("test-sweep-pruning")
    window = BacktestWindow("2011-12-31", "2012-12-31", "quarterly")  # four folds
    references = score_references(slice_history, window)
    impossible = dict.fromkeys(references.hopeless_after_fold, 0.01)  # nothing beats 1% of it
    results = run_family_study(
        slice_history, "linear", 1, window, references.persistence, impossible, None
    )
    assert [r.state for r in results] == [PRUNED]
    assert results[0].folds == 1 and "linear baseline" in results[0].note


def test_the_chosen_model_file_round_trips_and_rejects_garbage(tmp_path):
    choice = ChosenModel(ModelSpec("lightgbm", {"num_leaves": 31}), {"score": 0.75})
    path = write_chosen_model(choice, tmp_path / "chosen.json")
    assert read_chosen_model(path) == choice
    assert not list(tmp_path.glob("*.partial"))
    (tmp_path / "bad.json").write_text('{"family": "xgb"}')
    with pytest.raises(ValueError, match="bad.json: not a chosen-model file"):
        read_chosen_model(tmp_path / "bad.json")


def test_the_committed_chosen_model_builds():
    choice = read_chosen_model()
    assert choice.spec.build() is not None
    assert choice.chosen_by
