"""raw_asos and raw_pm10 materialized in process, through real HTTP into real storage."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg
import pytest

from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.partitions import pm10_days, temperature_days
from seoulcast_assets.defs.resources import KmaResource
from seoulcast_assets.kma import parse_asos_daily, parse_pm10
from seoulcast_assets.kma_emulator import Fault, KmaEmulator, SyntheticWeather
from seoulcast_assets.kst import yesterday_kst
from seoulcast_assets.layout import raw_parsed_key, raw_reply_key
from tests.defs.conftest import range_tags


def materialize(asset, kma, store, tags=None, partition_key=None, raise_on_error=True):
    return dg.materialize(
        [asset],
        resources={"kma": kma, "store": store},
        tags=tags,
        partition_key=partition_key,
        raise_on_error=raise_on_error,
    )


def keys_of(store, prefix):
    return [key for key in store.list_keys(prefix)]


@pytest.mark.parametrize("store_fixture", ["local_store_resource", "s3_store_resource"])
def test_one_year_range_run_writes_every_day_in_month_requests(
    request, store_fixture, kma, emulator
):
    store_resource = request.getfixturevalue(store_fixture)
    tags = range_tags("2023-01-01", "2023-12-31")

    for asset, source in ((raw_asos, "asos"), (raw_pm10, "pm10")):
        result = materialize(asset, kma, store_resource, tags=tags)
        assert result.success
        partitions = {e.partition for e in result.get_asset_materialization_events()}
        assert len(partitions) == 365
        store = store_resource.open()
        keys = keys_of(store, f"raw/{source}/date=2023")
        assert len([k for k in keys if k.endswith(".txt")]) == 365
        assert len([k for k in keys if k.endswith(".csv")]) == 365
        metadata = result.get_asset_materialization_events()[0].materialization.metadata
        assert metadata["kma_requests"].value == 12
        assert metadata["days_with_data"].value == 365

    assert emulator.request_count("kma_sfcdd3.php") == 12
    assert emulator.request_count("kma_pm10.php") == 12

    store = store_resource.open()
    day = date(2023, 7, 14)
    reply = store.get(raw_reply_key("pm10", day))
    readings = parse_pm10(reply)  # the stored slice is itself a complete KMA reply
    assert len(readings) == 288 and (readings["time"].dt.date == day).all()
    asos = parse_asos_daily(store.get(raw_reply_key("asos", day)))
    assert list(asos["date"].dt.date) == [day]
    parsed = store.get(raw_parsed_key("asos", day)).decode().splitlines()
    assert parsed[1].startswith("2023-07-14,108,")


def test_rerunning_a_partition_leaves_identical_objects(kma, local_store_resource):
    materialize(raw_pm10, kma, local_store_resource, tags=range_tags("2024-02-27", "2024-03-02"))
    store = local_store_resource.open()
    before = {key: (store.get(key), store.head(key)) for key in store.list_keys("raw/")}
    assert len(before) == 10

    result = materialize(raw_pm10, kma, local_store_resource, partition_key="2024-02-29")
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["objects_changed"].value == 0
    after = {key: (store.get(key), store.head(key)) for key in store.list_keys("raw/")}
    assert after == before


def test_a_retried_fault_is_harmless(kma, emulator, local_store_resource):
    emulator.inject(Fault("server_error", times=1, endpoint="kma_pm10.php"))
    emulator.inject(Fault("truncated", times=1, endpoint="kma_pm10.php"))
    result = materialize(
        raw_pm10, kma, local_store_resource, tags=range_tags("2024-01-01", "2024-03-31")
    )
    assert result.success
    assert emulator.request_count("kma_pm10.php") == 3 + 2
    assert len(keys_of(local_store_resource.open(), "raw/pm10/")) == 2 * 91


def test_a_refused_month_fails_the_run_and_writes_nothing(kma, emulator, local_store_resource):
    emulator.inject(Fault("not_activated", times=1, endpoint="kma_pm10.php"))
    result = materialize(
        raw_pm10,
        kma,
        local_store_resource,
        tags=range_tags("2024-01-01", "2024-03-31"),
        raise_on_error=False,
    )
    assert not result.success
    error = result.get_step_failure_events()[0].step_failure_data.error.cause
    assert error.cls_name == "KmaNotActivated"
    assert "활용신청" in error.message
    assert emulator.request_count("kma_pm10.php") == 1  # a refusal is not retried
    assert keys_of(local_store_resource.open(), "") == []


def test_war_gap_days_are_stored_as_days_without_observations(kma, local_store_resource):
    result = materialize(
        raw_asos, kma, local_store_resource, tags=range_tags("1951-06-01", "1951-06-30")
    )
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["days"].value == 30
    assert metadata["days_with_data"].value == 0
    store = local_store_resource.open()
    assert parse_asos_daily(store.get(raw_reply_key("asos", date(1951, 6, 15)))).empty


def test_the_api_key_reaches_kma_but_never_storage_or_logs(local_store_resource):
    secret = "SeoulCastSecretKey-0123456789"
    with KmaEmulator(SyntheticWeather(seed=7), require_key=True).running() as emulator:
        kma = KmaResource(base_url=emulator.base_url, api_key=secret, max_attempts=1)
        instance = dg.DagsterInstance.ephemeral()
        result = dg.materialize(
            [raw_asos],
            resources={"kma": kma, "store": local_store_resource},
            tags=range_tags("2024-01-01", "2024-01-31"),
            instance=instance,
        )
        assert result.success
        assert emulator.requests and all(r.has_key and r.status == 200 for r in emulator.requests)
        emulator.inject(Fault("malformed", endpoint="kma_sfcdd3.php"))
        failed = dg.materialize(
            [raw_asos],
            resources={"kma": kma, "store": local_store_resource},
            partition_key="2024-02-01",
            instance=instance,
            raise_on_error=False,
        )
        assert not failed.success
    store = local_store_resource.open()
    assert all(secret.encode() not in store.get(key) for key in store.list_keys(""))
    logs = "\n".join(str(entry) for entry in instance.all_logs(result.run_id))
    logs += "\n".join(str(entry) for entry in instance.all_logs(failed.run_id))
    assert "malformed" in logs.lower() or "MalformedReply" in logs
    assert secret not in logs


def test_partitions_run_in_kst_up_to_yesterday():
    assert temperature_days.get_first_partition_key() == "1907-10-01"
    assert pm10_days.get_first_partition_key() == "2008-04-28"
    yesterday = yesterday_kst().isoformat()
    assert temperature_days.get_last_partition_key() == yesterday
    assert pm10_days.get_last_partition_key() == yesterday
    window = pm10_days.time_window_for_partition_key(yesterday)
    assert window.start.utcoffset() == timedelta(hours=9)
