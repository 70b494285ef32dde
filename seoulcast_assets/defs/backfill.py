"""How a backfill of the daily assets is cut into runs.

By default a backfill is one range run per asset (``BackfillPolicy.single_run``): on one host
that is the fastest (one planned event and batched materializations, see
``seoulcast_assets/dagster_settings.py``). With ``SEOULCAST_BACKFILL_PARTITIONS_PER_RUN=N``, a
backfill becomes runs of at most ``N`` consecutive days each (``BackfillPolicy.multi_run``):
the run queue starts them side by side (``max_concurrent_runs`` of the instance) and, with
Celery, workers on several hosts execute them. ``366`` is about a year per run.

The value is read when the code location loads: set it on the code server (and the daemon's
and webserver's environment, which compose shares).
"""

from __future__ import annotations

import os

import dagster as dg

PARTITIONS_PER_RUN_VARIABLE = "SEOULCAST_BACKFILL_PARTITIONS_PER_RUN"


def range_backfill_policy() -> dg.BackfillPolicy:
    """The backfill policy of the daily assets, from ``SEOULCAST_BACKFILL_PARTITIONS_PER_RUN``."""
    value = os.environ.get(PARTITIONS_PER_RUN_VARIABLE, "").strip()
    if not value:
        return dg.BackfillPolicy.single_run()
    try:
        per_run = int(value)
    except ValueError:
        per_run = 0
    if per_run < 1:
        message = f"{PARTITIONS_PER_RUN_VARIABLE} must be a whole number >= 1, not {value!r}"
        raise ValueError(message)
    return dg.BackfillPolicy.multi_run(max_partitions_per_run=per_run)
