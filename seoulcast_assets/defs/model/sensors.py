"""Ask for a new model when the champion's forecasts lose skill or its inputs drift.

Cheap by design: the sensor only reads the latest ``model_monitoring`` materialization (the
asset does the scoring), keeps a cursor of the last one it judged, and requests at most one
``train_model`` run per monitoring result (run key) and none within the cooldown after the
last model or the last request.
"""

import json
import time

import dagster as dg

from seoulcast_assets.defs.model.schedules import train_model
from seoulcast_assets.defs.resources import RetrainPolicy, SlackAlerts
from seoulcast_assets.monitoring import retrain_reasons

MONITORING = dg.AssetKey("model_monitoring")
MODEL = dg.AssetKey("lstm_model")


def _ratios(metadata: dict, prefix: str) -> dict[str, float]:
    return {
        key.removeprefix(prefix): float(value.value)
        for key, value in metadata.items()
        if key.startswith(prefix)
    }


@dg.sensor(
    job=train_model,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests lstm_model when forecast skill or input drift passes the retrain "
    "policy, with a cooldown.",
)
def retrain_when_degraded(
    context: dg.SensorEvaluationContext, retrain_policy: RetrainPolicy, slack: SlackAlerts
) -> dg.SensorResult:
    cursor = json.loads(context.cursor) if context.cursor else {}
    records = context.instance.fetch_materializations(MONITORING, limit=1).records
    if not records:
        return dg.SensorResult(skip_reason="model_monitoring has not been materialized yet")
    record = records[0]
    if record.storage_id <= cursor.get("storage_id", -1):
        return dg.SensorResult(skip_reason="no new monitoring result since the last evaluation")
    cursor["storage_id"] = record.storage_id

    metadata = record.asset_materialization.metadata
    scored = metadata.get("scored_days")
    reasons = retrain_reasons(
        _ratios(metadata, "skill_ratio/"),
        int(scored.value) if scored is not None else 0,
        _ratios(metadata, "drift_ratio/"),
        retrain_policy.thresholds(),
    )
    if not reasons:
        return dg.SensorResult(
            skip_reason="the champion is within the retrain policy", cursor=json.dumps(cursor)
        )

    cooldown = retrain_policy.cooldown_hours * 3600
    latest_model = context.instance.fetch_materializations(MODEL, limit=1).records
    last_model_at = latest_model[0].timestamp if latest_model else 0.0
    last_change = max(last_model_at, cursor.get("requested_at", 0.0))
    if time.time() - last_change < cooldown:
        hours = (time.time() - last_change) / 3600
        return dg.SensorResult(
            skip_reason=f"would retrain ({'; '.join(reasons)}) but the last model or request "
            f"was {hours:.1f} h ago (cooldown {retrain_policy.cooldown_hours:g} h)",
            cursor=json.dumps(cursor),
        )

    cursor["requested_at"] = time.time()
    slack.post(":repeat: *SeoulCast retrain requested*: " + "; ".join(reasons), context.log)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"retrain-{record.storage_id}",
                tags={"seoulcast/retrain_reason": "; ".join(reasons)[:250]},
            )
        ],
        cursor=json.dumps(cursor),
    )
