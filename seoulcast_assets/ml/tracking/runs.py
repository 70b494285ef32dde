"""MLflow tracking of training and evaluation: runs that always end, losses, tables, plots.

The tracking URI is ``MLFLOW_TRACKING_URI`` when set, else a local SQLite file under
``SEOULCAST_HOME`` (see ``seoulcast_assets.config``). Every run is opened by
:func:`training_run`, which ends it ``FINISHED`` when its block completes and ``FAILED`` when the
block raises, so no run is ever left ``RUNNING``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import mlflow
import pandas as pd
import pytorch_lightning as pl
from mlflow.tracking import MlflowClient

from seoulcast_assets.config import mlflow_tracking_uri
from seoulcast_assets.ml.evaluation.metrics import METRICS_COLUMNS

DEFAULT_EXPERIMENT = "seoulcast-forecaster"
EXPERIMENT_DESCRIPTION = (
    "SeoulCast forecaster trainings: one run per lstm_model materialization (or `seoulcast "
    "train`). Each run evaluates the new version and every baseline on the last 365 days "
    "(trained without them), trains on the whole history, logs the pyfunc model and registers "
    "it; the promotion decision is in its tags and promotion_decision.json."
)
NOTE_TAG = "mlflow.note.content"  # what the MLflow UI shows as a description
GIT_COMMIT_TAG = "mlflow.source.git.commit"


def git_commit() -> str | None:
    """The commit of the checkout the code runs from, or None outside a git checkout."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def configure_tracking(tracking_uri: str | None = None) -> str:
    """Point MLflow at ``tracking_uri``, else ``MLFLOW_TRACKING_URI``, else the local default."""
    uri = tracking_uri or mlflow_tracking_uri()
    mlflow.set_tracking_uri(uri)
    return uri


@contextmanager
def training_run(
    experiment: str = DEFAULT_EXPERIMENT,
    run_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    tracking_uri: str | None = None,
) -> Iterator[mlflow.ActiveRun]:
    """An MLflow run that ends FINISHED, or FAILED if the block raises (the error propagates)."""
    configure_tracking(tracking_uri)
    mlflow.set_experiment(experiment)
    mlflow.set_experiment_tag(NOTE_TAG, EXPERIMENT_DESCRIPTION)
    run_tags = dict(tags or {})
    if (commit := git_commit()) is not None:
        run_tags.setdefault(GIT_COMMIT_TAG, commit)
    run = mlflow.start_run(run_name=run_name, tags=run_tags)
    try:
        yield run
    except BaseException:
        mlflow.end_run(status="FAILED")
        raise
    mlflow.end_run(status="FINISHED")


class EpochLossLogger(pl.Callback):
    """Log ``train_loss`` and ``val_loss`` to an MLflow run after every epoch (step = epoch).

    With an ensemble, the first member logs ``train_loss``/``val_loss`` and member ``i >= 1``
    logs ``train_loss_member{i}``/``val_loss_member{i}``.
    """

    def __init__(self, run_id: str | None = None) -> None:
        self.run_id = run_id
        self.member = -1
        self._client = MlflowClient()

    def on_fit_start(self, trainer, pl_module) -> None:
        self.member += 1
        if self.run_id is None:
            active = mlflow.active_run()
            self.run_id = active.info.run_id if active else None

    def on_train_epoch_end(self, trainer, pl_module) -> None:
        if self.run_id is None:
            return
        suffix = "" if self.member == 0 else f"_member{self.member}"
        for name in ("train_loss", "val_loss"):
            value = trainer.callback_metrics.get(name)
            if value is not None:
                self._client.log_metric(
                    self.run_id, f"{name}{suffix}", float(value), step=trainer.current_epoch
                )


def log_model_params(model, spec) -> None:
    """The family, its configuration and what the training saw, as params; a network's best
    losses as metrics."""
    config = model.config.to_dict() if hasattr(model, "config") else dict(spec.params)
    params = {"family": spec.family, **{f"config.{k}": v for k, v in config.items()}}
    report = getattr(model, "report", None)
    if report is None:
        mlflow.log_params({k: str(v)[:500] for k, v in params.items()})
        return
    params.update(
        {
            "trained_through": report.trained_through,
            "train_windows": report.train_windows,
            "validation_windows": report.validation_windows,
        }
    )
    mlflow.log_params({k: str(v) for k, v in params.items()})
    for i, member in enumerate(report.members):
        mlflow.log_metric(f"best_val_loss_member{i}", member["best_val_loss"])
        mlflow.log_metric(f"best_epoch_member{i}", member["best_epoch"])


def log_metrics_table(table: pd.DataFrame, name: str = "backtest") -> None:
    """Log the table as ``<name>/metrics.csv`` and as metrics ``<name>/<model>/<target>/h<h>/…``.

    Also logs ``<name>/<model>/mean_mae_ratio``: the model's MAE relative to persistence,
    averaged over targets and horizons, a unit-free summary to compare runs by.
    """
    table = table[list(METRICS_COLUMNS)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "metrics.csv"
        table.to_csv(path, index=False)
        mlflow.log_artifact(str(path), artifact_path=name)
    metrics = {}
    for row in table.itertuples(index=False):
        for column in ("mae", "rmse", "coverage80", "grade_accuracy"):
            value = getattr(row, column)
            if pd.notna(value):
                metrics[f"{name}/{row.model}/{row.target}/h{row.horizon}/{column}"] = float(value)
    reference = table[table["model"] == "persistence"].set_index(["target", "horizon"])["mae"]
    if not reference.empty:
        for model, rows in table.groupby("model"):
            ratio = rows.set_index(["target", "horizon"])["mae"] / reference
            metrics[f"{name}/{model}/mean_mae_ratio"] = float(ratio.mean())
    mlflow.log_metrics(metrics)


def log_forecast_plot(
    predictions: pd.DataFrame,
    name: str = "forecast_vs_actual.png",
    model: str = "lstm",
    horizon: int = 1,
) -> None:
    """A PNG of forecast (p50 and the p10–p90 band) against the actuals, one panel per target."""
    from seoulcast_assets.ml.tracking.plots import forecast_vs_actual_figure

    figure = forecast_vs_actual_figure(predictions, model=model, horizon=horizon)
    try:
        mlflow.log_figure(figure, f"plots/{name}")
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


def log_json(data, artifact_file: str) -> None:
    mlflow.log_text(json.dumps(data, indent=2, sort_keys=True, default=str), artifact_file)
