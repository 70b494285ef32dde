"""Backfill raw_asos + raw_pm10 for 2008-04-28 .. 2025-12-31 from the KMA emulator.

    .venv/bin/python bench/backfill_raw.py [--first 2008-04-28] [--last 2025-12-31]
        [--instance postgres|memory] [--postgres URL] [--dagster-defaults]

Each asset runs as its single-run backfill does: one Dagster run over the whole partition range
(month-sized KMA requests), in process, into a fresh local store. Prints wall seconds and
partitions per second. Target: <= 120 s on a 2-core machine.

The Dagster instance is the production one by default (``bench/dagster_instance.py``):
``--instance memory`` uses an in-memory one, ``--dagster-defaults`` leaves out the settings of
``seoulcast_assets/dagster_settings.py`` to see what they save.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import dagster as dg
from dagster_instance import add_instance_arguments, dagster_instance

from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather

warnings.filterwarnings("ignore", category=dg.BetaWarning)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", default="2008-04-28")
    parser.add_argument("--last", default="2025-12-31")
    add_instance_arguments(parser)
    args = parser.parse_args()
    with dagster_instance(args) as instance:
        run_backfill(instance, args.first, args.last)


def run_backfill(instance: dg.DagsterInstance, first: str, last: str) -> None:
    tags = {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
    }
    store_dir = Path(tempfile.mkdtemp(prefix="seoulcast-bench-"))
    store = ObjectStoreResource(url=store_dir.as_uri())
    total_partitions = 0
    started = time.perf_counter()
    with KmaEmulator(SyntheticWeather(seed=108)).running() as emulator:
        kma = KmaResource(base_url=emulator.base_url)
        for asset in (raw_asos, raw_pm10):
            asset_started = time.perf_counter()
            result = dg.materialize(
                [asset], resources={"kma": kma, "store": store}, tags=tags, instance=instance
            )
            partitions = len(result.get_asset_materialization_events())
            seconds = time.perf_counter() - asset_started
            total_partitions += partitions
            print(
                f"{asset.key.to_user_string():9s} {partitions:6d} partitions "
                f"{seconds:7.1f} s  {partitions / seconds:7.1f} partitions/s"
            )
    wall = time.perf_counter() - started
    objects = sum(1 for path in store_dir.rglob("*") if path.is_file())
    print(
        f"{'total':9s} {total_partitions:6d} partitions {wall:7.1f} s  "
        f"{total_partitions / wall:7.1f} partitions/s  ({objects} objects, "
        f"{emulator.request_count()} KMA requests)"
    )
    shutil.rmtree(store_dir)


if __name__ == "__main__":
    main()
