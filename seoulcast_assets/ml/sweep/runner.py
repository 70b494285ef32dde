"""The whole sweep: a parent MLflow run, the references, each family's study, the ranked table
and the winner.

Split in three so that Dagster can run the families as parallel steps (``defs/sweep``) and
the CLI in one process (``seoulcast sweep``):

1. :func:`start_sweep` opens the parent run and scores the references (persistence, climatology
   and both linear baselines at their defaults) on the backtest window, once;
2. :func:`run_family` runs one family's study, its trials nested under the parent;
3. :func:`finish_sweep` ranks every configuration, logs the table (CSV, markdown) and a plot on
   the parent, names the winner and ends the parent run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.tracking import MlflowClient

from seoulcast_assets.ml.evaluation.backtest import refit_dates
from seoulcast_assets.ml.families.baselines import BASELINES
from seoulcast_assets.ml.families.catalog import FAMILIES, ModelSpec
from seoulcast_assets.ml.inputs.history import validate_history
from seoulcast_assets.ml.sweep import report
from seoulcast_assets.ml.sweep.choice import ChosenModel
from seoulcast_assets.ml.sweep.objective import (
    REFERENCE,
    BacktestWindow,
    mean_mae_ratio,
    reference_predictions,
    summary_metrics,
)
from seoulcast_assets.ml.sweep.space import DEFAULT_TRIALS
from seoulcast_assets.ml.sweep.study import COMPLETE, TrialResult, run_family_study
from seoulcast_assets.ml.tracking.runs import GIT_COMMIT_TAG, git_commit

SWEEP_EXPERIMENT = "seoulcast-sweeps"
SWEEP_EXPERIMENT_DESCRIPTION = (
    "Model-family sweeps (seoulcast sweep, or the Dagster job model_sweep): one parent run per "
    "sweep holding the ranked table (ranked.csv, ranked.md) and plots/ranked.png, one nested "
    "run per configuration with its parameters (family, window_days, batch_size, ...) and its "
    "walk-forward backtest metrics (mae/<target>/d<h>, coverage80/<target>/d<h>, score = mean "
    "MAE relative to persistence, lower is better), scored on inner years only."
)
HOPELESS_REFERENCE = "linear_all"
"""A trial worse than this baseline on the same folds (by the margin) is pruned."""
REFERENCE_MODELS: tuple[str, ...] = (REFERENCE, "climatology", "linear", HOPELESS_REFERENCE)


@dataclass(frozen=True)
class SweepSettings:
    families: tuple[str, ...] = FAMILIES
    trials: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TRIALS))
    window: BacktestWindow = BacktestWindow()
    fixed: dict[str, dict] = field(default_factory=dict)
    """Per family, parameters set on every trial and not searched (e.g. fewer epochs)."""
    prune_margin: float = 0.03
    timeout_minutes_per_family: float | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = [f for f in self.families if f not in FAMILIES]
        if unknown:
            raise ValueError(f"unknown families {unknown}; use some of {list(FAMILIES)}")

    def trials_of(self, family: str) -> int:
        return int(self.trials.get(family, DEFAULT_TRIALS[family]))


@dataclass(frozen=True)
class References:
    """The reference models scored on the sweep's window (recomputed in seconds, so a family's
    step in another process scores them again rather than receiving them)."""

    persistence: pd.DataFrame
    """Persistence's backtest predictions: every score is relative to them."""
    hopeless_after_fold: dict[pd.Timestamp, float]
    """The all-element linear baseline's score after each refit (the pruning line)."""
    rows: list[dict]
    """A ranked-table row per reference model."""


@dataclass(frozen=True)
class SweepStart:
    """What a family's study needs."""

    parent_run_id: str
    settings: SweepSettings
    references: References


@dataclass(frozen=True)
class SweepOutcome:
    parent_run_id: str
    table: pd.DataFrame
    winner: ChosenModel | None


def score_references(history: pd.DataFrame, window: BacktestWindow) -> References:
    """Persistence, climatology and both linear baselines (defaults) on ``window``."""
    factories = {name: BASELINES[name] for name in REFERENCE_MODELS}
    started = time.monotonic()
    predictions = reference_predictions(validate_history(history), window, factories)
    seconds = time.monotonic() - started
    persistence = predictions[predictions["model"] == REFERENCE]
    rows = []
    for name in factories:
        own = predictions[predictions["model"] == name]
        rows.append({"family": "baseline", "config": name, "state": "reference",
                     "score": mean_mae_ratio(own, persistence), "folds": None,
                     **summary_metrics(own), "seconds": round(seconds / len(factories), 1),
                     "run_id": None, "spec": None, "note": ""})  # fmt: skip
    linear_all = predictions[predictions["model"] == HOPELESS_REFERENCE]
    return References(persistence, _scores_so_far(linear_all, persistence, window), rows)


