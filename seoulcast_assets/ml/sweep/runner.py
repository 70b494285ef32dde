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
from seoulcast_assets.ml.families.catalog import FAMILIES
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
class SweepStart:
    """What every family's step needs (picklable, passed between Dagster steps)."""

    parent_run_id: str
    settings: SweepSettings
    reference: pd.DataFrame
    """Backtest predictions of the reference models (persistence first)."""
    hopeless_after_fold: dict[pd.Timestamp, float]
    reference_rows: list[dict]


@dataclass(frozen=True)
class SweepOutcome:
    parent_run_id: str
    table: pd.DataFrame
    winner: ChosenModel | None


def start_sweep(
    history: pd.DataFrame,
    settings: SweepSettings,
    experiment: str = SWEEP_EXPERIMENT,
    tags: dict[str, str] | None = None,
) -> SweepStart:
    history = validate_history(history)
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
    factories = {name: BASELINES[name] for name in (REFERENCE, "climatology", "linear",
                                                    HOPELESS_REFERENCE)}  # fmt: skip
    started = time.monotonic()
    reference = reference_predictions(history, settings.window, factories)
    seconds = time.monotonic() - started
    persistence = reference[reference["model"] == REFERENCE]
    rows = []
    for name in factories:
        predictions = reference[reference["model"] == name]
        score = mean_mae_ratio(predictions, persistence)
        metrics = summary_metrics(predictions)
        tags = {"sweep.family": "baseline", "sweep.state": "reference"}
        with mlflow.start_run(
            run_name=f"baseline-{name}", parent_run_id=parent_id, nested=True, tags=tags
        ) as run:
            mlflow.log_params({"family": "baseline", "model": name})
            mlflow.log_metrics({**metrics, "score": score})
        rows.append({"family": "baseline", "config": name, "state": "reference", "score": score,
                     "folds": None, **metrics, "seconds": round(seconds / len(factories), 1),
                     "run_id": run.info.run_id, "spec": None, "note": ""})  # fmt: skip
    linear_all = reference[reference["model"] == HOPELESS_REFERENCE]
    hopeless = _scores_so_far(linear_all, persistence, settings.window)
    return SweepStart(parent_id, settings, persistence, hopeless, rows)


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
        start.reference,
        start.hopeless_after_fold,
        start.parent_run_id,
        fixed=settings.fixed.get(family),
        prune_margin=settings.prune_margin,
        timeout_seconds=timeout * 60 if timeout else None,
        seed=settings.seed,
        on_trial=on_trial,
    )


def finish_sweep(start: SweepStart, results: Sequence[TrialResult]) -> SweepOutcome:
    client = MlflowClient()
    table = report.ranked_table([*start.reference_rows, *(r.row() for r in results)])
    completed = [r for r in results if r.state == COMPLETE]
    winner = None
    if completed:
        best = min(completed, key=lambda r: r.score)
        runner_up = sorted(completed, key=lambda r: r.score)[1:2]
        winner = ChosenModel(
            best.spec,
            {
                "sweep_run_id": start.parent_run_id,
                "trial_run_id": best.run_id,
                "window": start.settings.window.label(),
                "score": round(best.score, 4),
                "score_is": "mean MAE relative to persistence over 4 targets x 7 horizons",
                "runner_up": (
                    {"config": runner_up[0].spec.label(), "score": round(runner_up[0].score, 4)}
                    if runner_up
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
            client.log_artifact(start.parent_run_id, str(folder / name))
        fig = report.figure(table)
        try:
            client.log_figure(start.parent_run_id, fig, "plots/ranked.png")
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)
    if winner is not None:
        client.log_text(start.parent_run_id, _json(winner.to_dict()), "chosen_model.json")
        client.set_tag(start.parent_run_id, "sweep.winner", winner.spec.label())
        client.log_metric(start.parent_run_id, "best_score", winner.chosen_by["score"])
    client.set_terminated(start.parent_run_id, "FINISHED")
    return SweepOutcome(start.parent_run_id, table, winner)


def abort_sweep(start: SweepStart) -> None:
    """End the parent run FAILED (a family's step raised)."""
    MlflowClient().set_terminated(start.parent_run_id, "FAILED")


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
