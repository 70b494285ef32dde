"""Raw KMA observations, one partition per KST day.

A backfill runs as a single range run (``BackfillPolicy.single_run``): the asset fetches the
range in month-sized KMA requests and writes every day, instead of one run and one request per
day.
"""

from datetime import timedelta

import dagster as dg

from seoulcast_assets.collection import CollectionReport, collect_asos, collect_pm10
from seoulcast_assets.defs.partitions import due_daily_by, pm10_days, temperature_days
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource

COLLECTED_BY = due_daily_by(4, 30, timedelta(minutes=30))
"""Collected at 04:00 KST; still missing at 04:30 means KMA or the collection is late."""


def _first_and_last_day(context: dg.AssetExecutionContext):
    window = context.partition_time_window
    first_day = window.start.date()
    last_day = window.end.date()
    return first_day, last_day.fromordinal(last_day.toordinal() - 1)


def _materialization(report: CollectionReport) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={**report.summary(), "dagster/row_count": report.days})


@dg.asset(
    partitions_def=temperature_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    freshness_policy=COLLECTED_BY,
    group_name="ingestion",
    kinds={"python", "s3"},
    code_version="1",
)
def raw_asos(
    context: dg.AssetExecutionContext, kma: KmaResource, store: ObjectStoreResource
) -> dg.MaterializeResult:
    """Daily ASOS observations of Seoul (station 108) from KMA ``kma_sfcdd3.php``.

    Stored per day under ``raw/asos/``: the reply as received and the 56 columns parsed.
    """
    first_day, last_day = _first_and_last_day(context)
    with kma.client() as client:
        report = collect_asos(client, store.open(), first_day, last_day, station=kma.station)
    context.log.info(
        f"raw_asos {first_day}..{last_day}: {report.days_with_data}/{report.days} days with "
        f"data from {report.requests} KMA requests, {report.objects_changed} objects changed"
    )
    return _materialization(report)


@dg.asset(
    partitions_def=pm10_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    freshness_policy=COLLECTED_BY,
    group_name="ingestion",
    kinds={"python", "s3"},
    code_version="1",
)
def raw_pm10(
    context: dg.AssetExecutionContext, kma: KmaResource, store: ObjectStoreResource
) -> dg.MaterializeResult:
    """5-minute PM10 readings of Seoul (station 108) from KMA ``kma_pm10.php``.

    Stored per day under ``raw/pm10/``: the reply as received and the day's unscreened
    mean/max/min with the count of valid readings.
    """
    first_day, last_day = _first_and_last_day(context)
    with kma.client() as client:
        report = collect_pm10(client, store.open(), first_day, last_day, station=kma.station)
    context.log.info(
        f"raw_pm10 {first_day}..{last_day}: {report.days_with_data}/{report.days} days with "
        f"readings from {report.requests} KMA requests, {report.objects_changed} objects changed"
    )
    return _materialization(report)
