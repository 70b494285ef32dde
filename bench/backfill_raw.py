"""Backfill raw_asos + raw_pm10 for 2008-04-28 .. 2025-12-31 from the KMA emulator.

    .venv/bin/python bench/backfill_raw.py [--first 2008-04-28] [--last 2025-12-31]
        [--instance postgres|memory] [--postgres URL] [--dagster-defaults]

Each asset runs as its single-run backfill does: one Dagster run over the whole partition range
(month-sized KMA requests), in process, into a fresh local store. Prints wall seconds and
partitions per second. Target: <= 120 s on a 2-core machine.

The Dagster instance is the production one by default: ``deploy/dagster.yaml`` on a scratch
PostgreSQL database (created on the server ``--postgres`` and dropped afterwards), with the
settings of ``seoulcast_assets/dagster_settings.py``. ``--instance memory`` uses an in-memory
instance instead; ``--dagster-defaults`` leaves those settings out, to see what they save.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import psycopg2
from sqlalchemy.engine import make_url

from seoulcast_assets.dagster_settings import apply_range_run_settings
from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma_emulator import KmaEmulator, SyntheticWeather

warnings.filterwarnings("ignore", category=dg.BetaWarning)

PRODUCTION_INSTANCE = Path(__file__).resolve().parents[1] / "deploy" / "dagster.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", default="2008-04-28")
    parser.add_argument("--last", default="2025-12-31")
    parser.add_argument("--instance", choices=("postgres", "memory"), default="postgres")
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (and a database to connect to) where a scratch database is made",
    )
    parser.add_argument(
        "--dagster-defaults",
        action="store_true",
        help="run without the settings of seoulcast_assets/dagster_settings.py",
    )
    args = parser.parse_args()
    if not args.dagster_defaults:
        apply_range_run_settings()
    settings = "Dagster defaults" if args.dagster_defaults else "SeoulCast's Dagster settings"
    with _instance(args.instance, args.postgres) as instance:
        print(f"instance: {args.instance} ({settings})")
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


@contextmanager
def _instance(kind: str, server_url: str):
    if kind == "memory":
        yield dg.DagsterInstance.ephemeral()
        return
    server = make_url(server_url)
    database = f"seoulcast_bench_{uuid.uuid4().hex[:8]}"
    _admin(server, f'CREATE DATABASE "{database}"')
    home = Path(tempfile.mkdtemp(prefix="seoulcast-bench-dagster-home-"))
    shutil.copyfile(PRODUCTION_INSTANCE, home / "dagster.yaml")
    os.environ["DAGSTER_PG_URL"] = server.set(database=database).render_as_string(False)
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            yield instance
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(home)


def _admin(server, statement: str) -> None:
    connection = psycopg2.connect(
        host=server.host,
        port=server.port,
        user=server.username,
        password=server.password,
        dbname=server.database,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


if __name__ == "__main__":
    main()
