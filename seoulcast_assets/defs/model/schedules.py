"""Retrain every Monday at 04:50 KST, after the night's collection and cleaning."""

import dagster as dg

from seoulcast_assets.defs.model.assets import lstm_model
from seoulcast_assets.kst import KST_NAME

train_model = dg.define_asset_job(
    "train_model",
    selection=[lstm_model],
    tags={"seoulcast/stage": "training"},  # one training at a time (dagster.yaml limits)
    description="Evaluate, retrain, register and decide promotion of the forecaster.",
)

retrain_weekly = dg.ScheduleDefinition(
    name="retrain_weekly",
    job=train_model,
    cron_schedule="50 4 * * 1",
    execution_timezone=KST_NAME,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
