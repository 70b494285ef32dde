"""One family's Optuna study: every trial a configuration scored fold by fold, pruned when
hopeless, and logged as a nested MLflow run under the sweep's parent run.

Pruning, after each refit year: a trial stops when its score so far is worse than the
all-element linear baseline's on the same folds by more than ``prune_margin`` (it cannot win
where a ridge regression beats it), or when Optuna's median pruner says it is worse than the
median of the family's earlier trials at that fold. Inside a trial every fit early-stops on
its own held-out year (networks by epoch, trees by round).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import mlflow
import optuna
import pandas as pd
from mlflow.tracking import MlflowClient

from seoulcast_assets.ml.families.catalog import RECURRENT_FAMILIES, ModelSpec
from seoulcast_assets.ml.sweep.objective import BacktestWindow, score_folds, summary_metrics
from seoulcast_assets.ml.sweep.space import START, suggest_spec, window_days
from seoulcast_assets.ml.tracking.runs import EpochLossLogger

PRUNED, COMPLETE, FAILED = "pruned", "complete", "failed"


@dataclass(frozen=True)
class TrialResult:
    family: str
    spec: ModelSpec
    state: str
    score: float
    """Mean MAE relative to persistence (lower is better), over the folds it was scored on."""
    folds: int
    seconds: float
    metrics: dict[str, float] = field(default_factory=dict)
    run_id: str | None = None
    note: str = ""

    def row(self) -> dict:
        return {
            "family": self.family,
            "config": self.spec.label(),
            "state": self.state,
            "score": self.score,
            "folds": self.folds,
            **self.metrics,
            "seconds": round(self.seconds, 1),
            "run_id": self.run_id,
            "spec": self.spec.to_dict(),
            "note": self.note,
        }


def run_family_study(
    history: pd.DataFrame,
    family: str,
    trials: int,
    window: BacktestWindow,
    reference: pd.DataFrame,
    hopeless_after_fold: dict[pd.Timestamp, float],
    parent_run_id: str | None,
    fixed: dict | None = None,
    prune_margin: float = 0.03,
    timeout_seconds: float | None = None,
    seed: int = 0,
    on_trial: Callable[[TrialResult], None] | None = None,
) -> list[TrialResult]:
    """Run ``trials`` configurations of ``family`` (the first its defaults); returns them all.

    ``hopeless_after_fold`` maps each refit date to the all-element linear baseline's score so
    far; ``fixed`` parameters are set on every trial (not searched)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        study_name=f"sweep-{family}",
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=2),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0),
    )
    study.enqueue_trial(START[family])
    results: list[TrialResult] = []

    def objective(trial: optuna.Trial) -> float:
        spec = suggest_spec(family, trial, fixed)
        result = _run_trial(
            history, trial, spec, window, reference, hopeless_after_fold, prune_margin,
            parent_run_id,
        )  # fmt: skip
        results.append(result)
        if on_trial is not None:
            on_trial(result)
        if result.state == FAILED:
            raise ValueError(result.note)
        if result.state == PRUNED:
            raise optuna.TrialPruned(result.note)
        return result.score

    study.optimize(objective, n_trials=trials, timeout=timeout_seconds, catch=(ValueError,))
    return results


def _run_trial(
    history, trial, spec, window, reference, hopeless_after_fold, prune_margin, parent_run_id
) -> TrialResult:
    started = time.monotonic()
    experiment_id = (
        MlflowClient().get_run(parent_run_id).info.experiment_id if parent_run_id else None
    )
    with mlflow.start_run(
        experiment_id=experiment_id,
        run_name=f"{spec.family}-{trial.number}",
        nested=parent_run_id is not None,
        parent_run_id=parent_run_id,
        tags={"sweep.family": spec.family, "sweep.trial": str(trial.number)},
    ) as run:
        mlflow.log_params({"family": spec.family, "window_days": window_days(spec),
                           **{k: _param(v) for k, v in spec.params.items()}})  # fmt: skip
        state, note, score, folds, scored = COMPLETE, "", float("nan"), 0, None
        try:
            for refit_date, score, predictions in score_folds(
                history, spec.family, _builder(spec, run.info.run_id), window, reference
            ):
                folds, scored = folds + 1, predictions
                mlflow.log_metric("score_so_far", score, step=folds)
                trial.report(score, step=folds)
                limit = hopeless_after_fold.get(refit_date)
                if limit is not None and score > limit * (1 + prune_margin):
                    state = PRUNED
                    note = (f"after {refit_date.year + 1}: {score:.4f} vs the all-element "
                            f"linear baseline's {limit:.4f}")  # fmt: skip
                    break
                if trial.should_prune():
                    state, note = PRUNED, f"after fold {folds}: worse than the family's median"
                    break
        except ValueError as error:  # a configuration the data cannot support
            state, note = FAILED, str(error)
        metrics = summary_metrics(scored) if scored is not None else {}
        seconds = time.monotonic() - started
        mlflow.log_metrics({**metrics, "score": score, "seconds": seconds, "folds": folds})
        mlflow.set_tags({"sweep.state": state, **({"sweep.note": note} if note else {})})
        return TrialResult(spec.family, spec, state, score, folds, seconds, metrics,
                           run.info.run_id, note)  # fmt: skip


def _builder(spec: ModelSpec, run_id: str):
    """Builds the trial's model; a network logs its per-epoch losses to the trial's run."""
    if spec.family not in RECURRENT_FAMILIES:
        return spec.build
    logger = EpochLossLogger(run_id)

    def build():
        return spec.build().with_callbacks([logger])

    return build


def _param(value):
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else value
