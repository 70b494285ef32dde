"""Two clean_daily range runs over the same year at the same time (a backfill overlapping the
04:45 re-clean): the year table ends up with every day of both, matching the day files."""

from __future__ import annotations

import multiprocessing
from datetime import date

import dagster as dg
import pytest

from seoulcast_assets.cleaning.tables import year_table_cells
from seoulcast_assets.collection import collect_asos, collect_pm10
from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.resources import ObjectStoreResource
from seoulcast_assets.kma import KmaClient
from seoulcast_assets.layout import clean_key, clean_year_key
from tests.support.kma_emulator import emulator_at_now, warmed_up_weather

pytestmark = pytest.mark.slow

RUNS = (("2024-01-01", "2024-08-31"), ("2024-05-01", "2024-12-31"))
TRIALS = 2


def _clean(resource_config: dict, first: str, last: str, start, results) -> None:
    start.wait(timeout=120)
    result = dg.materialize(
        [clean_daily],
        resources={"store": ObjectStoreResource(**resource_config)},
        tags={
            "dagster/asset_partition_range_start": first,
            "dagster/asset_partition_range_end": last,
        },
        raise_on_error=False,
    )
    results.put(result.success)


@pytest.fixture(params=["local", "s3"])
def store_resource(request, tmp_path, monkeypatch):
    if request.param == "local":
        return ObjectStoreResource(url=(tmp_path / "store").as_uri())
    s3 = request.getfixturevalue("s3_server")
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    bucket = request.getfixturevalue("s3_bucket")
    return ObjectStoreResource(url=f"s3://{bucket}/overlap", s3_endpoint_url=s3.endpoint_url)


def test_overlapping_runs_keep_every_day_of_the_year(store_resource):
    store = store_resource.open()
    with emulator_at_now(warmed_up_weather(seed=3)) as emulator:
        client = KmaClient(emulator.base_url, timeout=30)
        collect_asos(client, store, date(2024, 1, 1), date(2024, 12, 31))
        collect_pm10(client, store, date(2024, 1, 1), date(2024, 12, 31))
    # Fresh interpreters, as two run workers are: a forked child would inherit this process's
    # Dagster state (the instance of an earlier test) along with its memory.
    spawn = multiprocessing.get_context("spawn")
    config = {"url": store_resource.url, "s3_endpoint_url": store_resource.s3_endpoint_url}
    for _ in range(TRIALS):
        _delete_clean_layer(store, store_resource)  # each trial starts from an empty layer
        start, results = spawn.Barrier(len(RUNS)), spawn.Queue()
        runs = [
            spawn.Process(target=_clean, args=(config, first, last, start, results))
            for first, last in RUNS
        ]
        for process in runs:
            process.start()
        for process in runs:
            process.join(timeout=300)
        assert [results.get(timeout=30) for _ in runs] == [True, True]

        table = year_table_cells(store.get(clean_year_key(2024)))
        assert len(table) == 366 and table["date"].is_unique
        day_file = store.get(clean_key("temperature", date(2024, 10, 5))).decode()
        row = table.loc[table["date"] == "2024-10-05"].iloc[0]
        assert day_file.splitlines()[1].split(",")[1:4] == [row.ta_avg, row.ta_max, row.ta_min]


def _delete_clean_layer(store, resource: ObjectStoreResource) -> None:
    keys = store.list_keys("result/")
    if resource.url.startswith("s3://"):
        for key in keys:
            store.client.delete_object(Bucket=store.bucket, Key=store._key(key))
    else:
        for key in keys:
            (store.root / key).unlink()
