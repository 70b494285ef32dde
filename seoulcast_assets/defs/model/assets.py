"""``lstm_model``: train on the whole cleaned history, register, and decide promotion.

A thin wrapper over :func:`seoulcast_assets.ml.tracking.lifecycle.retrain_and_promote`, which
evaluates the candidate and every baseline on the most recent held-out year, scores the current
champion on the same days, trains on everything, logs to MLflow, registers a version (alias
``challenger``) and moves ``champion`` only when the candidate beats the champion and all
baselines. A promoted version's card is written to ``model/champion.json`` for the API.
"""

import json
from datetime import date, timedelta

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
    boosting_rounds: int | None = None
    """Override the rounds of each gradient-boosted median (None: the forecaster's default;
    0: no boosted medians)."""
    history_since: str | None = None
    """The first cleaned day (YYYY-MM-DD) the model and the baselines it is judged against learn
    from (None: the whole record; ``seoulcast demo`` trains on the days since 2010-01-01)."""
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
    """The forecaster of D+1..D+7 (temperature mean/max/min, PM10), in the MLflow registry: the
    family and configuration of the chosen-model file (``ml/chosen_model.json``, written by
    ``seoulcast sweep``), trained on the whole cleaned history."""
    from seoulcast_assets.ml.sweep.choice import chosen_model_path, read_chosen_model
    from seoulcast_assets.ml.tracking.lifecycle import retrain_and_promote

    objects = store.open()
    first_day = date.fromisoformat(config.history_since) if config.history_since else None
    table = read_clean_table(objects, first_day)
    history = model_history(table)
    if history.empty:
        raise dg.Failure("no cleaned observations in the store: materialize clean_daily first")
    mlflow.configure()
    try:
        chosen = read_chosen_model()
    except ValueError as error:
        raise dg.Failure(str(error)) from error
    spec, not_applied = chosen.spec.with_applicable(
        max_epochs=config.max_epochs,
        training_years=config.training_years,
        weather_inputs=config.weather_inputs,
        boosting_rounds=config.boosting_rounds,
    )
    context.log.info(f"training {spec.label()} (from {chosen_model_path().name})")
    if not_applied:
        context.log.warning(f"{spec.family} has no {', '.join(not_applied)}: not applied")
    outcome = retrain_and_promote(
        history,
        model=spec,
        holdout_days=config.holdout_days,
        model_name=mlflow.model_name,
        experiment=mlflow.experiment,
        tracking_uri=mlflow.tracking_uri,
        tags={"dagster_run_id": context.run.run_id},
        history_source=store.url,
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
            "family": spec.family,
            "config": spec.label(),
            "mlflow_run_id": outcome.run_id,
            **_run_link(mlflow.tracking_uri, outcome.run_id),
            "trained_through": str(outcome.trained_through.date()),
            "promoted": decision.promoted,
            "previous_champion": decision.previous_champion or "",
            "decision": "; ".join(decision.reasons),
            "holdout_d1_mae": dg.MetadataValue.md(_holdout_table(outcome.holdout.metrics, 1)),
            "holdout_mean_mae": dg.MetadataValue.md(_holdout_table(outcome.holdout.metrics)),
            "dagster/row_count": len(history),
        }
    )


UNITS = {"ta_avg": "°C", "ta_max": "°C", "ta_min": "°C", "pm10_avg": "µg/m³"}


def _holdout_table(metrics: pd.DataFrame, lead: int | None = None) -> str:
    """MAE per model and target on the held-out days, at D+``lead`` or averaged over
    D+1..D+7, as markdown with the lead and the units in its headings."""
    rows = metrics if lead is None else metrics[metrics["horizon"] == lead]
    table = rows.pivot_table(index="model", columns="target", values="mae", aggfunc="mean")
    table = table[[t for t in UNITS if t in table.columns]]
    what = f"D+{lead}" if lead is not None else "D+1..D+7 mean"
    table.columns = [f"{target} {what} MAE ({UNITS[target]})" for target in table.columns]
    return table.round(3).to_markdown()


def _run_link(tracking_uri: str, run_id: str) -> dict:
    """The run's page in the MLflow UI: the tracking server's, or ``MLFLOW_UI_URL`` (the UI the
    demo serves over a local database)."""
    import os

    import mlflow as mlflow_client

    base = tracking_uri if tracking_uri.startswith("http") else os.environ.get("MLFLOW_UI_URL")
    if not base:
        return {}
    experiment_id = mlflow_client.get_run(run_id).info.experiment_id
    url = f"{base.rstrip('/')}/#/experiments/{experiment_id}/runs/{run_id}"
    return {"mlflow_run": dg.MetadataValue.url(url)}
