"""S3 killed (SIGKILL of the S3 gateway) in the middle of a range run of raw_pm10.

The store never holds a day's parsed object without the reply beside it, Dagster records the
months that were stored before the failure, and a run over the partitions still missing
completes the range, asking KMA only for those months.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import dagster as dg
import pytest

from seoulcast_assets.defs.ingestion.assets import raw_pm10
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kst import date_range
from tests.support.kma_emulator import emulator_at_now, warmed_up_weather
from tests.support.seaweedfs import seaweedfs_s3

pytestmark = pytest.mark.slow

FIRST, LAST = date(2020, 1, 1), date(2021, 12, 31)


def _range(first: date, last: date) -> dict[str, str]:
    return {
        "dagster/asset_partition_range_start": first.isoformat(),
        "dagster/asset_partition_range_end": last.isoformat(),
    }


def _days_with(client, bucket: str, suffix: str) -> set[date]:
    days = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="raw/pm10/"):
        for item in page.get("Contents", []):
            if item["Key"].endswith(suffix) and not item["Key"].endswith(".withheld.txt"):
                days.add(date.fromisoformat(item["Key"].rsplit("/", 1)[1][:10]))
    return days


def test_a_range_run_cut_short_by_s3_leaves_whole_days_and_records_them(monkeypatch):
    with (
        seaweedfs_s3(separate_gateway=True) as s3,
        emulator_at_now(warmed_up_weather(seed=5)) as emulator,
    ):
        for name, value in s3.env().items():
            monkeypatch.setenv(name, value)
        s3.create_bucket("faults")
        client = s3.client()
        resources = {
            "kma": KmaResource(base_url=emulator.base_url, timeout_seconds=30),
            "store": ObjectStoreResource(url="s3://faults", s3_endpoint_url=s3.endpoint_url),
        }
        instance = dg.DagsterInstance.ephemeral()
        outcome = {}

        def backfill() -> None:
            outcome["result"] = dg.materialize(
                [raw_pm10],
                resources=resources,
                tags=_range(FIRST, LAST),
                instance=instance,
                raise_on_error=False,
            )

        run = threading.Thread(target=backfill)
        run.start()
        deadline = time.monotonic() + 120
        while len(_days_with(client, "faults", ".csv")) < 120:  # four months or so
            assert time.monotonic() < deadline and run.is_alive(), "the run never got going"
            time.sleep(0.1)
        s3.kill_gateway()
        run.join(timeout=300)
        assert not outcome["result"].success

        s3.restart_gateway()
        parsed, replies = _days_with(client, "faults", ".csv"), _days_with(client, "faults", ".txt")
        assert parsed <= replies  # never a parsed day without its reply
        recorded = {
            date.fromisoformat(key) for key in instance.get_materialized_partitions(raw_pm10.key)
        }
        assert recorded, "the months stored before the failure were not recorded"
        assert recorded <= parsed
        months = sorted({(day.year, day.month) for day in recorded})
        assert recorded == {  # whole months, from the first one on
            day for day in date_range(FIRST, LAST) if (day.year, day.month) in months
        }
        assert len(parsed - recorded) <= 31  # at most the month that was being written

        # the rest of the range, as a backfill of the missing partitions launches it
        rest = [day for day in date_range(FIRST, LAST) if day not in recorded]
        emulator.clear_requests()
        again = dg.materialize(
            [raw_pm10], resources=resources, tags=_range(rest[0], rest[-1]), instance=instance
        )
        assert again.success
        assert emulator.request_count("kma_pm10.php") == 24 - len(months)
        assert _days_with(client, "faults", ".csv") == set(date_range(FIRST, LAST))
        materialized = instance.get_materialized_partitions(raw_pm10.key)
        assert {date.fromisoformat(key) for key in materialized} == set(date_range(FIRST, LAST))
