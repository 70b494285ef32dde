"""One call for the training asset: evaluate, retrain, log, register and decide promotion.

:func:`retrain_and_promote` runs, inside one MLflow run (ended FINISHED or FAILED):

1. :func:`~seoulcast_assets.ml.evaluation.holdout.evaluate_holdout` on the most recent
   ``holdout_days`` (the candidate configuration and every baseline trained on the days before);
2. the current champion (if any) scored on the same days;
3. the final model trained on the whole history, its per-epoch losses logged;
4. the model logged as a pyfunc and registered as a new version (alias ``challenger``);
5. :func:`~seoulcast_assets.ml.tracking.registry.decide_promotion`, which moves ``champion``
   only if the candidate beats the champion and every baseline on the held-out days.

The champion's scores are computed with the champion as registered: if it was trained on data
that overlaps the held-out days, its scores are optimistic and promotion is harder, never easier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import mlflow
import mlflow.data
import numpy as np
import pandas as pd

from seoulcast_assets.ml.evaluation.holdout import (
    HoldoutEvaluation,
    as_spec,
    evaluate_holdout,
    score_forecaster,
    with_callbacks,
)
from seoulcast_assets.ml.evaluation.metrics import METRICS_COLUMNS
from seoulcast_assets.ml.families.catalog import ModelSpec
from seoulcast_assets.ml.families.interface import ForecastModel
from seoulcast_assets.ml.families.recurrent.forecaster import ForecasterConfig
from seoulcast_assets.ml.inputs.history import validate_history
from seoulcast_assets.ml.tracking.registry import (
    CHAMPION,
    DEFAULT_MODEL_NAME,
    PromotionDecision,
    PromotionRule,
    alias_version,
    decide_promotion,
)
from seoulcast_assets.ml.tracking.runs import (
    DEFAULT_EXPERIMENT,
    NOTE_TAG,
    EpochLossLogger,
    log_forecast_plot,
    log_json,
    log_metrics_table,
    log_model_params,
    training_run,
)


@dataclass(frozen=True)
class RetrainOutcome:
    run_id: str
    model_name: str
    version: str
    trained_through: pd.Timestamp
    holdout: HoldoutEvaluation
    champion_metrics: pd.DataFrame | None
    decision: PromotionDecision
    forecaster: ForecastModel
    spec: ModelSpec | None = None
    """The family and configuration trained (from the chosen-model file by default)."""

    def model_card(self, promoted_at: datetime) -> dict:
        """The ``model/champion.json`` document (docs/object-store.md), for a promoted version."""
        rows = self.holdout.metrics[list(METRICS_COLUMNS)].astype(object)
        rows = rows.where(pd.notna(rows), None)
        return {
            "name": self.model_name,
            "version": self.version,
            "run_id": self.run_id,
            "promoted_at": promoted_at.isoformat(timespec="seconds"),
            "trained_through": str(self.trained_through.date()),
            **({"family": self.spec.family, "config": self.spec.label()} if self.spec else {}),
            "backtest": [
                {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
                for row in rows.to_dict(orient="records")
            ],
        }


def _run_description(history: pd.DataFrame, holdout_start, last_day) -> str:
    inputs = [c for c in history.columns if c not in ("ta_avg", "ta_max", "ta_min", "pm10_avg")]
    return (
        f"Trained on {history.index.min().date()}..{last_day.date()} "
        f"({len(history):,} days; weather elements: {', '.join(inputs) or 'none'}). "
        f"Held out {holdout_start.date()}..{last_day.date()} to compare with the baselines and "
        "the champion; metrics tables holdout.csv and holdout_champion.csv are MAE per target "
        "(°C, PM10 µg/m³) and lead (D+1..D+7)."
    )


MODEL_DESCRIPTION = (
    "SeoulCast's daily forecast of Seoul (ASOS 108): mean, max and min temperature (°C) and "
    "PM10 (µg/m³) for D..D+6 with 80% intervals and PM10 grade probabilities. A pyfunc model: "
    "input the cleaned daily history (columns in the signature), output one row per target and "
    "lead. Alias champion is served by daily_forecast; challenger is the newest version. "
    "Each version's family and configuration (the one the model sweep measured best, "
    "ml/chosen_model.json) are in its run's tags model.family and model.config. "
    "Loading it needs the seoulcast package beside the pinned requirements: pip install "
    "the SeoulCast checkout the run's git commit names (it is not on PyPI), then "
    "mlflow.pyfunc.load_model('models:/<name>@champion')."
)


def describe_registered_model(
    name: str, version: str, trained_through, spec: ModelSpec | None = None
) -> None:
    """Descriptions the MLflow UI shows on the registered model and on the new version."""
    client = mlflow.MlflowClient()
    client.update_registered_model(name, description=MODEL_DESCRIPTION)
    family = f" Family {spec.family} (configuration: the run tag model.config)." if spec else ""
    client.update_model_version(
        name,
        version,
        description=f"Trained through {pd.Timestamp(trained_through).date()}.{family}",
    )


def load_registered_forecaster(name: str, alias: str = CHAMPION) -> ForecastModel:
    """The model (any family) behind ``models:/<name>@<alias>``."""
    model = mlflow.pyfunc.load_model(f"models:/{name}@{alias}")
    return model.unwrap_python_model().forecaster


def retrain_and_promote(
    history: pd.DataFrame,
    model: ModelSpec | ForecasterConfig | None = None,
    holdout_days: int = 365,
    model_name: str = DEFAULT_MODEL_NAME,
    experiment: str = DEFAULT_EXPERIMENT,
    rule: PromotionRule | None = None,
    tracking_uri: str | None = None,
    tags: dict[str, str] | None = None,
    history_source: str | None = None,
) -> RetrainOutcome:
    """Evaluate on the last ``holdout_days``, retrain on everything, register, decide.

    ``model``: the family and configuration to train (default: the chosen-model file,
    ``ml/chosen_model.json``; a ``ForecasterConfig`` is the recurrent forecaster with it).
    ``history_source`` names where the history was read (the store's year tables), for the
    dataset the run records."""
    history = validate_history(history)
    if model is None:
        from seoulcast_assets.ml.sweep.choice import read_chosen_model

        model = read_chosen_model().spec
    spec = as_spec(model)
    last_day = history.index.max()
    holdout_start = last_day - pd.Timedelta(days=holdout_days - 1)
    with training_run(experiment, f"train-through-{last_day.date()}", tags, tracking_uri) as run:
        mlflow.log_params({"holdout_start": str(holdout_start.date()),
                           "holdout_end": str(last_day.date())})  # fmt: skip
        mlflow.set_tag(NOTE_TAG, _run_description(history, holdout_start, last_day))
        mlflow.log_input(
            mlflow.data.from_pandas(
                history.reset_index(), source=history_source,
                name=f"seoulcast-history-through-{last_day.date()}",
            ),
            context="training",
        )  # fmt: skip
        mlflow.set_tags({"model.family": spec.family, "model.config": spec.label()})
        holdout = evaluate_holdout(history, holdout_start, last_day, spec)
        champion_metrics = _champion_scores(model_name, history, holdout_start, last_day)

        forecaster = with_callbacks(spec.build(), [EpochLossLogger()]).fit(history)
        log_model_params(forecaster, spec)
        from seoulcast_assets.ml.tracking.pyfunc import log_forecaster_model

        # the model first: MLflow copies every metric already in the run onto a logged model
        info = log_forecaster_model(
            forecaster, history, registered_model_name=model_name, spec=spec
        )
        version = str(info.registered_model_version)
        describe_registered_model(model_name, version, last_day, spec)
        log_metrics_table(holdout.metrics, "holdout")
        log_forecast_plot(
            holdout.predictions, "holdout_forecast_vs_actual.png", model=holdout.candidate
        )
        if champion_metrics is not None:
            log_metrics_table(champion_metrics, "holdout_champion")
        decision = decide_promotion(
            model_name, version, holdout.metrics, champion_metrics, rule, holdout.candidate
        )
        log_json(decision.to_dict(), "promotion_decision.json")
        mlflow.set_tags({"promotion.decision": "promoted" if decision.promoted else "rejected",
                         "model_version": version})  # fmt: skip
        return RetrainOutcome(
            run_id=run.info.run_id,
            model_name=model_name,
            version=version,
            trained_through=last_day,
            holdout=holdout,
            champion_metrics=champion_metrics,
            decision=decision,
            forecaster=forecaster,
            spec=spec,
        )


def _champion_scores(model_name: str, history, holdout_start, last_day) -> pd.DataFrame | None:
    """The current champion's metrics on the held-out days; None without a champion, or when it
    cannot be loaded (registered by an older SeoulCast whose code has moved): the candidate is
    then compared with the baselines only, and the run says so."""
    if alias_version(model_name, CHAMPION) is None:
        return None
    try:
        champion = load_registered_forecaster(model_name, CHAMPION)
    except Exception as error:  # noqa: BLE001 - any unloadable artifact, reported, not fatal
        mlflow.set_tag("champion.unloadable", f"{type(error).__name__}: {error}"[:500])
        return None
    return score_forecaster(champion, history, holdout_start, last_day)
