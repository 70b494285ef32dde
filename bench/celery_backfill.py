"""Backfill raw_asos + raw_pm10, 2008-04-28..2025-12-31, as yearly runs on two Celery workers
against one range run per asset, on the same production instance.

    .venv/bin/python bench/celery_backfill.py [--first 2008-04-28] [--last 2025-12-31]
        [--per-run 366] [--workers 2] [--postgres URL] [--broker URL]

Both ways run in one production shape (``deploy/production_shape.py``: the Dagster code server,
webserver and daemon on PostgreSQL with ``deploy/dagster.yaml``'s run queue, the Celery workers
on the local RabbitMQ, the KMA emulator), one after the other, each into an empty store:

``range runs``
    what a backfill is by default (``BackfillPolicy.single_run``): one run per asset over the
    whole range, launched through GraphQL, each run's one step on a worker.
``yearly runs``
    the same partitions as one backfill launched through GraphQL with
    ``SEOULCAST_BACKFILL_PARTITIONS_PER_RUN=366``: the daemon cuts it into runs of 366 days,
    the run queue starts up to ``max_concurrent_runs`` of them at once, the workers take
    their steps.

Both workers first run a step each, untimed (a worker imports the code location on its first
step). Timed from the launch until the last run has ended. Per run it also reads, from the runs'
records and events, how long the run waited in the queue and how much of its time was not its
step (start of its process, the hand-over to Celery and back): the overhead per run. Every
partition must be recorded exactly once by each way's runs, or the benchmark fails.

The store is a local folder shared by the workers (one host): both raw assets write some 26,000
objects, and SeaweedFS on a shared 2-core machine takes some 70 objects a second.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
import warnings
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

import dagster as dg  # noqa: E402
from production_shape import DEFAULT_BROKER, ProductionShape  # noqa: E402

from seoulcast_assets.kma_emulator import EmulatorControl  # noqa: E402

warnings.filterwarnings("ignore", category=dg.BetaWarning)

ASSETS = {"raw_asos": "collect_temperature", "raw_pm10": "collect_pm10"}
"""Each raw asset and the job that materializes it."""
PG_SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", default="2008-04-28")
    parser.add_argument("--last", default="2025-12-31")
    parser.add_argument("--per-run", type=int, default=366, help="days per run of the backfill")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--postgres", default=PG_SERVER, help="PostgreSQL server (scratch DBs)")
    parser.add_argument("--broker", default=DEFAULT_BROKER)
    args = parser.parse_args()

    store = Path(f"/tmp/seoulcast-bench-celery-{time.time_ns()}")
    store.mkdir()  # the API's healthcheck wants the store's folder
    shape = ProductionShape(
        postgres=args.postgres,
        broker=args.broker,
        workers=args.workers,
        history_years=0,
        extra_environment={
            "SEOULCAST_BACKFILL_PARTITIONS_PER_RUN": str(args.per_run),
            "SEOULCAST_STORAGE": store.as_uri(),
        },
    )
    first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)
    partitions = (last - first).days + 1
    print(
        f"{partitions} days x {len(ASSETS)} assets, {args.workers} Celery workers, "
        f"instance deploy/dagster.yaml on PostgreSQL, KMA emulator",
        flush=True,
    )
    try:
        with shape:
            print(f"production shape up in {shape.startup_seconds:.1f} s", flush=True)
            emulator = EmulatorControl(shape.addresses.url("emulator"))
            # both workers take a step first (each imports the code once), untimed
            warm_up = (last + timedelta(days=1)).isoformat()
            shape.wait_for_runs(launch_range_runs(shape, warm_up, warm_up))
            results = []
            for name, launch in (("range runs", launch_range_runs),
                                 ("yearly runs", launch_backfill)):  # fmt: skip
                for item in store.iterdir():  # empty, the folder kept (the API reads it)
                    shutil.rmtree(item) if item.is_dir() else item.unlink()
                emulator.clear_requests()
                launched = time.time()
                run_ids = launch(shape, args.first, args.last)
                statuses = shape.wait_for_runs(run_ids, timeout=3600)
                failed = {run_id: s for run_id, s in statuses.items() if s != "SUCCESS"}
                if failed:
                    raise SystemExit(f"{name}: runs did not succeed: {failed}")
                result = measure(shape, name, run_ids, launched, first, last)
                result["requests"] = emulator.request_count()
                result["objects"] = sum(1 for path in store.rglob("*") if path.is_file())
                results.append(result)
                print(f"{name}: {len(run_ids)} runs in {result['seconds']:.1f} s", flush=True)
            print_table(results)
    finally:
        shutil.rmtree(store, ignore_errors=True)


def launch_range_runs(shape: ProductionShape, first: str, last: str) -> list[str]:
    """One run per asset over the whole range, as a single-run backfill launches it."""
    tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
    client = shape.graphql_client()
    return [
        client.submit_job_execution(job, repository_location_name="seoulcast_assets", tags=tags)
        for job in ASSETS.values()
    ]


def launch_backfill(shape: ProductionShape, first: str, last: str) -> list[str]:
    """One backfill of both assets over the range; the daemon cuts it into runs of
    ``SEOULCAST_BACKFILL_PARTITIONS_PER_RUN`` days. The ids of its runs, once it has made them
    all."""
    data = shape.graphql(
        """mutation ($params: LaunchBackfillParams!) {
             launchPartitionBackfill(backfillParams: $params) {
               __typename
               ... on LaunchBackfillSuccess { backfillId }
               ... on PythonError { message }
             }
           }""",
        {
            "params": {
                "partitionsByAssets": [
                    {
                        "assetKey": {"path": [asset]},
                        "partitions": {"range": {"start": first, "end": last}},
                    }
                    for asset in ASSETS
                ]
            }
        },
    )["launchPartitionBackfill"]
    if data["__typename"] != "LaunchBackfillSuccess":
        raise SystemExit(f"backfill not launched: {data}")
    backfill_id = data["backfillId"]
    deadline = time.monotonic() + 3600
    while True:  # the daemon submits the runs over its iterations, and ends the backfill
        status = shape.backfill_status(backfill_id)  # when their partitions are done
        if status not in ("REQUESTED", "CANCELING", "FAILING"):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"backfill {backfill_id} still {status}")
        time.sleep(2.0)
    with shape.instance() as instance:
        runs = instance.get_runs(dg.RunsFilter(tags={"dagster/backfill": backfill_id}))
    if status not in ("COMPLETED", "COMPLETED_SUCCESS") or not runs:
        raise SystemExit(f"backfill {backfill_id}: {status}, {len(runs)} runs")
    return [run.run_id for run in runs]


def measure(
    shape: ProductionShape, name: str, run_ids: list[str], launched: float, first: date, last: date
) -> dict:
    """Seconds from the launch to the end of the last run, partitions recorded (each exactly
    once), queue waits and per-run overhead, from the runs' records and events."""
    recorded: Counter = Counter()
    waits, overheads, step_seconds, ends = [], [], [], []
    with shape.instance() as instance:
        records = {r.dagster_run.run_id: r for r in instance.get_run_records(
            dg.RunsFilter(run_ids=run_ids))}  # fmt: skip
        for run_id in run_ids:
            record = records[run_id]
            start, end = record.start_time, record.end_time
            ends.append(end)
            waits.append(start - record.create_timestamp.timestamp())
            step_start = step_end = None
            for entry in instance.all_logs(run_id):
                event = entry.dagster_event
                if event is None:
                    continue
                if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
                    recorded[(event.asset_key.to_user_string(), event.partition)] += 1
                elif event.event_type == dg.DagsterEventType.STEP_START:
                    step_start = entry.timestamp
                elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                    step_end = entry.timestamp
            step = step_end - step_start
            step_seconds.append(step)
            overheads.append((end - start) - step)
    expected = (last - first).days + 1
    for asset in ASSETS:
        days = {partition for (key, partition), _ in recorded.items() if key == asset}
        if len(days) != expected:
            raise SystemExit(f"{name}: {asset} has {len(days)} partitions recorded, not {expected}")
    twice = {key: count for key, count in recorded.items() if count != 1}
    if twice:
        raise SystemExit(f"{name}: partitions recorded more than once: {list(twice)[:5]}")
    partitions = sum(recorded.values())
    seconds = max(ends) - launched
    return {
        "name": name,
        "runs": len(run_ids),
        "partitions": partitions,
        "seconds": seconds,
        "rate": partitions / seconds,
        "queue_wait": statistics.mean(waits),
        "overhead": statistics.mean(overheads),
        "step": statistics.mean(step_seconds),
        "step_total": sum(step_seconds),
        "workers": len(shape.worker_names()),
    }


def print_table(results: list[dict]) -> None:
    rows = [
        ("runs", "{runs:d}"),
        ("partitions recorded (each once)", "{partitions:d}"),
        ("total seconds", "{seconds:.1f}"),
        ("partitions/s", "{rate:.1f}"),
        ("step seconds, all runs", "{step_total:.1f}"),
        ("mean step seconds per run", "{step:.2f}"),
        ("overhead per run, s (run time - step)", "{overhead:.2f}"),
        ("mean queue wait per run, s", "{queue_wait:.2f}"),
        ("KMA requests", "{requests:d}"),
        ("objects written", "{objects:d}"),
    ]
    width = max(len(label) for label, _ in rows)
    print()
    print(f"{'':{width}s}  " + "  ".join(f"{r['name']:>12s}" for r in results))
    for label, template in rows:
        cells = "  ".join(f"{template.format(**r):>12s}" for r in results)
        print(f"{label:{width}s}  {cells}")


if __name__ == "__main__":
    main()
