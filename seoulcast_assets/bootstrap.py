"""``seoulcast bootstrap``: load years of history through Dagster's named jobs.

One range run each of ``collect_temperature`` (``raw_asos``), ``collect_pm10`` (``raw_pm10``)
and ``clean_observations`` (``clean_daily``) over ``--first..--last``, as ``seoulcast demo``
loads its history: the runs show under Runs and Jobs, every day shows materialized in the
catalog, and days without observations (the Korean War gap) are materialized with metadata
saying why. Days already materialized are skipped, so a second bootstrap only adds what is
new. A range run asks KMA for a month per request.

The instance is ``DAGSTER_HOME``'s when that is set (a deployment's PostgreSQL: run it as a
one-off command of the deployment, e.g. ``docker compose run dagster-daemon seoulcast
bootstrap``); otherwise it is the local instance of ``seoulcast demo`` and ``seoulcast dev``
under ``$SEOULCAST_HOME``, whose embedded PostgreSQL the command starts and stops.

``--without-dagster`` collects and cleans with the same code straight into the store and
records nothing in Dagster: for a store that no Dagster instance tracks (a copy made
elsewhere, the production proof's seed of S3).
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date
from pathlib import Path

from seoulcast_assets import config, local_postgres
from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.collection import collect_asos, collect_pm10
from seoulcast_assets.dagster_settings import apply_range_run_settings
from seoulcast_assets.defs.partitions import PM10_START, TEMPERATURE_START
from seoulcast_assets.job_steps import (
    STOPPING_ERRORS,
    Terminal,
    history_stages,
    local_environment,
    project_root,
    range_steps,
    report_stop,
)
from seoulcast_assets.kma_source import open_kma_client
from seoulcast_assets.kst import yesterday_kst
from seoulcast_assets.services import Services
from seoulcast_assets.storage import ObjectStore, open_store

HELP = __doc__.splitlines()[0].split(": ", 1)[1]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--first", type=date.fromisoformat, default=date(1990, 1, 1),
                        help=f"first day to load (default 1990-01-01; the record starts "
                        f"{TEMPERATURE_START}, PM10 {PM10_START})")  # fmt: skip
    parser.add_argument("--last", type=date.fromisoformat, default=None,
                        help="last day to load (default: yesterday in Seoul)")  # fmt: skip
    parser.add_argument("--storage", default=None, help="object store URL (SEOULCAST_STORAGE)")
    parser.add_argument(
        "--without-dagster",
        action="store_true",
        help="load straight into the store, recording nothing in Dagster",
    )


def run(args: argparse.Namespace) -> int:
    last = args.last or yesterday_kst()
    if args.first > last:
        raise SystemExit(f"--first {args.first} is after --last {last}")
    if args.without_dagster:
        return load_without_dagster(args.first, last, args.storage)
    return load_through_dagster(args.first, last, args.storage)


def load_through_dagster(first: date, last: date, storage: str | None) -> int:
    """The three range runs on the configured instance; 1 (with the failing step's log) when
    one fails."""
    started = time.monotonic()
    external = "DAGSTER_HOME" in os.environ
    env = dict(os.environ) if external else local_environment()
    apply_range_run_settings(env)
    if storage:
        env["SEOULCAST_STORAGE"] = storage
    home = config.seoulcast_home()
    logs = home / "logs"
    terminal = Terminal()
    instance = env["DAGSTER_HOME"] if external else f"{env['DAGSTER_HOME']} (embedded PostgreSQL)"
    terminal.line(
        f"bootstrap {first}..{last} from {config.kma_base_url()} into "
        f"{env.get('SEOULCAST_STORAGE') or config.storage_url()}\n"
        f"  Dagster instance {instance}; logs in {logs}"
    )
    with Services(project_root(), env) as services:
        try:
            if not external:
                local_postgres.start_for_dagster(services, Path(env["SEOULCAST_HOME"]))
            for stage in history_stages(first, last):
                range_steps(terminal, stage, env, logs)
        except STOPPING_ERRORS as error:
            return report_stop(terminal, error, logs)
    terminal.line(f"Done in {time.monotonic() - started:.0f} s")
    return 0


def load_without_dagster(first: date, last: date, storage: str | None) -> int:
    store = open_store(storage or config.storage_url(), endpoint_url=config.aws_endpoint_url())
    base_url = config.kma_base_url()
    print(f"bootstrap {first}..{last} from {base_url} into {store.url} (without Dagster)")
    summary = bootstrap_history(store, base_url, os.environ.get("KMA_API_KEY"), first, last)
    print(", ".join(f"{key} {value}" for key, value in summary.items()), flush=True)
    return 0


def bootstrap_history(
    store: ObjectStore, base_url: str, api_key: str | None, first: date, last: date
) -> dict[str, object]:
    """Collect and clean ``first..last`` straight into ``store`` (the assets' code: month-sized
    KMA requests, then ``clean_days``); returns what was done. Idempotent: days the store
    already holds are rewritten identically, which the store skips."""
    started = time.perf_counter()
    first = max(first, date.fromisoformat(TEMPERATURE_START))
    pm10_start = date.fromisoformat(PM10_START)
    with open_kma_client(base_url, api_key) as client:
        asos = collect_asos(client, store, first, last)
        pm10 = (
            collect_pm10(client, store, max(first, pm10_start), last)
            if last >= pm10_start
            else None
        )
    cleaned = clean_days(store, first, last)
    return {
        "days": asos.days,
        "days_with_temperature": asos.days_with_data,
        "days_with_pm10": pm10.days_with_data if pm10 else 0,
        "kma_requests": asos.requests + (pm10.requests if pm10 else 0),
        "objects_changed": asos.objects_changed
        + (pm10.objects_changed if pm10 else 0)
        + cleaned.objects_changed,
        "seconds": round(time.perf_counter() - started, 1),
    }
