"""Tell people when a run fails.

A run-failure sensor of our own rather than ``make_slack_on_run_failure_sensor``: the factory
takes the token as a plain string when the definitions load (it cannot take ``dg.EnvVar``) and
builds its client there, while this sensor gets the ``slack`` resource like every asset does —
token from ``SLACK_BOT_TOKEN`` at run time, log-only without one.
"""

import dagster as dg

from seoulcast_assets.alerts import run_failure_text
from seoulcast_assets.defs.resources import SlackAlerts

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def partitions_of(run: dg.DagsterRun) -> str | None:
    tags = run.tags
    if RANGE_START in tags:
        return f"{tags[RANGE_START]}..{tags[RANGE_END]}"
    return tags.get("dagster/partition")


def step_errors(context: dg.RunFailureSensorContext) -> list[str]:
    errors = []
    for event in context.get_step_failure_events():
        error = event.step_failure_data.error
        if error is None:
            continue
        root = error.cause or error  # Dagster wraps the asset's own exception
        errors.append(f"{event.step_key}: {root.cls_name}: {root.message.strip()}")
    return errors


@dg.run_failure_sensor(
    name="slack_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Posts every failed run (asset, partition, error) to Slack.",
)
def slack_on_run_failure(context: dg.RunFailureSensorContext, slack: SlackAlerts) -> None:
    run = context.dagster_run
    assets = sorted(key.to_user_string() for key in run.asset_selection or [])
    text = run_failure_text(
        job=run.job_name,
        assets=assets,
        partitions=partitions_of(run),
        errors=step_errors(context) or [context.failure_event.message],
    )
    slack.post(text, context.log)
