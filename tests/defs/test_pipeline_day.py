"""One simulated day, end to end in process, on real parts.

The KMA emulator serves Seoul's real observations over HTTP with its clock on the morning of
2018-12-01 (the data end that year); a local object store; a real MLflow tracking server and
registry; Slack through the real slack_sdk client to a recorder. The day: collect D-1 -> clean
-> forecast D..D+6 -> score past forecasts -> a PM10 sensor fault (drift) -> the sensor asks for
a retrain -> the retrain decides promotion.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta

import dagster as dg
import numpy as np
import pytest

from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.collection import collect_asos, collect_pm10
from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.forecast.assets import daily_forecast
from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.model.assets import lstm_model
from seoulcast_assets.defs.model.sensors import retrain_when_degraded
from seoulcast_assets.defs.monitoring.assets import model_monitoring
from seoulcast_assets.defs.resources import (
    KmaResource,
    MlflowResource,
    ObjectStoreResource,
    RetrainPolicy,
    SlackAlerts,
)
from seoulcast_assets.kma import KmaClient
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather, Pm10Day
from seoulcast_assets.kst import KST
from seoulcast_assets.layout import CHAMPION_MODEL_KEY, LATEST_FORECAST_KEY, forecast_key
from tests.defs.conftest import range_tags
from tests.support.slack_recorder import slack_recorder

HISTORY_START = date(2010, 1, 1)  # PM10 from 2008-04 on: nine years give every slice its years
TODAY = date(2018, 12, 1)
TRAINING = {
    "ops": {
        "lstm_model": {"config": {"holdout_days": 365, "max_epochs": 10, "boosting_rounds": 30}}
    }
}


class Pm10GainFault:
    """The emulated station's PM10 sensor reads ``gain`` times too high from ``since`` on."""

    def __init__(self, source, since: date, gain: float):
        self.source, self.since, self.gain = source, since, gain

    def asos_days(self, start, end):
        return self.source.asos_days(start, end)

    def pm10_day(self, day):
        readings = self.source.pm10_day(day)
        if readings is None or day < self.since:
            return readings
        return Pm10Day(readings.slots, np.rint(readings.values * self.gain).astype(np.int64))


