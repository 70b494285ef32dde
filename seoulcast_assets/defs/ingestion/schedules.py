"""Collect yesterday's observations every day at 04:00 KST.

The two raw assets start on different days (temperature 1907, PM10 2008), so each has its own
partitioned job; both schedules take their time zone from the KST partitions.
"""

import dagster as dg

from seoulcast_assets.defs.ingestion.assets import raw_asos, raw_pm10

collect_temperature = dg.define_asset_job(
    "collect_temperature",
    selection=[raw_asos],
    description="Fetch ASOS daily observations for the selected days.",
)
collect_pm10 = dg.define_asset_job(
    "collect_pm10",
    selection=[raw_pm10],
    description="Fetch 5-minute PM10 readings for the selected days.",
)

collect_temperature_daily = dg.build_schedule_from_partitioned_job(
    collect_temperature,
    name="collect_temperature_daily",
    hour_of_day=4,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
collect_pm10_daily = dg.build_schedule_from_partitioned_job(
    collect_pm10,
    name="collect_pm10_daily",
    hour_of_day=4,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
