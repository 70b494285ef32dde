"""Raw KMA observations, one partition per KST day.

A backfill runs as a single range run (``BackfillPolicy.single_run``): the asset fetches the
range in month-sized KMA requests and writes every day, instead of one run and one request per
day. Each month is stored before the next is asked for; if the run fails part-way, the months
it stored are recorded as materialized before the failure is raised, so the catalog shows what
the store holds and a backfill of the missing partitions redoes only the rest.
"""

from datetime import date, timedelta

import dagster as dg

from seoulcast_assets.checks import CheckOutcome
from seoulcast_assets.collection import CollectionReport, collect_asos, collect_pm10
from seoulcast_assets.collection_checks import (
    DAYS_COLLECTED,
    DAYS_WITH_OBSERVATIONS,
    NONE_WITHHELD,
    days_collected_outcome,
    days_with_observations_outcome,
    none_withheld_outcome,
)
from seoulcast_assets.defs.backfill import range_backfill_policy
from seoulcast_assets.defs.partitions import due_daily_by, pm10_days, temperature_days
from seoulcast_assets.defs.resources import KmaResource, ObjectStoreResource
from seoulcast_assets.kma.coverage import in_korean_war_gap

COLLECTED_BY = due_daily_by(4, 30, timedelta(minutes=30))
"""Collected at 04:00 KST; still missing at 04:30 means KMA or the collection is late."""


class CollectionConfig(dg.Config):
    replace_observed: bool = False
    """Overwrite stored days even where KMA's new reply has fewer observed values (it is
    otherwise kept beside them as ``.withheld.txt``): for a day KMA deliberately emptied."""


def _check_specs(asset: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            DAYS_COLLECTED,
            asset=asset,
            blocking=True,
            description="Read back after the run: every day of the range has its parsed "
            "raw object (cleaning reads only collected days).",
        ),
        dg.AssetCheckSpec(
            DAYS_WITH_OBSERVATIONS,
            asset=asset,
            description="Days KMA answered without any observation (no row, or only "
            "missing-value codes), the Korean War gap excepted; warns.",
        ),
        dg.AssetCheckSpec(
            NONE_WITHHELD,
            asset=asset,
            description="Days whose new reply would have replaced observed values with "
            "missing ones: the stored day was kept; warns.",
        ),
    ]


def _range(context: dg.AssetExecutionContext) -> tuple[date, date]:
    window = context.partition_time_window
    return window.start.date(), window.end.date() - timedelta(days=1)


def _collect(context, collect, kma: KmaResource, store: ObjectStoreResource, config):
    """Run ``collect`` over the run's range, reporting each stored month as it goes."""
    first_day, last_day = _range(context)
    stored: list[date] = []
    objects = store.open()
    try:
        with kma.client() as client:
            report = collect(
                client,
                objects,
                first_day,
                last_day,
                station=kma.station,
                replace_observed=config.replace_observed,
                on_month_stored=stored.extend,
            )
    except Exception:
        _record_stored_days(context, stored)
        raise
    return report, objects


def _record_stored_days(context: dg.AssetExecutionContext, days: list[date]) -> None:
    """A failing range run records nothing by itself: record the days it did store."""
    if days:
        context.log.warning(
            f"the run failed after storing {len(days)} days ({days[0]}..{days[-1]}); "
            "they are recorded as materialized"
        )
    for day in days:
        context.log_event(
            dg.AssetMaterialization(
                asset_key=context.asset_key,
                partition=day.isoformat(),
                metadata={"stored_before_the_run_failed": True},
            )
        )


def _result(context, report: CollectionReport, objects) -> dg.MaterializeResult:
    for day in report.missing_days:
        why = (
            "Korean War gap: no observations exist"
            if in_korean_war_gap(day)
            else ("KMA sent no observation for this day")
        )
        context.add_asset_metadata({"observations": why}, partition_key=day.isoformat())
    for day in report.withheld_days:
        context.add_asset_metadata(
            {"withheld": "KMA's new reply lacked observed values; the stored day was kept"},
            partition_key=day.isoformat(),
        )
    outcomes = [
        days_collected_outcome(objects, report),
        days_with_observations_outcome(report),
        none_withheld_outcome(report),
    ]
    for outcome in outcomes:
        if not outcome.passed:
            context.log.warning(outcome.description)
    return dg.MaterializeResult(
        metadata={**report.summary(), "dagster/row_count": report.days_with_data},
        check_results=[_check_result(outcome) for outcome in outcomes],
    )


def _check_result(outcome: CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity[outcome.severity],
        description=outcome.description,
        metadata=outcome.metadata,
    )


@dg.asset(
    partitions_def=temperature_days,
    backfill_policy=range_backfill_policy(),  # SEOULCAST_BACKFILL_PARTITIONS_PER_RUN
    check_specs=_check_specs("raw_asos"),
    freshness_policy=COLLECTED_BY,
    group_name="ingestion",
    owners=["team:seoulcast-data"],
    kinds={"python", "s3"},
    code_version="2",
)
def raw_asos(
    context: dg.AssetExecutionContext,
    config: CollectionConfig,
    kma: KmaResource,
    store: ObjectStoreResource,
) -> dg.MaterializeResult:
    """Daily ASOS observations of Seoul (station 108) from KMA ``kma_sfcdd3.php``.

    Stored per day under ``raw/asos/``: the reply as received and the 56 columns parsed.
    """
    report, objects = _collect(context, collect_asos, kma, store, config)
    context.log.info(
        f"raw_asos {report.first_day}..{report.last_day}: {report.days_with_data}/"
        f"{report.days} days with data from {report.requests} KMA requests, "
        f"{report.objects_changed} objects changed"
    )
    return _result(context, report, objects)


@dg.asset(
    partitions_def=pm10_days,
    backfill_policy=range_backfill_policy(),  # SEOULCAST_BACKFILL_PARTITIONS_PER_RUN
    check_specs=_check_specs("raw_pm10"),
    freshness_policy=COLLECTED_BY,
    group_name="ingestion",
    owners=["team:seoulcast-data"],
    kinds={"python", "s3"},
    code_version="2",
)
def raw_pm10(
    context: dg.AssetExecutionContext,
    config: CollectionConfig,
    kma: KmaResource,
    store: ObjectStoreResource,
) -> dg.MaterializeResult:
    """5-minute PM10 readings of Seoul (station 108) from KMA ``kma_pm10.php``.

    Stored per day under ``raw/pm10/``: the reply as received and the day's unscreened
    mean/max/min with the count of valid readings.
    """
    report, objects = _collect(context, collect_pm10, kma, store, config)
    context.log.info(
        f"raw_pm10 {report.first_day}..{report.last_day}: {report.days_with_data}/"
        f"{report.days} days with readings from {report.requests} KMA requests, "
        f"{report.objects_changed} objects changed"
    )
    return _result(context, report, objects)
