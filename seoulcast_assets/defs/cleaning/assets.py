"""``clean_daily``: raw KMA days in, the validated and flagged modeling table out.

A thin wrapper over :func:`seoulcast_assets.cleaning.clean_days`; the rules, the policy and the
checks are documented in ``docs/cleaning.md``. One partition per KST day, backfilled as a single
range run; yesterday's partition is cleaned as soon as both raw assets hold it (eager
automation: the two raw assets come from two separate 04:00 schedules).
"""

from datetime import date, timedelta

import dagster as dg

from seoulcast_assets.cleaning import DEFAULT_POLICY
from seoulcast_assets.cleaning.checks import (
    FLAG_RATES,
    MISSING_DAYS,
    YEAR_TABLES,
    CheckOutcome,
    flag_rates_outcome,
    missing_days_outcome,
    year_tables_outcome,
)
from seoulcast_assets.cleaning.elements import BY_NAME
from seoulcast_assets.cleaning.pipeline import prepare_clean_days, publish_clean_days
from seoulcast_assets.cleaning.schemas import CleanTableInvalid
from seoulcast_assets.cleaning.weather_checks import element_check_name, element_outcomes
from seoulcast_assets.defs.backfill import range_backfill_policy
from seoulcast_assets.defs.cleaning.config import CleaningPolicyConfig
from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10
from seoulcast_assets.defs.partitions import due_daily_by, temperature_days
from seoulcast_assets.defs.resources import ObjectStoreResource

_GAP = DEFAULT_POLICY.longest_interpolated_gap_days

CHECK_SPECS = [
    dg.AssetCheckSpec(
        MISSING_DAYS,
        asset="clean_daily",
        blocking=True,
        description="Days without temperature (war gap excepted) or PM10 (from 2008-04-28): "
        "a few warn, more than 7 days and 5% of the run fail.",
    ),
    dg.AssetCheckSpec(
        FLAG_RATES,
        asset="clean_daily",
        description="Share of days each cleaning rule flagged, against its bound (warns).",
    ),
    dg.AssetCheckSpec(
        YEAR_TABLES,
        asset="clean_daily",
        blocking=True,
        description="The year tables read back hold every day of the run once, in date order.",
    ),
    *(
        dg.AssetCheckSpec(
            element_check_name(name),
            asset="clean_daily",
            description=f"{name} ({element.unit}): days without a value since "
            f"{element.first_day} and values a rule removed (warns; the forecast runs degraded).",
        )
        for name, element in BY_NAME.items()
    ),
]


@dg.asset(
    partitions_def=temperature_days,
    backfill_policy=range_backfill_policy(),  # SEOULCAST_BACKFILL_PARTITIONS_PER_RUN
    deps=[
        # Interpolation reads the longest gap's worth of days on each side (at the default
        # policy; a run configured with a longer gap reads further than this lineage shows).
        dg.AssetDep(
            raw_asos,
            partition_mapping=dg.TimeWindowPartitionMapping(
                start_offset=-_GAP, end_offset=_GAP, allow_nonexistent_upstream_partitions=True
            ),
        ),
        # PM10 readings are screened within their own day: no neighbouring days are read.
        dg.AssetDep(
            raw_pm10,
            partition_mapping=dg.TimeWindowPartitionMapping(
                allow_nonexistent_upstream_partitions=True
            ),
        ),
    ],
    check_specs=CHECK_SPECS,
    automation_condition=dg.AutomationCondition.eager(),
    freshness_policy=due_daily_by(4, 55, timedelta(minutes=55)),
    group_name="cleaning",
    kinds={"python", "pandas", "s3"},
    code_version="3",  # 3: the times of day of six extremes (issue 17)
)
def clean_daily(
    context: dg.AssetExecutionContext, config: CleaningPolicyConfig, store: ObjectStoreResource
) -> dg.MaterializeResult:
    """Cleaned daily temperature, PM10 and weather elements, written per day under
    ``result/temperature/``, ``result/pm10/`` and ``result/weather/`` and as yearly tables under
    ``result/daily/`` (see docs/object-store.md).

    Reads the raw ASOS days of the range ± the longest interpolated gap and the raw PM10
    replies of the range. Nothing is written when a day breaks the schema or when so many
    days are missing that the blocking ``no_unexplained_missing_days`` check fails: the run
    fails naming the days, and the clean layer keeps what it held. After writing, the year
    tables are read back (``year_tables_cover_run``).
    """
    window = context.partition_time_window
    first, last = window.start.date(), window.end.date() - timedelta(days=1)
    objects = store.open()
    try:
        report = prepare_clean_days(objects, first, last, config.policy())
    except CleanTableInvalid as error:
        raise dg.Failure(
            description=str(error),
            metadata={"violations": [str(violation) for violation in error.violations[:50]]},
        ) from None
    missing = missing_days_outcome(report)
    if not missing.passed and missing.severity == "ERROR":
        context.log_event(_check_evaluation(missing))  # shown on the check, as after a write
        raise dg.Failure(
            description=f"nothing was written: {missing.description}",
            metadata=missing.metadata,
        )
    publish_clean_days(objects, report)
    outcomes = [
        missing,
        flag_rates_outcome(report),
        year_tables_outcome(objects, report),
        *element_outcomes(report),
    ]
    context.log.info(_log_line(first, last, report.summary()))
    return dg.MaterializeResult(
        metadata={**report.summary(), "dagster/row_count": report.days},
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


def _check_evaluation(outcome: CheckOutcome) -> dg.AssetCheckEvaluation:
    return dg.AssetCheckEvaluation(
        asset_key=clean_daily.key,
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity[outcome.severity],
        description=outcome.description,
        metadata=outcome.metadata,
    )


def _log_line(first: date, last: date, summary: dict[str, object]) -> str:
    return (
        f"clean_daily {first}..{last}: {summary['days']} days, "
        f"{summary['missing_temperature_days']} without temperature, "
        f"{summary['missing_pm10_days']} without PM10, flags {summary['flag_days']}, "
        f"{summary['objects_changed']} of {summary['objects_written']} objects changed"
    )
