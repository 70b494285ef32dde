"""``lstm_model``: train on the whole cleaned history, register, and decide promotion.

A thin wrapper over :func:`seoulcast_assets.ml.lifecycle.retrain_and_promote`, which evaluates
the candidate and every baseline on the most recent held-out year, scores the current champion
on the same days, trains on everything, logs to MLflow, registers a version (alias
``challenger``) and moves ``champion`` only when the candidate beats the champion and all
baselines. A promoted version's card is written to ``model/champion.json`` for the API.
"""

import json
from datetime import timedelta

import dagster as dg
import pandas as pd

from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.resources import MlflowResource, ObjectStoreResource, SlackAlerts
from seoulcast_assets.history import model_history, observations_source, read_clean_table
from seoulcast_assets.kst import now_kst
from seoulcast_assets.layout import CHAMPION_MODEL_KEY


class TrainingConfig(dg.Config):
    holdout_days: int = 365
    """The most recent days held out to decide promotion."""
    max_epochs: int | None = None
    """Override the forecaster's epoch limit (None: its default)."""
    training_years: float | None = None
    """Train on windows from the last N years (None: the forecaster's default)."""
    weather_inputs: list[str] | None = None
    """The weather elements read as inputs (None: the forecaster's default, every one the
    history has; []: temperatures and PM10 only, a much faster training)."""


@dg.asset(
    deps=[clean_daily],
    group_name="model",
    owners=["team:seoulcast-ml"],
    kinds={"pytorch", "mlflow"},
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(days=8)),
    code_version="1",
)
def lstm_model(
    context: dg.AssetExecutionContext,
    config: TrainingConfig,
    store: ObjectStoreResource,
    mlflow: MlflowResource,
    slack: SlackAlerts,
) -> dg.MaterializeResult:
    """The LSTM forecaster of D+1..D+7 (temperature mean/max/min, PM10), in the MLflow registry."""
    from seoulcast_assets.ml.forecaster import ForecasterConfig
    from seoulcast_assets.ml.lifecycle import retrain_and_promote

    objects = store.open()
    table = read_clean_table(objects)
    history = model_history(table)
    if history.empty:
        raise dg.Failure("no cleaned observations in the store: materialize clean_daily first")
    mlflow.configure()
    overrides = {
        k: v
        for k, v in (
            ("max_epochs", config.max_epochs),
            ("training_years", config.training_years),
            ("weather_inputs", config.weather_inputs),
        )
        if v is not None
    }
    outcome = retrain_and_promote(
        history,
        config=ForecasterConfig().replace(**overrides),
        holdout_days=config.holdout_days,
        model_name=mlflow.model_name,
        experiment=mlflow.experiment,
        tracking_uri=mlflow.tracking_uri,
        tags={"dagster_run_id": context.run.run_id},
    )
    decision = outcome.decision
    if decision.promoted:
        card = outcome.model_card(promoted_at=now_kst())
        if source := observations_source(table):
            card["observations_source"] = source
        objects.put(CHAMPION_MODEL_KEY, json.dumps(card, indent=1).encode(), "application/json")
    verdict = "promoted to champion" if decision.promoted else "not promoted"
    slack.post(
        f":robot_face: *{outcome.model_name} v{outcome.version}* trained through "
        f"{outcome.trained_through.date()}: {verdict}. " + "; ".join(decision.reasons),
        context.log,
    )
    context.log.info(decision.summary)
    return dg.MaterializeResult(
        metadata={
            "model_version": outcome.version,
            "mlflow_run_id": outcome.run_id,
            "trained_through": str(outcome.trained_through.date()),
            "promoted": decision.promoted,
            "previous_champion": decision.previous_champion or "",
            "decision": "; ".join(decision.reasons),
            "holdout": dg.MetadataValue.md(_holdout_table(outcome.holdout.metrics)),
            "dagster/row_count": len(history),
        }
    )


def _holdout_table(metrics: pd.DataFrame) -> str:
    """Mean MAE over D+1..D+7 per model and target on the held-out days, as markdown."""
    table = metrics.pivot_table(index="model", columns="target", values="mae", aggfunc="mean")
    return table.round(3).to_markdown()
