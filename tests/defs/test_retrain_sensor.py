"""The retrain sensor fires on high error and on drift, stays quiet on normal days, cools down."""

from __future__ import annotations

import dagster as dg
import pytest

from seoulcast_assets.defs.model.sensors import retrain_when_degraded
from seoulcast_assets.defs.resources import RetrainPolicy, SlackAlerts

NORMAL = {"ta_avg": 1.05, "ta_max": 0.97, "ta_min": 1.12, "pm10_avg": 1.2}
CALM = {"ta_avg": 0.6, "ta_max": 0.9, "ta_min": 0.4, "pm10_avg": 1.1}


def report_monitoring(instance, errors=NORMAL, drift=CALM, scored_days=30):
    metadata = {"scored_days": scored_days}
    metadata.update({f"skill_ratio/{k}": v for k, v in errors.items()})
    metadata.update({f"drift_ratio/{k}": v for k, v in drift.items()})
    instance.report_runless_asset_event(
        dg.AssetMaterialization("model_monitoring", metadata=metadata)
    )
    return instance.fetch_materializations(dg.AssetKey("model_monitoring"), limit=1).records[0]


def evaluate(instance, cursor=None, **policy):
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"retrain_policy": RetrainPolicy(**policy), "slack": SlackAlerts()},
    )
    return retrain_when_degraded(context), context


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_quiet_on_a_normal_day(instance):
    report_monitoring(instance)
    result, _ = evaluate(instance)
    assert not result.run_requests
    assert "within the retrain policy" in result.skip_reason.skip_message


def test_fires_when_forecast_skill_drops(instance):
    record = report_monitoring(instance, errors={**NORMAL, "ta_max": 1.9})
    result, _ = evaluate(instance)
    [request] = result.run_requests
    assert request.run_key == f"retrain-{record.storage_id}"
    assert "ta_max forecasts are 1.90x worse" in request.tags["seoulcast/retrain_reason"]


def test_fires_on_input_drift(instance):
    report_monitoring(instance, drift={**CALM, "pm10_avg": 3.4})
    result, _ = evaluate(instance)
    [request] = result.run_requests
    assert "pm10_avg input drift ratio 3.40" in request.tags["seoulcast/retrain_reason"]


def test_high_error_on_too_few_days_is_not_evidence(instance):
    report_monitoring(instance, errors={**NORMAL, "ta_avg": 3.0}, scored_days=5)
    result, _ = evaluate(instance)
    assert not result.run_requests


def test_each_monitoring_result_is_judged_once(instance):
    report_monitoring(instance, errors={**NORMAL, "ta_avg": 2.0})
    first, _ = evaluate(instance)
    assert first.run_requests
    again, _ = evaluate(instance, cursor=first.cursor)
    assert not again.run_requests
    assert "no new monitoring result" in again.skip_reason.skip_message


def test_cooldown_after_a_recent_model_and_after_a_request(instance):
    instance.report_runless_asset_event(dg.AssetMaterialization("lstm_model"))
    report_monitoring(instance, errors={**NORMAL, "ta_avg": 2.0})
    result, _ = evaluate(instance, cooldown_hours=72)
    assert not result.run_requests
    assert "cooldown 72 h" in result.skip_reason.skip_message

    fired, _ = evaluate(instance, cooldown_hours=0)
    assert fired.run_requests
    report_monitoring(instance, errors={**NORMAL, "ta_avg": 2.2})  # next day, still bad
    result, _ = evaluate(instance, cursor=fired.cursor, cooldown_hours=24)
    assert not result.run_requests  # a retrain was just requested
