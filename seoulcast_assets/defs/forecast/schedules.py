"""Issue today's forecast at 05:00 KST, then score the champion's recent forecasts."""

import dagster as dg

from seoulcast_assets.defs.forecast.assets import daily_forecast
from seoulcast_assets.defs.monitoring.assets import model_monitoring

forecast = dg.define_asset_job(
    "forecast",
    selection=[daily_forecast, model_monitoring],
    description="Forecast D..D+6 for the selected issue dates, then refresh model monitoring.",
)

forecast_daily = dg.build_schedule_from_partitioned_job(
    forecast,
    name="forecast_daily",
    hour_of_day=5,
    minute_of_hour=0,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