@pytest.mark.slow
def test_a_day_of_seoulcast(tmp_path, mlflow_tracking, shared_data):
    tracking = mlflow_tracking
    today = TODAY
    yesterday = today - timedelta(days=1)
    weather = ObservedWeather.from_files(
        temperature_csv=shared_data / "seoul_temp_daily.csv",
        pm10_csv=shared_data / "seoul_pm10_daily.csv",
    )
    clock = lambda: datetime(2018, 12, 1, 4, 0, tzinfo=KST)  # noqa: E731
    store = ObjectStoreResource(url=(tmp_path / "store").as_uri())
    objects = store.open()

    name = f"seoulcast-e2e-{uuid.uuid4().hex[:6]}"
    with slack_recorder() as slack_api, dg.instance_for_test() as instance:
        resources = {
            "store": store,
            "mlflow": MlflowResource(
                tracking_uri=tracking.tracking_uri, experiment=name, model_name=name
            ),
            "slack": SlackAlerts(token="xoxb-e2e", channel="#ops", base_url=slack_api.base_url),
            "retrain_policy": RetrainPolicy(cooldown_hours=0),
        }

        def run(assets, **kwargs):
            result = dg.materialize(assets, resources=resources, instance=instance, **kwargs)
            assert result.success
            return result

        with KmaEmulator(weather, clock=clock).running() as emulator:
            resources["kma"] = KmaResource(base_url=emulator.base_url)
            # Years of history already in the store (as after a bootstrap), up to two months ago.
            client = KmaClient(emulator.base_url)
            trained_through = today - timedelta(days=62)
            collect_asos(client, objects, HISTORY_START, trained_through)
            collect_pm10(client, objects, HISTORY_START, trained_through)
            clean_days(objects, HISTORY_START, trained_through)

            # A first model: with no champion yet, it must beat every baseline to serve.
            first = run([lstm_model], run_config=TRAINING)
            metadata = first.get_asset_materialization_events()[0].materialization.metadata
            assert metadata["promoted"].value is True, metadata["decision"].value
            card = json.loads(objects.get(CHAMPION_MODEL_KEY))
            assert card["version"] == metadata["model_version"].value
            assert card["observations_source"] == "emulator-observed"

            # The two months since, collected by the daily schedules (one range run each here).
            since_training = (trained_through + timedelta(days=1)).isoformat()
            before_yesterday = (yesterday - timedelta(days=1)).isoformat()
            for asset in (raw_asos, raw_pm10, clean_daily):
                run([asset], tags=range_tags(since_training, before_yesterday))

            # 04:00 KST: collect and clean yesterday.
            day = yesterday.isoformat()
            run([raw_asos], partition_key=day)
            run([raw_pm10], partition_key=day)
            run([clean_daily], partition_key=day)

            # 05:00 KST: forecast D..D+6 (and the last 30 issue dates, backfilled in one run).
            first_issue = (today - timedelta(days=30)).isoformat()
            forecast = run([daily_forecast], tags=range_tags(first_issue, today.isoformat()))
            checks = forecast.get_asset_check_evaluations()
            assert {c.check_name: c.passed for c in checks} == {
                "seven_days": True,
                "quantiles_ordered": True,
                "grade_probabilities_sum_to_one": True,
            }
            assert {c.metadata["forecasts_checked"].value for c in checks} == {31}
            latest = json.loads(objects.get(LATEST_FORECAST_KEY))
            assert latest["issue_date"] == today.isoformat()
            assert latest["inputs"]["last_date"] == day
            assert latest["inputs"]["source"] == "emulator-observed"  # what the replies said
            assert [d["date"] for d in latest["days"]] == [
                (today + timedelta(days=n)).isoformat() for n in range(7)
            ]
            assert latest["model"]["version"] == card["version"]
            assert objects.exists(forecast_key(today - timedelta(days=30)))

            # Score the past forecasts (all made after the model's training cut): a normal day,
            # the sensor stays quiet.
            normal = run([model_monitoring])
            quiet = evaluate_sensor(instance, resources)
            normal_metadata = normal.get_asset_materialization_events()[0].materialization.metadata
            assert not quiet.run_requests, (
                normal_metadata["errors"].value + "\n" + normal_metadata["drift"].value
            )

        # The station's PM10 sensor turns out to have read three times too high for 60 days.
        faulty = Pm10GainFault(weather, since=yesterday - timedelta(days=59), gain=3.0)
        with KmaEmulator(faulty, clock=clock).running() as emulator_with_fault:
            resources["kma"] = KmaResource(base_url=emulator_with_fault.base_url)
            drifted = (yesterday - timedelta(days=59)).isoformat()
            run([raw_pm10], tags=range_tags(drifted, day))
            run([clean_daily], tags=range_tags(drifted, day))
            monitoring = run([model_monitoring])
            metadata = monitoring.get_asset_materialization_events()[0].materialization.metadata
            assert metadata["drift_ratio/pm10_avg"].value > 2.0

            fired = evaluate_sensor(instance, resources, cursor=quiet.cursor)
            [request] = fired.run_requests
            assert "pm10_avg" in request.tags["seoulcast/retrain_reason"]

            retrained = run([lstm_model], run_config=TRAINING, tags=request.tags)
            decision = retrained.get_asset_materialization_events()[0].materialization.metadata
            assert decision["previous_champion"].value == card["version"]
            assert decision["decision"].value  # promoted or not, it says why

    from mlflow.tracking import MlflowClient

    registry = MlflowClient(tracking.tracking_uri)
    version = registry.get_model_version(name, decision["model_version"].value)
    assert version.tags["promotion.decision"] in {"promoted", "rejected"}
    assert registry.get_model_version_by_alias(name, "challenger").version == version.version
    champion = registry.get_model_version_by_alias(name, "champion").version
    expected = version.version if decision["promoted"].value else card["version"]
    assert champion == expected
    for run_info in registry.search_runs([registry.get_experiment_by_name(name).experiment_id]):
        assert run_info.info.status == "FINISHED"
    # The MLflow run names the Dagster run that trained it.
    training_run = registry.get_run(version.run_id)
    assert training_run.data.tags["dagster_run_id"] == retrained.run_id

    messages = slack_api.messages()
    assert any("retrain requested" in m and "pm10_avg" in m for m in messages)
    assert any(f"v{version.version}* trained through" in m for m in messages)
    assert any(f"forecast issued {today.isoformat()}" in m for m in messages)


def evaluate_sensor(instance, resources, cursor=None):
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"retrain_policy": resources["retrain_policy"], "slack": resources["slack"]},
    )
    return retrain_when_degraded(context)
