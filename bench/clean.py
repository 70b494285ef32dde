"""Clean 2008-04-28 .. 2018-12-31 with clean_daily range runs, from Seoul's real observations.

    .venv/bin/python bench/clean.py [--first 2008-04-28] [--last 2018-12-31] [--runs 1]

Not timed: the raw layer is prepared first by raw_asos and raw_pm10 backfills (single range runs)
from the KMA emulator serving ../shared/data (every ASOS element of seoul_asos_daily.csv, or
only the daily temperatures with ``--temperature-only``; PM10 as 5-minute readings).
Timed: clean_daily materialized over the whole range as its single-run backfill does, in
process on the production Dagster instance (``bench/dagster_instance.py``; ``--instance memory``
for an in-memory one), into a local store: once into the empty clean layer, then
again over the same raw days (every object unchanged). ``--runs N`` splits the range into N
consecutive range runs instead of one. Prints wall seconds and partitions per second.
Target: <= 60 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
from dagster_instance import add_instance_arguments, dagster_instance

from seoulcast_assets.cleaning import DEFAULT_POLICY
from seoulcast_assets.defs.cleaning.assets import clean_daily
from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma_emulator import KmaEmulator, ObservedWeather

warnings.filterwarnings("ignore", category=dg.BetaWarning)
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}  # no event per partition


def range_tags(first: date, last: date) -> dict[str, str]:
    return {
        "dagster/asset_partition_range_start": first.isoformat(),
        "dagster/asset_partition_range_end": last.isoformat(),
    }


def split(first: date, last: date, runs: int) -> list[tuple[date, date]]:
    days = (last - first).days + 1
    bounds = [first + timedelta(days=days * i // runs) for i in range(runs + 1)]
    return [
        (start, end - timedelta(days=1)) for start, end in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def prepare_raw_layer(
    instance: dg.DagsterInstance,
    store: ObjectStoreResource,
    first: date,
    last: date,
    temperature_only: bool = False,
) -> None:
    days = (
        {"temperature_csv": SHARED_DATA / "seoul_temp_daily.csv"}
        if temperature_only
        else {"asos_csv": SHARED_DATA / "seoul_asos_daily.csv"}
    )
    source = ObservedWeather.from_files(**days, pm10_csv=SHARED_DATA / "seoul_pm10_daily.csv")
    margin = timedelta(days=DEFAULT_POLICY.longest_interpolated_gap_days)
    started = time.perf_counter()
    with KmaEmulator(source).running() as emulator:
        kma = KmaResource(base_url=emulator.base_url)
        for asset, (start, end) in (
            (raw_asos, (first - margin, last + margin)),
            (raw_pm10, (first, last)),
        ):
            result = dg.materialize(
                [asset],
                resources={"kma": kma, "store": store},
                tags=range_tags(start, end),
                instance=instance,
                run_config=QUIET,
            )
            assert result.success
    seconds = time.perf_counter() - started
    print(f"raw layer {first - margin}..{last + margin} prepared in {seconds:.1f} s (not timed)")


def clean(
    instance: dg.DagsterInstance,
    store: ObjectStoreResource,
    ranges: list[tuple[date, date]],
    label: str,
) -> None:
    started = time.perf_counter()
    partitions = changed = 0
    for first, last in ranges:
        result = dg.materialize(
            [clean_daily],
            resources={"store": store},
            tags=range_tags(first, last),
            instance=instance,
            run_config=QUIET,
        )
        assert result.success
        events = result.get_asset_materialization_events()
        partitions += len(events)
        changed += events[0].materialization.metadata["objects_changed"].value
    seconds = time.perf_counter() - started
    print(
        f"clean_daily {label:22s} {partitions:6d} partitions in {len(ranges)} range run(s) "
        f"{seconds:7.1f} s  {partitions / seconds:7.1f} partitions/s  ({changed} objects changed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=date.fromisoformat, default=date(2008, 4, 28))
    parser.add_argument("--last", type=date.fromisoformat, default=date(2018, 12, 31))
    parser.add_argument("--runs", type=int, default=1, help="range runs to split the range into")
    parser.add_argument(
        "--temperature-only",
        action="store_true",
        help="serve only the daily temperatures (the raw days' other elements empty)",
    )
    add_instance_arguments(parser)
    args = parser.parse_args()
    store = ObjectStoreResource(
        url=Path(tempfile.mkdtemp(prefix="seoulcast-bench-clean-")).as_uri()
    )
    with dagster_instance(args) as instance:
        prepare_raw_layer(instance, store, args.first, args.last, args.temperature_only)
        ranges = split(args.first, args.last, args.runs)
        clean(instance, store, ranges, "(empty clean layer)")
        clean(instance, store, ranges, "(again, no change)")


if __name__ == "__main__":
    main()
