"""Clean the last week again every morning, once yesterday's raw days are in.

The eager automation cleans yesterday as soon as both raw assets hold it, but a value missing on
the newest day cannot be interpolated until the next day is collected. Re-cleaning the last
seven days (one range run, cheap and idempotent) fills such values before the 05:00 forecast.
"""

from datetime import timedelta

import dagster as dg

from seoulcast_assets.defs.cleaning.jobs import clean_observations
from seoulcast_assets.kst import KST_NAME

RECLEAN_DAYS = 7


@dg.schedule(
    job=clean_observations,
    cron_schedule="45 4 * * *",
    execution_timezone=KST_NAME,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Re-clean the last {RECLEAN_DAYS} days (KST) as one range run at 04:45 KST.",
)
def reclean_recent_days(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    yesterday = context.scheduled_execution_time.date() - timedelta(days=1)
    first = yesterday - timedelta(days=RECLEAN_DAYS - 1)
    return dg.RunRequest(
        run_key=f"reclean-{yesterday.isoformat()}",
        tags={
            "dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": yesterday.isoformat(),
        },
    )