def start_sweep(
    history: pd.DataFrame,
    settings: SweepSettings,
    experiment: str = SWEEP_EXPERIMENT,
    tags: dict[str, str] | None = None,
) -> SweepStart:
    """Open the parent run (RUNNING until :func:`finish_sweep`), score and log the references."""
    client = MlflowClient()
    experiment_id = _experiment_id(client, experiment)
    parent = client.create_run(
        experiment_id,
        run_name=f"sweep-{time.strftime('%Y%m%d-%H%M%S')}",
        tags={"mlflow.note.content": f"Model sweep, {settings.window.label()}.", **(tags or {})},
    )
    parent_id = parent.info.run_id
    if (commit := git_commit()) is not None:
        client.set_tag(parent_id, GIT_COMMIT_TAG, commit)
    for key, value in {
        "families": ",".join(settings.families),
        "trials": ",".join(f"{f}={settings.trials_of(f)}" for f in settings.families),
        "train_end": settings.window.train_end,
        "test_end": settings.window.test_end,
        "refit": settings.window.refit,
        "prune_margin": settings.prune_margin,
    }.items():
        client.log_param(parent_id, key, value)
    references = score_references(history, settings.window)
    for row in references.rows:
        tags = {"sweep.family": "baseline", "sweep.state": "reference"}
        with mlflow.start_run(
            experiment_id=experiment_id,
            run_name=f"baseline-{row['config']}",
            parent_run_id=parent_id,
            nested=True,
            tags=tags,
        ) as run:
            mlflow.log_params({"family": "baseline", "model": row["config"]})
            mlflow.log_metrics({k: v for k, v in row.items() if _is_metric(k, v)})
        row["run_id"] = run.info.run_id
    return SweepStart(parent_id, settings, references)


def run_family(
    history: pd.DataFrame,
    start: SweepStart,
    family: str,
    on_trial: Callable[[TrialResult], None] | None = None,
) -> list[TrialResult]:
    settings = start.settings
    timeout = settings.timeout_minutes_per_family
    return run_family_study(
        validate_history(history),
        family,
        settings.trials_of(family),
        settings.window,
        start.references.persistence,
        start.references.hopeless_after_fold,
        start.parent_run_id,
        fixed=settings.fixed.get(family),
        prune_margin=settings.prune_margin,
        timeout_seconds=timeout * 60 if timeout else None,
        seed=settings.seed,
        on_trial=on_trial,
    )


def finish_sweep(parent_run_id: str, settings: SweepSettings, rows: Sequence[dict]) -> SweepOutcome:
    """Rank ``rows`` (the references' and every trial's ``TrialResult.row()``), log the table
    and plot on the parent run, name the winner (the best completed trial), end the parent."""
    client = MlflowClient()
    table = report.ranked_table(list(rows))
    completed = table[(table["state"] == COMPLETE) & (table["family"] != "baseline")]
    winner = None
    if not completed.empty:
        best = completed.iloc[0]
        runner_up = completed.iloc[1] if len(completed) > 1 else None
        winner = ChosenModel(
            ModelSpec.from_dict(best["spec"]),
            {
                "sweep_run_id": parent_run_id,
                "trial_run_id": best["run_id"],
                "window": settings.window.label(),
                "score": round(float(best["score"]), 4),
                "score_is": "mean MAE relative to persistence over 4 targets x 7 horizons",
                "runner_up": (
                    {"config": runner_up["config"], "score": round(float(runner_up["score"]), 4)}
                    if runner_up is not None
                    else None
                ),
                "chosen_on": time.strftime("%Y-%m-%d"),
            },
        )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table.drop(columns=["spec"]).to_csv(folder / "ranked.csv", index=False)
        (folder / "ranked.md").write_text(report.markdown(table))
        for name in ("ranked.csv", "ranked.md"):
            client.log_artifact(parent_run_id, str(folder / name))
        fig = report.figure(table)
        try:
            client.log_figure(parent_run_id, fig, "plots/ranked.png")
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)
    if winner is not None:
        client.log_text(parent_run_id, _json(winner.to_dict()), "chosen_model.json")
        client.set_tag(parent_run_id, "sweep.winner", winner.spec.label())
        client.log_metric(parent_run_id, "best_score", winner.chosen_by["score"])
    client.set_terminated(parent_run_id, "FINISHED")
    return SweepOutcome(parent_run_id, table, winner)


def _is_metric(key: str, value) -> bool:
    return (key == "score" or "/" in key) and isinstance(value, float | int) and value == value


def abort_sweep(parent_run_id: str) -> None:
    """End the parent run FAILED (a family's step raised)."""
    MlflowClient().set_terminated(parent_run_id, "FAILED")


def _scores_so_far(
    predictions: pd.DataFrame, persistence: pd.DataFrame, window: BacktestWindow
) -> dict[pd.Timestamp, float]:
    """``{refit_date: score over the folds up to and including it}`` of a model's backtest
    predictions (a fold's forecasts are issued from its refit date until the next)."""
    refits = refit_dates(window.train_end, window.test_end, window.refit)
    out = {}
    for refit, next_refit in zip(refits, [*refits[1:], None], strict=True):
        so_far = predictions
        if next_refit is not None:
            so_far = predictions[predictions["last_observed"] < next_refit]
        out[refit] = mean_mae_ratio(so_far, persistence)
    return out


def _experiment_id(client: MlflowClient, name: str) -> str:
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment.experiment_id
    return client.create_experiment(
        name, tags={"mlflow.note.content": SWEEP_EXPERIMENT_DESCRIPTION}
    )


def _json(data) -> str:
    import json

    return json.dumps(data, indent=2, sort_keys=True, default=list) + "\n"
