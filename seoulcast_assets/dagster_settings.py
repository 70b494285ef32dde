"""Dagster settings SeoulCast runs with, given as environment variables of every Dagster process.

A backfill of the raw and clean assets runs as range runs (``BackfillPolicy.single_run``) over
thousands of daily partitions. The asset work is a few seconds per year; by default Dagster's
bookkeeping around it is not: every partition gets a "planned" event when the run is created
and a materialization event when it ends, each stored on its own. Measured with
``bench/backfill_raw.py`` (18 years of both raw assets, 12,914 partitions, on the production
PostgreSQL instance, 2 cores): 674 s with Dagster's defaults, 43 s with these settings.

``DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS``
    One planned event per asset and run, carrying the partition range, instead of one per
    partition. Trade-off, as Dagster's source states it: when a range run fails, its
    partitions show as *missing* rather than *failed* in the UI. The failure alert
    (``slack_on_run_failure``) still names the run, the asset and the range.
``DAGSTER_EVENT_BATCH_SIZE``
    Materialization events of a range run are written in batches of this size (PostgreSQL
    writes a batch in one statement; SQLite writes them one by one either way).

``docker-compose.yml`` sets them for the production services, ``seoulcast demo`` for its local
instance; the tests check that both agree with :data:`RANGE_RUN_SETTINGS`.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

RANGE_RUN_SETTINGS: dict[str, str] = {
    "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true",
    "DAGSTER_EVENT_BATCH_SIZE": "1000",
}


def apply_range_run_settings(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set :data:`RANGE_RUN_SETTINGS` in ``environ`` where they are not set already."""
    for name, value in RANGE_RUN_SETTINGS.items():
        environ.setdefault(name, value)
