"""Partition keys, schedules and "today" are KST whatever the server's time zone."""

from __future__ import annotations

import os
import time
from datetime import datetime

import dagster as dg
import pytest

from seoulcast_assets.definitions import defs
from seoulcast_assets.defs.cleaning.schedules import reclean_recent_days
from seoulcast_assets.defs.ingestion.schedules import (
    collect_pm10_daily,
    collect_temperature_daily,
)
from seoulcast_assets.kst import KST


@pytest.fixture(params=["UTC", "America/Los_Angeles", "Asia/Seoul"])
def server_time_zone(request):
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


DEFINITIONS = defs()


def evaluate(schedule, when: datetime):
    resolved = DEFINITIONS.resolve_schedule_def(schedule.name)
    with (
        dg.instance_for_test() as instance,
        dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=when,
            repository_def=DEFINITIONS.get_repository_def(),
        ) as context,
    ):
        return list(resolved.evaluate_tick(context).run_requests or [])


@pytest.mark.parametrize("schedule", [collect_temperature_daily, collect_pm10_daily])
def test_04_00_kst_collects_yesterday_in_seoul(server_time_zone, schedule):
    # 2026-03-01 04:00 KST is still 2026-02-28 in UTC and in Los Angeles
    [request] = evaluate(schedule, datetime(2026, 3, 1, 4, 0, tzinfo=KST))
    assert request.partition_key == "2026-02-28"
    resolved = DEFINITIONS.resolve_schedule_def(schedule.name)
    assert resolved.cron_schedule == "0 4 * * *"
    assert resolved.execution_timezone == "Asia/Seoul"


def test_04_45_kst_recleans_the_last_week_as_one_range_run(server_time_zone):
    [request] = evaluate(reclean_recent_days, datetime(2026, 3, 1, 4, 45, tzinfo=KST))
    assert request.tags["dagster/asset_partition_range_start"] == "2026-02-22"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-02-28"
    assert request.run_key == "reclean-2026-02-28"


def test_late_data_shows_in_kst():
    """Every daily asset is due at a KST time after its schedule; the model within 8 days."""
    due = {}
    for asset in DEFINITIONS.resolve_all_asset_specs():
        policy = asset.freshness_policy
        assert policy is not None, f"{asset.key.to_user_string()} has no freshness policy"
        if hasattr(policy, "deadline_cron"):
            assert policy.timezone == "Asia/Seoul"
            due[asset.key.to_user_string()] = policy.deadline_cron
    assert due == {
        "raw_asos": "30 4 * * *",
        "raw_pm10": "30 4 * * *",
        "clean_daily": "55 4 * * *",
        "daily_forecast": "30 5 * * *",
        "model_monitoring": "45 5 * * *",
    }
