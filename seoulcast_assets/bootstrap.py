"""``seoulcast bootstrap``: load years of history into the raw and clean layers in one go.

The same collection and cleaning code the assets run (month-sized KMA requests, then
``clean_days``), without recording a Dagster event per day: a first load of decades is a
one-off, like ``seoulcast import-portal``, and the Dagster partitions cover what is collected
from then on. Idempotent: loading days the store already holds rewrites identical objects, which
the store skips.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date

from seoulcast_assets import config
from seoulcast_assets.cleaning import clean_days
from seoulcast_assets.collection import collect_asos, collect_pm10
from seoulcast_assets.kma_source import open_kma_client
from seoulcast_assets.kst import yesterday_kst
from seoulcast_assets.storage import ObjectStore, open_store

HELP = __doc__.splitlines()[0].split(": ", 1)[1]
TEMPERATURE_START = date(1907, 10, 1)
PM10_START = date(2008, 4, 28)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--first", type=date.fromisoformat, default=date(1990, 1, 1),
                        help="first day to load (default 1990-01-01)")  # fmt: skip
    parser.add_argument("--last", type=date.fromisoformat, default=None,
                        help="last day to load (default: yesterday in Seoul)")  # fmt: skip
    parser.add_argument("--storage", default=None, help="object store URL (SEOULCAST_STORAGE)")


def bootstrap_history(
    store: ObjectStore, base_url: str, api_key: str | None, first: date, last: date
) -> dict[str, object]:
    """Collect and clean ``first..last``; returns what was done."""
    started = time.perf_counter()
    first = max(first, TEMPERATURE_START)
    with open_kma_client(base_url, api_key) as client:
        asos = collect_asos(client, store, first, last)
        pm10 = (
            collect_pm10(client, store, max(first, PM10_START), last)
            if last >= PM10_START
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


def run(args: argparse.Namespace) -> int:
    last = args.last or yesterday_kst()
    if args.first > last:
        raise SystemExit(f"--first {args.first} is after --last {last}")
    store = open_store(args.storage or config.storage_url(), endpoint_url=config.aws_endpoint_url())
    base_url = config.kma_base_url()
    print(f"bootstrap {args.first}..{last} from {base_url} into {store.url}", flush=True)
    summary = bootstrap_history(store, base_url, os.environ.get("KMA_API_KEY"), args.first, last)
    print(", ".join(f"{key} {value}" for key, value in summary.items()))
    return 0
