"""Daily partitions in Korea Standard Time.

Partition ``D`` holds the observations of KST day ``D`` and exists once that day is over, so the
newest partition is always yesterday in Seoul, whatever the server's time zone.
"""

from datetime import timedelta

import dagster as dg

from seoulcast_assets.kst import KST_NAME

TEMPERATURE_START = "1907-10-01"
PM10_START = "2008-04-28"

temperature_days = dg.DailyPartitionsDefinition(start_date=TEMPERATURE_START, timezone=KST_NAME)
pm10_days = dg.DailyPartitionsDefinition(start_date=PM10_START, timezone=KST_NAME)

FORECAST_START = "2008-05-05"

forecast_days = dg.DailyPartitionsDefinition(
    start_date=FORECAST_START, timezone=KST_NAME, end_offset=1
)
"""Issue dates. Partition ``D`` is the forecast issued on day ``D`` (at 05:00 KST) from the
observations up to ``D-1``; ``end_offset=1`` makes today's issue date a partition already."""


def due_daily_by(hour: int, minute: int, window: timedelta) -> dg.FreshnessPolicy:
    """Expect a materialization every day between ``hh:mm - window`` and ``hh:mm`` KST; later,
    the asset shows as late in the Dagster UI."""
    return dg.FreshnessPolicy.cron(
        deadline_cron=f"{minute} {hour} * * *", lower_bound_delta=window, timezone=KST_NAME
    )
