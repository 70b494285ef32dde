"""``model_monitoring``: how the champion's forecasts have done, and whether its inputs drifted.

Scores every stored forecast whose day has been observed in the last ``SCORE_DAYS`` days
(rolling MAE per target and lead), and a climatology forecast of the same days; the champion's
skill against climatology is compared with the same skill in its backtest
(``model/champion.json``). Also measures input drift since the champion's training cut (see
``seoulcast_assets.monitoring``). The retrain sensor reads this asset's latest metadata; the
sensor, not this asset, decides.
"""

import json
from datetime import timedelta

import dagster as dg
import pandas as pd

from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.forecast.assets import daily_forecast
from seoulcast_assets.defs.partitions import due_daily_by
from seoulcast_assets.defs.resources import ObjectStoreResource, RetrainPolicy
from seoulcast_assets.forecasting import read_forecasts
from seoulcast_assets.history import load_clean_history
from seoulcast_assets.kst import yesterday_kst
from seoulcast_assets.layout import CHAMPION_MODEL_KEY
from seoulcast_assets.ml.families.catalog import ModelSpec
from seoulcast_assets.monitoring import (
    DriftSettings,
    input_drift,
    issue_dates_to_score,
    reference_forecasts,
    retrain_reasons,
    rolling_mae,
    score_forecasts,
    skill_ratios,
    with_reference_errors,
)
from seoulcast_assets.storage import ObjectNotFound

SCORE_DAYS = 30
CLIMATOLOGY_YEARS = 31
"""History the reference climatology is fit on (it uses the last 30 years before the cut)."""


@dg.asset(
    deps=[daily_forecast, clean_daily],
    freshness_policy=due_daily_by(5, 45, timedelta(minutes=45)),
    group_name="monitoring",
    owners=["team:seoulcast-ml"],
    kinds={"python"},
    code_version="1",
)
def model_monitoring(
    context: dg.AssetExecutionContext, store: ObjectStoreResource, retrain_policy: RetrainPolicy
) -> dg.MaterializeResult:
    """Rolling forecast error against the backtest, and input drift, of the current champion."""
    objects = store.open()
    try:
        card = json.loads(objects.get(CHAMPION_MODEL_KEY))
    except ObjectNotFound:
        context.log.info("no champion model card yet: nothing to monitor")
        return dg.MaterializeResult(metadata={"champion_version": "", "scored_days": 0})

    trained_through = pd.Timestamp(card["trained_through"]).date()
    settings = DriftSettings()
    first_needed = trained_through - timedelta(days=round(CLIMATOLOGY_YEARS * 366))
    history = load_clean_history(objects, first_needed, yesterday_kst())
    observed = history.dropna(how="all")
    if observed.empty:
        raise dg.Failure("no cleaned observations to score against")
    as_of = observed.index.max().date()

    first_issue, last_issue = issue_dates_to_score(as_of, SCORE_DAYS)
    documents = read_forecasts(objects, first_issue, last_issue)
    errors = score_forecasts(documents, history, as_of - timedelta(days=SCORE_DAYS - 1), as_of)
    origins = sorted({issue - timedelta(days=1) for issue in errors["issue_date"]})
    climatology = reference_forecasts(history, trained_through, origins)
    errors = with_reference_errors(errors, climatology)
    served = ModelSpec(card.get("family") or "lstm").table_name  # the card's own rows
    ratios = skill_ratios(errors, pd.DataFrame(card["backtest"]), model=served)
    drift = input_drift(history, trained_through, as_of, settings)
    scored_days = int(errors["date"].nunique()) if not errors.empty else 0

    skill_by_target = dict(zip(ratios["target"], ratios["ratio"], strict=True))
    drift_by_variable = {
        row.variable: row.ratio for row in drift.itertuples() if pd.notna(row.ratio)
    }
    reasons = retrain_reasons(
        skill_by_target, scored_days, drift_by_variable, retrain_policy.thresholds()
    )
    context.log.info(
        f"as of {as_of}: {scored_days} days scored, skill ratios {_fmt(skill_by_target)}, "
        f"drift ratios {_fmt(drift_by_variable)}; " + ("; ".join(reasons) or "no retrain needed")
    )
    return dg.MaterializeResult(
        metadata={
            "as_of": as_of.isoformat(),
            "champion_version": str(card["version"]),
            "scored_days": scored_days,
            "forecasts_scored": len(documents),
            "max_skill_ratio": max(skill_by_target.values(), default=0.0),
            "max_drift_ratio": max(drift_by_variable.values(), default=0.0),
            **{f"skill_ratio/{k}": float(v) for k, v in skill_by_target.items()},
            **{f"drift_ratio/{k}": float(v) for k, v in drift_by_variable.items()},
            "retrain_reasons": "; ".join(reasons),
            "skill": dg.MetadataValue.md(ratios.round(3).to_markdown(index=False)),
            "mae": dg.MetadataValue.md(_mae_table(errors)),
            "drift": dg.MetadataValue.md(drift.round(3).to_markdown(index=False)),
        }
    )


def _mae_table(errors: pd.DataFrame) -> str:
    """Recent MAE per target (rows) and lead (columns), as markdown."""
    if errors.empty:
        return "no forecast scored yet"
    mae = rolling_mae(errors).pivot(index="target", columns="horizon", values="mae")
    return mae.round(2).to_markdown()


def _fmt(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in values.items()) or "none"
