"""Declarative automation, running from the start (Dagster's default sensor starts stopped)."""

import dagster as dg

seoulcast_automation = dg.AutomationConditionSensorDefinition(
    "seoulcast_automation",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Evaluates every asset's automation condition (e.g. clean yesterday as soon as "
    "both raw assets hold it).",
)
